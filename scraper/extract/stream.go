package extract

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// streamed holds the parts of a React streaming render (React 18+,
// Next.js): content sent after the page shell as a hidden segment
// (<div hidden id="S:1f">), and the placeholders (<template id="P:1f">)
// where a script moves it at once. A reader sees the segment in place.
type streamed struct {
	holes  map[string]*html.Node // placeholder templates by segment id
	bounds []*html.Node          // Suspense boundary templates (<template id="B:0">)
	segs   []*html.Node          // hidden segments, in document order
}

// note records n when it is a placeholder or a hidden segment.
func (s *streamed) note(n *html.Node) {
	id := attr(n, "id")
	switch {
	case n.DataAtom == atom.Template && strings.HasPrefix(id, "P:"):
		if s.holes == nil {
			s.holes = map[string]*html.Node{}
		}
		s.holes[id[2:]] = n
	case n.DataAtom == atom.Template && streamedID(id, "B:"):
		s.bounds = append(s.bounds, n)
	case n.DataAtom == atom.Div && streamedID(id, "S:") && hasAttr(n, "hidden"):
		s.segs = append(s.segs, n)
	}
}

// place moves each segment's content to its placeholder, as the page's
// script does. A segment that completes a Suspense boundary is named in
// the script call ($RC("B:2","S:1a")), which a saved page may have lost;
// both ids count up in document order, so the remaining segments fill the
// boundaries by rank. Segments left over stay where they are (visible,
// see readAttrs).
func (s *streamed) place() {
	var rest []*html.Node
	for _, seg := range s.segs {
		if !move(seg, s.holes[attr(seg, "id")[2:]]) {
			rest = append(rest, seg)
		}
	}
	byID := func(ns []*html.Node) {
		slices.SortStableFunc(ns, func(a, b *html.Node) int {
			return cmp.Compare(hexID(attr(a, "id")), hexID(attr(b, "id")))
		})
	}
	byID(rest)
	byID(s.bounds)
	for k := 0; k < len(rest) && k < len(s.bounds); k++ {
		move(rest[k], s.bounds[k])
	}
}

// move puts seg's children before hole and reports whether it did.
func move(seg, hole *html.Node) bool {
	if hole == nil || hole.Parent == nil || isAncestorNode(seg, hole) {
		return false
	}
	for c := seg.FirstChild; c != nil; c = seg.FirstChild {
		seg.RemoveChild(c)
		hole.Parent.InsertBefore(c, hole)
	}
	return true
}

// hexID is the number of a streamed id ("S:1a" is 26).
func hexID(id string) uint64 {
	v, _ := strconv.ParseUint(id[2:], 16, 64)
	return v
}

func isAncestorNode(a, n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// streamedID reports whether id is prefix ("S:" for a segment of a React
// streaming render, "B:" for a boundary) and a hexadecimal number.
func streamedID(id, prefix string) bool {
	rest, ok := strings.CutPrefix(id, prefix)
	if !ok || rest == "" {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
