package extract

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestDiagnose lists, per benchmark corpus, the pages that lose the most
// F1 with the lines that were missed (recall loss) and the paragraphs that
// were extra (precision loss). It is a tool, not a check: it runs only
// when EXTRACT_DIAG is set (to a corpus name or "all"); EXTRACT_DIAG_N
// sets how many pages to show (default 15) and EXTRACT_DIAG_PAGE limits
// the output to one page id.
//
//	EXTRACT_DIAG=mozilla-readability go test -run Diagnose -v ./scraper/extract
func TestDiagnose(t *testing.T) {
	which := os.Getenv("EXTRACT_DIAG")
	if which == "" {
		t.Skip("set EXTRACT_DIAG=corpus|all to list the worst pages")
	}
	n, err := strconv.Atoi(os.Getenv("EXTRACT_DIAG_N"))
	if err != nil {
		n = 15
	}
	for _, corpus := range []string{"scrapinghub-dev", "mozilla-readability", "wcxb-dev-articles"} {
		if which != "all" && which != corpus {
			continue
		}
		diagnoseCorpus(t, corpus, n, os.Getenv("EXTRACT_DIAG_PAGE"))
	}
}

type pageDiag struct {
	id         string
	prec, rec  float64
	miss, xtra []string
}

func diagnoseCorpus(t *testing.T, corpus string, n int, only string) {
	pages := loadCorpus(t, corpus)
	truth := loadTruth(t, filepath.Join(benchDir, corpus, "ground-truth.jsonl"))
	var ds []pageDiag
	for id, text := range truth {
		if only != "" && id != only {
			continue
		}
		p, err := Extract(pages[id+".html.gz"], "", Options{})
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		tp, fp, fn := shingleScore(words(text), words(p.Text))
		d := pageDiag{id: id, prec: pageRatio(tp, fp, fn, fp), rec: pageRatio(tp, fp, fn, fn)}
		d.miss = uncovered(strings.Split(text, "\n"), p.Text)
		d.xtra = uncovered(strings.Split(p.Text, "\n\n"), text)
		ds = append(ds, d)
	}
	sort.Slice(ds, func(a, b int) bool {
		la, lb := 2-ds[a].prec-ds[a].rec, 2-ds[b].prec-ds[b].rec
		if la != lb {
			return la > lb
		}
		return ds[a].id < ds[b].id
	})
	var sb strings.Builder
	fmt.Fprintf(&sb, "== %s: worst %d pages (precision loss, recall loss)\n", corpus, n)
	for i, d := range ds {
		if i >= n {
			break
		}
		fmt.Fprintf(&sb, "\n-- %s  P=%.3f R=%.3f\n", d.id, d.prec, d.rec)
		for _, l := range d.miss {
			fmt.Fprintf(&sb, "   MISS %s\n", clip(l, 160))
		}
		for _, l := range d.xtra {
			fmt.Fprintf(&sb, "   XTRA %s\n", clip(l, 160))
		}
	}
	t.Log(sb.String())
}

// uncovered returns the lines of from whose 4-token shingles are mostly
// absent from other.
func uncovered(from []string, other string) []string {
	ow := words(other)
	om := shingleCounts(ow)
	joined := " " + strings.Join(ow, " ") + " "
	var out []string
	for _, l := range from {
		ws := words(l)
		if len(ws) == 0 {
			continue
		}
		if len(ws) < 4 {
			if !strings.Contains(joined, " "+strings.Join(ws, " ")+" ") {
				out = append(out, strings.TrimSpace(l))
			}
			continue
		}
		sm := shingleCounts(ws)
		hit, all := 0, 0
		for k, c := range sm {
			all += c
			hit += min(c, om[k])
		}
		if 2*hit < all {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return out
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// TestDiagnoseCandidates prints the scoring of one page: the ten best
// candidates and the node picked (EXTRACT_DIAG_FILE=path.html.gz).
func TestDiagnoseCandidates(t *testing.T) {
	f := os.Getenv("EXTRACT_DIAG_FILE")
	if f == "" {
		t.Skip("set EXTRACT_DIAG_FILE to a page")
	}
	data, err := readGz(f)
	if err != nil {
		t.Fatal(err)
	}
	root, err := parseHTML(data)
	if err != nil {
		t.Fatal(err)
	}
	d := buildDOM(root, buildOpts{strict: true})
	best := d.scoreParagraphs()
	var idx []int32
	for i := range d.nodes {
		if d.nodes[i].flags&flagScored != 0 {
			idx = append(idx, int32(i))
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return d.nodes[idx[a]].score > d.nodes[idx[b]].score })
	var sb strings.Builder
	for k, i := range idx {
		if k >= 12 {
			break
		}
		nd := &d.nodes[i]
		fmt.Fprintf(&sb, "%4d %8.1f w=%d len=%d ld=%.2f paras=%d %s\n", i, nd.score, nd.weight, nd.textLen, d.linkDensity(i), nd.paras, d.path(i))
	}
	top := d.refineCandidate(best)
	fmt.Fprintf(&sb, "best %s\nrefined %s\n", d.path(best), d.path(top))
	roots := []int32{top}
	if top != d.body {
		roots = d.selectArticle(top)
		for _, r := range roots {
			fmt.Fprintf(&sb, "  root %s len=%d\n", d.path(r), d.nodes[r].textLen)
		}
	}
	if os.Getenv("EXTRACT_DIAG_PARAS") != "" {
		for _, p := range d.render(roots) {
			fmt.Fprintf(&sb, "  para %-4s drop=%-5v %s\n", p.tag, dropPara(p, nil), clip(p.text, 100))
		}
	}
	t.Log(sb.String())
}

func (d *dom) path(i int32) string {
	var parts []string
	for ; i >= 0; i = d.nodes[i].parent {
		nd := &d.nodes[i]
		s := nd.tag.String()
		if nd.h != nil {
			if c := attr(nd.h, "class"); c != "" {
				s += "." + strings.ReplaceAll(clip(c, 30), " ", ".")
			}
			if id := attr(nd.h, "id"); id != "" {
				s += "#" + id
			}
		}
		parts = append(parts, s)
	}
	for a, b := 0, len(parts)-1; a < b; a, b = a+1, b-1 {
		parts[a], parts[b] = parts[b], parts[a]
	}
	return strings.Join(parts, " > ")
}

func parseHTML(data []byte) (*html.Node, error) {
	src, _, err := ToUTF8(data, "")
	if err != nil {
		return nil, err
	}
	return html.Parse(stripRaw(src, true))
}

// TestDiagnoseChanges scores both corpora page by page and, given the
// scores of an earlier run (EXTRACT_DIAG_BASE=file, written when absent),
// lists the pages whose F1 moved: the way to see what a change costs
// where.
func TestDiagnoseChanges(t *testing.T) {
	base := os.Getenv("EXTRACT_DIAG_BASE")
	if base == "" {
		t.Skip("set EXTRACT_DIAG_BASE to a scores file")
	}
	cur := map[string][2]float64{}
	var sb strings.Builder
	for _, corpus := range []string{"scrapinghub-dev", "mozilla-readability", "wcxb-dev-articles"} {
		pages := loadCorpus(t, corpus)
		truth := loadTruth(t, filepath.Join(benchDir, corpus, "ground-truth.jsonl"))
		var sp, sr float64
		for id, text := range truth {
			p, err := Extract(pages[id+".html.gz"], "", Options{})
			if err != nil {
				t.Fatal(err)
			}
			tp, fp, fn := shingleScore(words(text), words(p.Text))
			pr, rc := pageRatio(tp, fp, fn, fp), pageRatio(tp, fp, fn, fn)
			if tp+fp == 0 {
				pr = 1 // not counted in the corpus precision
			}
			cur[corpus+"/"+id] = [2]float64{pr, rc}
			sp += pr
			sr += rc
		}
		n := float64(len(truth))
		fmt.Fprintf(&sb, "%s: F1=%.4f P=%.4f R=%.4f", corpus, 2*sp*sr/n/(sp+sr), sp/n, sr/n)
		if corpus == "wcxb-dev-articles" {
			// The halves by odd and even id, to check that a change generalises.
			var hp, hr, hn [2]float64
			for id := range truth {
				k, _ := strconv.Atoi(id)
				s := cur[corpus+"/"+id]
				hp[k%2] += s[0]
				hr[k%2] += s[1]
				hn[k%2]++
			}
			for h, name := range []string{"even", "odd"} {
				fmt.Fprintf(&sb, " %s=%.4f", name, 2*hp[h]*hr[h]/hn[h]/(hp[h]+hr[h]))
			}
		}
		sb.WriteString("\n")
	}
	old := map[string][2]float64{}
	if data, err := os.ReadFile(base); err == nil {
		if err := json.Unmarshal(data, &old); err != nil {
			t.Fatal(err)
		}
	} else {
		data, _ := json.Marshal(cur)
		if err := os.WriteFile(base, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	keys := make([]string, 0, len(cur))
	for k := range cur {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		o, ok := old[k]
		c := cur[k]
		if ok && (abs(o[0]-c[0]) > 0.002 || abs(o[1]-c[1]) > 0.002) {
			fmt.Fprintf(&sb, "  %-60s P %.3f -> %.3f  R %.3f -> %.3f\n", clip(k, 60), o[0], c[0], o[1], c[1])
		}
	}
	t.Log(sb.String())
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
