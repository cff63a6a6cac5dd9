package extract

import (
	"strings"
	"testing"
)

// TestAnchorShapes checks shapes that other extractors (readability-style
// sibling scoring, trafilatura's tag handling) read right on pages where
// wiredesk did not.
func TestAnchorShapes(t *testing.T) {
	widget := func(kind, inner string) string {
		return `<div class="builder-element builder-widget builder-widget-` + kind + `"><div class="builder-widget-container">` + inner + `</div></div>`
	}
	section := func(inner string) string {
		return `<section class="builder-section"><div class="builder-column">` + inner + `</div></section>`
	}
	runShapes(t, []shapeCase{
		{
			name: "page builders' heading widgets over prose head the article's sections",
			page: `<body><main><div class="builder-page">` +
				section(widget("heading", `<h2 class="builder-heading-title">Why the bridge matters</h2>`)) +
				section(widget("text-editor", prosePara("Opening")+prosePara("Second"))) +
				section(widget("heading", `<h3 class="builder-heading-title">1. Close the deck to lorries</h3>`)) +
				section(widget("text-editor", prosePara("Lorries")+prosePara("More lorries"))) +
				section(widget("heading", `<h3 class="builder-heading-title">2. Rebuild the arches</h3>`)) +
				section(widget("text-editor", prosePara("Arches")+prosePara("More arches"))) +
				`</div></main></body>`,
			want: []string{"Why the bridge matters", "1. Close the deck to lorries", "2. Rebuild the arches", "Arches, and"},
		},
		{
			name: "a lone heading widget over a quotation is a box's label",
			page: `<body><main><article>` + strings.Repeat(prosePara("Body"), 6) + `</article>` +
				`<div class="side">` + widget("heading", `<h3 class="builder-heading-title">Client Reviewer</h3>`) +
				widget("text-editor", `<p>“I highly recommend this firm, they worked on my case for months and it was a pleasure to work with them from the start.”</p>`) + `</div></main></body>`,
			want: []string{"Body, and"},
			not:  []string{"Client Reviewer"},
		},
		{
			name: "a second copy of the article that the page hides by a class is not read with the first",
			page: `<body><div class="page"><div class="layout-open"><div class="head"><h1>The bridge</h1><p>How a town paid for its old bridge, and what it will cost to keep.</p></div><div class="grid"><div class="right"><div class="rich-text">` + strings.Repeat(prosePara("Body"), 5) + prosePara("Last body") + `</div></div></div></div>` +
				`<div class="layout-gated is-invisible"><div class="head"><h1>The bridge</h1><p>How a town paid for its old bridge, and what it will cost to keep.</p></div><div class="grid"><div class="right"><div class="rich-text">` + strings.Repeat(prosePara("Body"), 5) + prosePara("Last body") + `</div></div></div></div></div></body>`,
			want:  []string{"Last body, and"},
			count: map[string]int{"Last body, and": 1},
		},
		{
			name: "a box of two short paragraphs after the article is not a section of it, a long section is",
			page: `<body><main><div class="wrap"><div class="story">` + strings.Repeat(prosePara("Body"), 20) + `</div>` +
				`<div class="part">` + strings.Repeat(prosePara("Later section"), 8) + `</div>` +
				`<div class="box"><p>About the Reviewer</p><p>Ann Lee, MD, is a physician in Boston who reviews the health stories of this site for accuracy every month and answers the letters of readers.</p>` +
				`<p>Ann Lee completed her training at a large teaching hospital and has practised for twenty years in the city, where she also teaches young doctors.</p></div></div></main></body>`,
			want: []string{"Body, and", "Later section, and"},
			not:  []string{"About the Reviewer", "Ann Lee"},
		},
		{
			name: "a short block of the candidate's kind after it is a promo, not one more item",
			page: `<body><main><div class="wrap"><div class="entry entry--lead">` + strings.Repeat(prosePara("Body"), 20) + `</div>` +
				`<div class="entry entry--promo"><h4>Get financially happy</h4><p>Put your money to work for life and play with our app.</p></div></div></main></body>`,
			want: []string{"Body, and"},
			not:  []string{"Get financially happy", "Put your money"},
		},
		{
			name: "a scored block of one paragraph after the article is a disclosure, not the article's",
			page: `<body><main><div class="wrap"><div class="story">` + strings.Repeat(prosePara("Body"), 20) + `</div>` +
				`<div class="post-text-note"><p>Disclosure: the writer holds no position in the companies named, and the site, its owners and its staff, have a policy on it, as readers know, which is published.</p></div></div></main></body>`,
			want: []string{"Body, and"},
			not:  []string{"Disclosure: the writer"},
		},
		{
			name: "cards of the candidate's kind under a linked heading after it are teasers, unless the candidate links its own heading",
			page: `<body><main><div class="wrap"><div class="card card-lead"><h2>The bridge</h2>` + strings.Repeat(prosePara("Body"), 20) + `</div>` +
				`<div class="card card-teaser"><h3><a href="/menu">Menu drops for the week of the fair</a></h3><p>December 16, 2025</p>` + prosePara("Teaser one") + prosePara("Teaser more") + `</div>` +
				`<div class="card card-teaser"><h3><a href="/menu2">Menu drops for the week after</a></h3><p>December 9, 2025</p>` + prosePara("Teaser two") + prosePara("Teaser again") + `</div></div></main></body>`,
			want: []string{"Body, and"},
			not:  []string{"Teaser one", "Teaser two", "Menu drops"},
		},
		{
			name: "in a round-up whose items link their names, the items after the candidate stay",
			page: `<body><main><div class="wrap"><div class="pick pick-1"><h3><a href="/kettle-a">1. The steel kettle</a></h3>` + strings.Repeat(prosePara("Steel"), 20) + `</div>` +
				`<div class="pick pick-2"><h3><a href="/kettle-b">2. The glass kettle</a></h3>` + prosePara("Glass") + prosePara("Glass more") + prosePara("Glass again") + `</div></div></main></body>`,
			want: []string{"Steel, and", "Glass again, and"},
		},
	})
}
