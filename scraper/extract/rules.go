package extract

import (
	"fmt"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/wiredesk/wiredesk/news"
)

// applyRules resolves a site's rules on the parsed page: the nodes the
// remove selectors name, and the nodes the body selector picks.
func applyRules(root *html.Node, r *news.Rules) (map[*html.Node]bool, []*html.Node, error) {
	doc := goquery.NewDocumentFromNode(root)
	removed := map[*html.Node]bool{}
	for _, sel := range r.Remove {
		m, err := cascadia.Compile(sel)
		if err != nil {
			return nil, nil, fmt.Errorf("rule remove %q: %w", sel, err)
		}
		for _, n := range doc.FindMatcher(m).Nodes {
			removed[n] = true
		}
	}
	if r.Body == "" {
		return removed, nil, nil
	}
	m, err := cascadia.Compile(r.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("rule body %q: %w", r.Body, err)
	}
	var bodies []*html.Node
	for _, n := range doc.FindMatcher(m).Nodes {
		if !removed[n] && !nestedIn(n, bodies) {
			bodies = append(bodies, n)
		}
	}
	return removed, bodies, nil
}

// nestedIn reports whether n is inside one of the nodes in list.
func nestedIn(n *html.Node, list []*html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		for _, l := range list {
			if p == l {
				return true
			}
		}
	}
	return false
}
