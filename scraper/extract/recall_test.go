package extract

import (
	"strings"
	"testing"
)

// TestRecallShapes checks text a reader reads that the article's blocks
// hold in shapes the cleaning passes used to take for chrome.
func TestRecallShapes(t *testing.T) {
	runShapes(t, []shapeCase{
		{
			name: "a callout box of prose set in the article stays, a promo or a link box does not",
			page: `<body><article>` + prosePara("Opening") + prosePara("Second") +
				`<aside><h4>A note on the old bridge</h4>` + prosePara("Callout") + prosePara("More callout") + `</aside>` + prosePara("Third") +
				`<aside><h4>Get our newsletter</h4><p>Sign up for the weekly letter with the best of the site, delivered every Friday to your inbox for free.</p><form><input type="email"></form></aside>` +
				`<aside><h4>Related</h4><p><a href="/a">Another story about the bridge and the people who paid for it</a></p></aside>` + prosePara("Closing") + `</article></body>`,
			want: []string{"A note on the old bridge", "Callout, and the council", "Closing, and"},
			not:  []string{"Get our newsletter", "Another story"},
		},
		{
			name: "a collapsed accordion panel after its aria-expanded button is read, other hidden blocks are not",
			page: `<body><article>` + prosePara("Opening") + `<h3><button aria-expanded="false"><p>Weight</p></button></h3>` +
				`<div aria-hidden="true" hidden>` + prosePara("Collapsed weight") + `</div>` +
				`<button aria-expanded="false">Cushioning</button><div style="display: none">` + prosePara("Collapsed cushion") + `</div>` +
				`<h3>Fit</h3><div hidden>` + prosePara("Hidden draft") + `</div>` + prosePara("Closing") + `</article></body>`,
			want: []string{"Opening, and", "Collapsed weight, and", "Collapsed cushion, and", "Closing, and"},
			not:  []string{"Hidden draft"},
		},
		{
			name: "an introduction of one long paragraph in a block of its own before the body is kept",
			page: `<body><main><div class="intro"><p>` + strings.Repeat("The council met on a wet Tuesday to settle the future of the old bridge that has carried traffic over the river since the war. ", 4) + `</p></div>` +
				`<div class="body">` + strings.Repeat(prosePara("Body"), 8) + `</div><div class="foot"><p>Short footer line.</p></div></main></body>`,
			want: []string{"The council met on a wet Tuesday", "Body, and the council"},
		},
		{
			name: "a text widget wrapping one paragraph with a few links is that paragraph, a link box is not",
			page: `<body><article>` + prosePara("Opening") + prosePara("Second") +
				`<div class="wp-block-7"><p>The plan follows the <a href="/law">transport act passed last spring</a> and the <a href="/report">engineers' report</a>, which found the deck unsafe for lorries.</p></div>` +
				prosePara("Third") + `<div class="links"><p><a href="/a">Another story about the bridge</a> and <a href="/b">one more from the archive</a></p></div>` + prosePara("Closing") + `</article></body>`,
			want: []string{"The plan follows the transport act", "Closing, and"},
			not:  []string{"Another story about the bridge"},
		},
		{
			name: "a heading whose utility class says extra (leading-extra-tight) stays, a sidebar's heading does not",
			page: `<body><article>` + prosePara("Opening") + `<h2 class="font-bold leading-extra-tight mb-4">Why the bridge matters</h2>` + prosePara("Second") +
				`<h3 class="sidebar-title extra">Elsewhere on the site today</h3>` + prosePara("Closing") + `</article></body>`,
			want: []string{"Why the bridge matters", "Closing, and"},
			not:  []string{"Elsewhere on the site"},
		},
		{
			name: "a block named header that holds two paragraphs of prose opens the article, the page header does not",
			page: `<body><div class="site-header"><a href="/">Home</a> <a href="/news">News</a></div><article>` +
				`<section class="listicle-header"><h1>Ten bridges</h1>` + prosePara("Intro, after a long wet winter of closures") + prosePara("More intro, once the ferry had stopped running") + `</section>` +
				`<div class="items">` + strings.Repeat(`<div class="item"><h2>A bridge</h2>`+prosePara("Item")+`</div>`, 4) + `</div></article></body>`,
			want: []string{"Intro, after a long wet winter", "More intro, once the ferry", "Item, and"},
			not:  []string{"Home"},
		},
		{
			name: "linked lines that a line ending in a colon introduces, with prose after them, stay; trailing teasers do not",
			page: `<body><article><h3>1. Pliers</h3>` + prosePara("Pliers") + `<p>Buying options:</p><p><a href="https://shop.example/a">Shop A (Brand One)</a></p><p><a href="https://shop.example/b">Shop B (Brand Two)</a></p>` +
				`<h3>2. Cutters</h3>` + prosePara("Cutters") + `<h4>Our picks:</h4><h2><a href="https://shop.example/c">Brand Three Cutter</a></h2><h2><a href="https://shop.example/d">Brand Four Cutter</a></h2>` +
				`<h3>3. Tape</h3>` + prosePara("Tape") + `<p><a href="/x">Another story from the archive</a></p><p><a href="/y">One more story from last year</a></p></article></body>`,
			want: []string{"Shop A (Brand One)", "Shop B (Brand Two)", "Brand Three Cutter", "Brand Four Cutter", "Tape, and"},
			not:  []string{"Another story", "One more story"},
		},
		{
			name: "a header past the article's first paragraph heads a section, the article's own header does not stay",
			page: `<body><article><header><h1>The bridge</h1><span>By A. Writer on a wet Tuesday</span></header>` + prosePara("Opening") +
				`<section><header><span>STEP #1</span><h2>Close the old deck</h2></header>` + prosePara("Step one") + `</section>` +
				`<section><header><span>STEP #2</span><h2>Build the new span</h2></header>` + prosePara("Step two") + `</section></article></body>`,
			want: []string{"STEP #1", "Close the old deck", "Build the new span", "Step two, and"},
			not:  []string{"By A. Writer"},
		},
		{
			name: "a list-style article's item body with link buttons stays",
			page: `<body><article>` + prosePara("Opening") + `<div class="items">` +
				strings.Repeat(`<div class="item"><h2>A brand</h2><div class="item-body"><div class="rich">`+prosePara("Brand")+prosePara("Its maker")+
					`<p><a href="/rating">See the full rating of this brand</a></p><p><a href="https://shop.example/">Shop the whole range of the brand now</a></p></div></div></div>`, 8) +
				`</div>` + prosePara("Closing") + `</article></body>`,
			want: []string{"Brand, and the council", "Closing, and"},
		},
		{
			name: "a block of prose whose links are button lines of their own stays, a teaser with a linked title does not",
			page: `<body><article>` + prosePara("Opening") + prosePara("Second") +
				`<div class="box-7">` + prosePara("Boxed") + prosePara("Boxed again") + `<p><a href="https://shop.example/a">See the whole plan at the council's site</a></p><p><a href="https://shop.example/b">Read the engineers' full report here</a></p></div>` +
				prosePara("Third") + `<div class="box-8"><h3><a href="/other">Another story from the archive about bridges</a></h3>` + prosePara("Teaser") + prosePara("Teaser more") + `<p><a href="/other">Read the whole story</a></p></div>` + prosePara("Closing") + `</article></body>`,
			want: []string{"Boxed, and the council", "Boxed again, and", "Closing, and"},
			not:  []string{"Teaser, and the council"},
		},
		{
			name: "a rating out of a scale with a decimal stays, a bare number does not",
			page: `<body><article>` + prosePara("Opening") + `<h3>The first kettle</h3><div>4.5/5</div>` + prosePara("Kettle") +
				`<h3>The second kettle</h3><div>3.96 / 5.0</div>` + prosePara("Second") + `<div>12345</div>` + prosePara("Closing") + `</article></body>`,
			want: []string{"4.5/5", "3.96 / 5.0", "Closing, and"},
			not:  []string{"12345"},
		},
		{
			name: "date lines that open alike on three items are the items' fields, the page's date line is not",
			page: `<body><article><p>Published on March 3, 2026</p>` + prosePara("Opening") +
				`<h3>The bridge fair</h3><p>Date: May 18-21, 2026</p>` + prosePara("Fair") + `<h3>The river race</h3><p>Date: June 8-11, 2026</p>` + prosePara("Race") +
				`<h3>The lantern walk</h3><p>Date: 13-15 October 2026</p>` + prosePara("Walk") +
				`<h3>Game one</h3><div>Published by North Games</div>` + prosePara("Game one") + `<h3>Game two</h3><div>Published by Bridge Press</div>` + prosePara("Game two") +
				`<h3>Game three</h3><div>Published by River Works</div>` + prosePara("Game three") + `</article></body>`,
			want: []string{"Date: May 18-21, 2026", "Date: June 8-11, 2026", "Date: 13-15 October 2026", "Walk, and", "Published by North Games", "Published by River Works"},
			not:  []string{"Published on March"},
		},
		{
			name: "a page builder's introduction in a container of its own before the body's container is kept (links to places on the page, its contents list, count as no links); a teaser box is not",
			page: `<body><div class="builder">` +
				`<div class="el con-parent"><div class="el widget-text"><p>We Tried Every Bridge so You Do Not Have To, and here is what the long walk taught us about the river and the town.</p>` +
				`<p>What makes this subject complex is that a bridge can be seen from two sides, the people who cross it and the people who pay for it.</p>` +
				`<ul><li><a href="#s0">Why bridges matter</a></li><li><a href="#s1">What they cost to build</a></li><li><a href="#s2">Who pays for the upkeep</a></li>` +
				`<li><a href="#s3">How long they last</a></li><li><a href="#s4">What the engineers found</a></li><li><a href="#s5">What happens next</a></li></ul>` +
				`<h2 id="s0">Why bridges matter</h2><p>A bridge ties two banks of a town together, and its loss is felt in every shop and every school on both sides.</p>` +
				`<p>The first stone of the old bridge was laid by hand, and the last was set by a crane that the whole town turned out to watch.</p></div></div>` +
				`<div class="el con-parent"><div class="el widget-text"><p><a href="/a">A teaser for another story about rivers and the towns on them</a></p><p><a href="/b">One more teaser from the archive about a ferry</a></p><p>Read more.</p></div></div>` +
				`<div class="el con-parent"><div class="inner"><div class="el widget-text">` + strings.Repeat(prosePara("Body"), 12) + `</div>` +
				`<div class="el widget-heading"><h3>Questions</h3></div></div></div>` +
				`</div></body>`,
			want: []string{"We Tried Every Bridge", "from two sides", "A bridge ties two banks", "The first stone", "Body, and the council"},
			not:  []string{"A teaser for another story"},
		},
		{
			name: "a module named exactly as the candidate's, weak words and all, joins it as a section; a short one does not",
			page: `<body><header class="site"><a href="/">Home</a></header><main><div class="content">` +
				`<div class="cms_wrapper cms_wrapper_widget">` + strings.Repeat(prosePara("Body"), 30) + `</div>` +
				`<div class="cms_wrapper cms_wrapper_widget"><div class="faq"><h2>Bridge questions</h2><p>Here are common questions about the bridge.</p>` +
				`<h3>When will the bridge reopen?</h3><p>The engineers expect the deck to carry cars again by the autumn, once the new bearings are set and the load test is passed.</p>` +
				`<h3>Who pays for the work?</h3><p>The town pays a third of the cost from its reserves, and the county and a national fund for old crossings pay the rest between them.</p>` +
				`<h3>Can I still walk across?</h3><p>A footway on the north side stays open through the works, save for two weekends in the summer when the cranes lift the new beams.</p></div></div>` +
				`<div class="cms_wrapper cms_wrapper_widget"><p>Share this story with a friend.</p></div>` +
				`</div></main></body>`,
			want: []string{"Body, and the council", "Bridge questions", "Who pays for the work?", "A footway on the north side"},
			not:  []string{"Share this story"},
		},
		{
			name: "a module of the candidate's first class and weak words, with a class of its own beside, joins it as a section",
			page: `<body><header class="site"><a href="/">Home</a></header><main><div class="content">` +
				`<div class="cms_wrapper cms_wrapper_widget">` + strings.Repeat(prosePara("Body"), 30) + `</div>` +
				`<div class="cms_wrapper cms_wrapper_widget cms_faq_block"><h2>Bridge questions</h2><p>Here are common questions about the bridge.</p>` +
				`<h3>When will the bridge reopen?</h3><p>The engineers expect the deck to carry cars again by the autumn, once the new bearings are set and the load test is passed.</p>` +
				`<h3>Who pays for the work?</h3><p>The town pays a third of the cost from its reserves, and the county and a national fund for old crossings pay the rest between them.</p>` +
				`<h3>Can I still walk across?</h3><p>A footway on the north side stays open through the works, save for two weekends in the summer when the cranes lift the new beams.</p></div>` +
				`</div></main></body>`,
			want: []string{"Body, and the council", "Bridge questions", "A footway on the north side"},
		},
		{
			name: "the questions a JSON-LD FAQPage lists are read from their block after the article, a box after it is not",
			page: `<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"FAQPage","mainEntity":[` +
				`{"@type":"Question","name":"When will the bridge reopen?","acceptedAnswer":{"@type":"Answer","text":"By the autumn."}},` +
				`{"@type":"Question","name":"Who pays for the work?","acceptedAnswer":{"@type":"Answer","text":"The town."}}]}</script></head>` +
				`<body><header class="site"><a href="/">Home</a></header><main><div class="layout"><div class="col-main"><article class="post">` + strings.Repeat(prosePara("Body"), 12) + `</article></div>` +
				`<div class="col-side"><div class="box"><h3>Popular</h3><ul><li><a href="/x">A popular story</a></li></ul></div></div></div>` +
				`<section class="region"><div class="box"><h2>Bridge questions</h2>` +
				`<h3>When will the bridge reopen?</h3><p>The engineers expect the deck to carry cars again by the autumn, once the new bearings are set.</p>` +
				`<h3>Who pays for the work?</h3><p>The town pays a third of the cost from its reserves, and the county pays the rest.</p></div></section>` +
				`<section class="region"><div class="box"><p><a href="/y">More from the town hall</a></p></div></section></main></body></html>`,
			want: []string{"Body, and the council", "Bridge questions", "When will the bridge reopen?", "The town pays a third"},
			not:  []string{"More from the town hall", "A popular story"},
		},
		{
			name: "an accordion trigger that says a question the JSON-LD FAQPage lists is read, other buttons are not",
			page: `<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"FAQPage","mainEntity":[` +
				`{"@type":"Question","name":"When will the bridge reopen?","acceptedAnswer":{"@type":"Answer","text":"By the autumn."}},` +
				`{"@type":"Question","name":"Who pays for the work?","acceptedAnswer":{"@type":"Answer","text":"The town."}}]}</script></head>` +
				`<body><article>` + strings.Repeat(prosePara("Body"), 8) + `<h2>Bridge questions</h2><div class="faq">` +
				`<div class="item"><button aria-expanded="true"><span>When will the bridge</span> reopen?</button><div><p>The engineers expect the deck to carry cars again by the autumn, once the new bearings are set.</p></div></div>` +
				`<div class="item"><button aria-expanded="true">Who pays for the work?</button><div><p>The town pays a third of the cost from its reserves, and the county pays the rest.</p></div></div>` +
				`<button>Load more questions</button></div>` + prosePara("Closing") + `</article></body></html>`,
			want: []string{"When will the bridge reopen?", "Who pays for the work?", "The town pays a third", "Closing, and"},
			not:  []string{"Load more"},
		},
		{
			name: "a block that wraps one list is judged as that list: linked entries a sentence ending in a colon introduces stay",
			page: `<body><article><div class="sect">` + strings.Repeat(`<div class="paragraph">`+prosePara("Body")+`</div>`, 6) +
				`<div class="paragraph"><p>Many patches were sent for review:</p></div><div class="ulist"><ul>` +
				`<li><p><a href="/p/1">cache: fix the eviction of stale entries</a></p></li><li><p><a href="/p/2">parser: allow casts between integers and pointers</a></p></li>` +
				`<li><p><a href="/p/3">build: add support for the weak attribute</a></p></li><li><p><a href="/p/4">docs: clarify the options of the command</a></p></li></ul></div>` +
				`<div class="paragraph">` + prosePara("After") + `</div></div></article></body>`,
			want: []string{"Many patches were sent for review:", "cache: fix the eviction", "docs: clarify the options", "After, and the council"},
		},
		{
			name: "an introduction block of another name before the builder's container that holds the candidate is kept too",
			page: `<body><div class="builder">` +
				`<div class="intro-box"><p>We Tried Every Bridge so You Do Not Have To, and here is what the long walk taught us about the river and the town.</p>` +
				`<p>What makes this subject complex is that a bridge can be seen from two sides, the people who cross it and the people who pay for it.</p>` +
				`<ul><li><a href="#s0">Why bridges matter</a></li><li><a href="#s1">What they cost to build</a></li><li><a href="#s2">Who pays for the upkeep</a></li>` +
				`<li><a href="#s3">How long they last</a></li><li><a href="#s4">What the engineers found</a></li><li><a href="#s5">What happens next</a></li></ul>` +
				`<h2 id="s0">Why bridges matter</h2><p>A bridge ties two banks of a town together, and its loss is felt in every shop and every school on both sides.</p>` +
				`<p>The first stone of the old bridge was laid by hand, and the last was set by a crane that the whole town turned out to watch.</p></div>` +
				`<div class="promo-box"><p><a href="/a">A teaser for another story about rivers and the towns on them</a></p><p><a href="/b">One more teaser from the archive about a ferry</a></p><p>Read more.</p></div>` +
				`<div class="el con-parent"><div class="inner"><div class="el widget-text">` + strings.Repeat(prosePara("Body"), 12) + `</div>` +
				`<div class="el widget-heading"><h3>Questions</h3></div></div></div>` +
				`</div></body>`,
			want: []string{"We Tried Every Bridge", "from two sides", "A bridge ties two banks", "The first stone", "Body, and the council"},
			not:  []string{"A teaser for another story"},
		},
	})
}
