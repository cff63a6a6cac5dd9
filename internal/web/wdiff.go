package web

import "strings"

// The word diff of two versions of an article. Texts are paragraphs
// separated by blank lines; a paragraph is its words (runs of non-space),
// so that reflowed whitespace is no change. Paragraphs are aligned first
// (their longest common subsequence), then the words of each run of
// changed paragraphs, so that a revision that adds an "UPDATE 2" paragraph
// or corrects a word costs little however long the article is.

// opKind is what a diff segment does.
type opKind uint8

const (
	opEq  opKind = iota // in both versions
	opDel               // only in the older
	opIns               // only in the newer
)

// paraBreak is the token of a paragraph break.
const paraBreak = "\n\n"

// maxLCSCells bounds the word table of one run of changed paragraphs;
// past it the run is shown as deleted and inserted whole.
const maxLCSCells = 2 << 20

// diffOp is a run of tokens (words, or one paragraph break) of one kind.
type diffOp struct {
	Kind  opKind
	Words []string
}

// diffParagraphs splits text into paragraphs of words; empty paragraphs
// are dropped.
func diffParagraphs(text string) [][]string {
	var out [][]string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if w := strings.Fields(p); len(w) > 0 {
			out = append(out, w)
		}
	}
	return out
}

// tokens flattens paragraphs into words with a paraBreak between them.
func tokens(paras [][]string) []string {
	var out []string
	for i, p := range paras {
		if i > 0 {
			out = append(out, paraBreak)
		}
		out = append(out, p...)
	}
	return out
}

// wordDiff is the diff of old and new, as runs of tokens.
func wordDiff(old, new string) []diffOp {
	a, b := diffParagraphs(old), diffParagraphs(new)
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i, p := range a {
		ka[i] = strings.Join(p, " ")
	}
	for i, p := range b {
		kb[i] = strings.Join(p, " ")
	}
	var d differ
	i, j := 0, 0
	emitBreak := func(ai, bj int) {
		// The break before paragraph ai of old and bj of new.
		switch {
		case ai > 0 && bj > 0:
			d.add(opEq, paraBreak)
		case ai > 0:
			d.add(opDel, paraBreak)
		case bj > 0:
			d.add(opIns, paraBreak)
		}
	}
	for _, m := range lcsPairs(ka, kb, maxLCSCells) {
		d.run(a[i:m[0]], b[j:m[1]], i > 0, j > 0)
		emitBreak(m[0], m[1])
		d.add(opEq, a[m[0]]...)
		i, j = m[0]+1, m[1]+1
	}
	d.run(a[i:], b[j:], i > 0, j > 0)
	return d.ops
}

// differ collects ops, merging neighbours of one kind.
type differ struct{ ops []diffOp }

func (d *differ) add(k opKind, words ...string) {
	if len(words) == 0 {
		return
	}
	if n := len(d.ops); n > 0 && d.ops[n-1].Kind == k {
		d.ops[n-1].Words = append(d.ops[n-1].Words, words...)
		return
	}
	d.ops = append(d.ops, diffOp{Kind: k, Words: append([]string(nil), words...)})
}

// run diffs a run of changed paragraphs word by word. afterA and afterB
// say whether paragraphs of each side precede the run, so that its first
// paragraph needs a break before it.
func (d *differ) run(a, b [][]string, afterA, afterB bool) {
	ta, tb := tokens(a), tokens(b)
	if len(ta) > 0 && afterA {
		ta = append([]string{paraBreak}, ta...)
	}
	if len(tb) > 0 && afterB {
		tb = append([]string{paraBreak}, tb...)
	}
	x, y := 0, 0
	for _, m := range lcsPairs(ta, tb, maxLCSCells) {
		d.add(opDel, ta[x:m[0]]...)
		d.add(opIns, tb[y:m[1]]...)
		d.add(opEq, ta[m[0]])
		x, y = m[0]+1, m[1]+1
	}
	d.add(opDel, ta[x:]...)
	d.add(opIns, tb[y:]...)
}

// lcsPairs returns the index pairs of a longest common subsequence of a
// and b, in order. The common prefix and suffix are matched directly; a
// middle whose table would pass maxCells has no pairs.
func lcsPairs(a, b []string, maxCells int) [][2]int {
	var pre [][2]int
	for len(pre) < len(a) && len(pre) < len(b) && a[len(pre)] == b[len(pre)] {
		pre = append(pre, [2]int{len(pre), len(pre)})
	}
	p := len(pre)
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	ma, mb := a[p:len(a)-s], b[p:len(b)-s]
	out := pre
	if len(ma) > 0 && len(mb) > 0 && len(ma)*len(mb) <= maxCells {
		for _, m := range lcsTable(ma, mb) {
			out = append(out, [2]int{m[0] + p, m[1] + p})
		}
	}
	for k := 0; k < s; k++ {
		out = append(out, [2]int{len(a) - s + k, len(b) - s + k})
	}
	return out
}

// lcsTable is the textbook dynamic program: suffix lengths, then a walk
// from the start that prefers deletions before insertions.
func lcsTable(a, b []string) [][2]int {
	n, m := len(a), len(b)
	w := m + 1
	t := make([]int32, (n+1)*w)
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case a[i] == b[j]:
				t[i*w+j] = t[(i+1)*w+j+1] + 1
			case t[(i+1)*w+j] >= t[i*w+j+1]:
				t[i*w+j] = t[(i+1)*w+j]
			default:
				t[i*w+j] = t[i*w+j+1]
			}
		}
	}
	var out [][2]int
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j]:
			out = append(out, [2]int{i, j})
			i, j = i+1, j+1
		case t[(i+1)*w+j] >= t[i*w+j+1]:
			i++
		default:
			j++
		}
	}
	return out
}

// diffSegment is a run of words of one kind inside a paragraph, as the
// template renders it.
type diffSegment struct {
	Kind string // "eq", "del", "ins"
	Text string
}

// diffPara is one rendered paragraph: Kind "ins" or "del" when the whole
// paragraph is new or gone, else "eq" with marked segments.
type diffPara struct {
	Kind     string
	Segments []diffSegment
}

// renderDiff lays the ops out as paragraphs for the template: a paragraph
// break of either version starts a new paragraph.
func renderDiff(ops []diffOp) []diffPara {
	names := [...]string{opEq: "eq", opDel: "del", opIns: "ins"}
	var out []diffPara
	cur := diffPara{}
	flush := func() {
		out = append(out, splitReplaced(cur.Segments)...)
		cur = diffPara{}
	}
	for _, op := range ops {
		var words []string
		for _, w := range op.Words {
			if w != paraBreak {
				words = append(words, w)
				continue
			}
			if len(words) > 0 {
				cur.Segments = append(cur.Segments, diffSegment{names[op.Kind], strings.Join(words, " ")})
				words = nil
			}
			flush()
		}
		if len(words) > 0 {
			cur.Segments = append(cur.Segments, diffSegment{names[op.Kind], strings.Join(words, " ")})
		}
	}
	flush()
	return out
}

// splitReplaced makes a paragraph of segments: one marked whole when all
// its words are new or gone, and two (the old words, then the new) when
// it shares no word with the other version, so that a replaced paragraph
// reads as one removed and one added.
func splitReplaced(segs []diffSegment) []diffPara {
	if len(segs) == 0 {
		return nil
	}
	var del, ins []diffSegment
	for _, s := range segs {
		switch s.Kind {
		case "del":
			del = append(del, s)
		case "ins":
			ins = append(ins, s)
		default:
			return []diffPara{{Kind: "eq", Segments: segs}}
		}
	}
	var out []diffPara
	if len(del) > 0 {
		out = append(out, diffPara{Kind: "del", Segments: del})
	}
	if len(ins) > 0 {
		out = append(out, diffPara{Kind: "ins", Segments: ins})
	}
	return out
}

// diffCounts is how many words a diff adds and removes.
func diffCounts(ops []diffOp) (ins, del int) {
	for _, op := range ops {
		n := 0
		for _, w := range op.Words {
			if w != paraBreak {
				n++
			}
		}
		switch op.Kind {
		case opIns:
			ins += n
		case opDel:
			del += n
		}
	}
	return ins, del
}
