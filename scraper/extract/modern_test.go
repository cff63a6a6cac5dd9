package extract

import (
	"strings"
	"testing"
)

// TestModernLayouts checks the article text on the shapes pages have been
// built in lately: page builders, utility classes, streamed renders,
// articles split into sections, and text spread over many small blocks.
func TestModernLayouts(t *testing.T) {
	runShapes(t, []shapeCase{
		{
			name: "a page builder's widget wrappers hold the article",
			page: `<body><div class="builder-section"><div class="builder-column"><div class="builder-widget-wrap">` +
				`<div class="builder-widget-container"><h2>First part</h2>` + prosePara("Opening") + prosePara("Second") + `</div>` +
				`<div class="builder-widget-container">` + prosePara("Third") + `</div></div></div></div>` +
				`<div class="sidebar"><a href="/a">Elsewhere on the site</a></div></body>`,
			want: []string{"Opening, and the council", "Third, and the council"},
			not:  []string{"Elsewhere on the site"},
		},
		{
			name: "a heading with a utility class for scroll offsets stays",
			page: `<body><article>` + prosePara("Opening") + `<h2 class="scroll-mt-24">The middle heading</h2>` + prosePara("After") + prosePara("Closing") + `</article></body>`,
			want: []string{"The middle heading", "After, and the council"},
		},
		{
			name: "a heading named for its role stays, a related-posts heading does not",
			page: `<body><article>` + prosePara("Opening") + `<h2 class="header-anchor-post">Why the plan changed</h2>` + prosePara("After") + prosePara("Closing") +
				`<h3 class="relatedpoststitle">You may also like these</h3></article></body>`,
			want: []string{"Why the plan changed"},
			not:  []string{"You may also like"},
		},
		{
			name: "a toolbar is chrome however much it says",
			page: `<body><article>` + prosePara("Opening") + prosePara("Second") + `<div class="article-toolbar">Share this story with your friends by email or on the networks below, it only takes a moment.</div>` + prosePara("Closing") + `</article></body>`,
			want: []string{"Closing, and the council"},
			not:  []string{"Share this story"},
		},
		{
			name: "descendant selectors in a class do not make the article a caption",
			page: `<body><main><article class="[&amp;_figcaption]:mt-xs lg:prose-xl">` + prosePara("Opening") + prosePara("Second") + prosePara("Closing") + `</article></main></body>`,
			want: []string{"Opening, and the council", "Closing, and the council"},
		},
		{
			name: "React streamed segments are read in their placeholders",
			page: `<body><main><article><h1>Title</h1>` + prosePara("Opening") + `<template id="P:1"></template>` + prosePara("Closing") + `</article></main>` +
				`<div hidden id="S:1">` + prosePara("Streamed middle") + `</div><div hidden id="other">Hidden text</div></body>`,
			want: []string{"Opening, and the council", "Streamed middle, and the council", "Closing, and the council"},
			not:  []string{"Hidden text"},
		},
		{
			name: "React boundaries are filled in order when the script is gone",
			page: `<body><main><article><template id="B:0"></template><div>Loading...</div><template id="B:1"></template><div>Loading...</div></article></main>` +
				`<div hidden id="S:0">` + prosePara("First streamed") + prosePara("Also first") + `</div><div hidden id="S:1">` + prosePara("Second streamed") + `</div></body>`,
			want: []string{"First streamed, and the council heard from residents, engineers and the treasurer before it voted on the plan for the coming years.\n\nAlso first", "Second streamed"},
		},
		{
			name: "a guide split into sections of one kind is taken whole",
			page: `<body><div class="guide"><section class="guide-step"><h2>The first step</h2><div class="step-body">` + prosePara("One") + prosePara("One more") + `</div></section>` +
				`<section class="guide-step"><h2>Step two</h2><div class="step-body">` + prosePara("Two") + prosePara("Two more") + `</div></section>` +
				`<section class="guide-step"><h2>Step three</h2><div class="step-body">` + strings.Repeat(prosePara("Three"), 4) + `</div></section></div>` +
				`<div class="footer"><a href="/about">About</a></div></body>`,
			want: []string{"The first step", "One more, and", "Two more, and", "Three, and"},
			not:  []string{"About"},
		},
		{
			name: "sections with linked teasers are not joined",
			page: `<body><div class="wrap"><section class="block">` + strings.Repeat(prosePara("Story"), 4) + `</section>` +
				`<section class="block"><h2>More reading</h2><p><a href="/x">A teaser headline that links to another story on the site</a> with a line.</p><p><a href="/y">Another teaser headline that links to one more story here</a> and a line.</p></section></div></body>`,
			want: []string{"Story, and the council"},
			not:  []string{"teaser headline"},
		},
		{
			name: "collapsed accordion and tab panels are read, other hidden blocks are not",
			page: `<body><main><article>` + prosePara("Opening") + `<div class="accordion"><button id="h1">The first stage</button>` +
				`<div role="region" aria-labelledby="h1" style="display: none">` + prosePara("Collapsed first") + prosePara("More first") + `</div>` +
				`<button id="h2">The second stage</button><div role="tabpanel" hidden>` + prosePara("Collapsed second") + `</div></div>` +
				`<div style="display:none">` + prosePara("Hidden draft") + `</div><div hidden>Hidden note</div></article></main></body>`,
			want: []string{"Opening, and the council", "Collapsed first, and", "More first, and", "Collapsed second, and"},
			not:  []string{"Hidden draft", "Hidden note"},
		},
		{
			name: "a hidden wrapper around an accordion panel is read, around two blocks it is not",
			page: `<body><main><article>` + prosePara("Opening") + `<button id="h1">The first stage</button>` +
				`<div class="collapse" style="overflow:hidden;display:none;height:0px"> <div role="region" aria-labelledby="h1">` + prosePara("Wrapped panel") + `</div> </div>` +
				`<div style="display:none"><div role="region">` + prosePara("Hidden pair") + `</div><div>Other hidden</div></div>` + prosePara("Closing") + `</article></main></body>`,
			want: []string{"Opening, and the council", "Wrapped panel, and", "Closing, and"},
			not:  []string{"Hidden pair", "Other hidden"},
		},
		{
			name: "a round-up's linked item headings stay, a list of linked headlines does not",
			page: `<body><article>` + prosePara("Opening") + `<h3><a href="/p/kettle">The Brass Kettle</a></h3>` + prosePara("Kettle") +
				`<p><a href="/buy/kettle">See the price at the shop</a></p><h3><a href="/p/lamp">The Desk Lamp</a></h3>` + prosePara("Lamp") + prosePara("Closing") +
				`<h3><a href="/s/1">Another story from the archive</a></h3><h3><a href="/s/2">One more story from last year</a></h3></article></body>`,
			want: []string{"The Brass Kettle\n\nKettle, and", "The Desk Lamp\n\nLamp, and", "Closing, and"},
			not:  []string{"Another story", "One more story"},
		},
		{
			name: "prose spread over small blocks beats a lone boxed notice",
			page: `<body><div class="notice-box"><div class="content-text">` + prosePara("A lone notice") + `</div></div><div>` +
				strings.Repeat(`<div><div><div><div>`+prosePara("Spread")+`</div></div></div></div>`, 8) + `</div></body>`,
			want: []string{"Spread, and the council"},
		},
	})
}
