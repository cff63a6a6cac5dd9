package extract

import (
	"testing"
)

// TestPrecisionRules checks the rules that leave out text a page shows
// beside its article: copies of the article's own blocks, and the like.
// want maps text to the number of times it must appear.
func TestPrecisionRules(t *testing.T) {
	para := func(s string) string {
		return "<p>" + s + ", and the council heard from residents, engineers and the treasurer before it voted on the plan.</p>"
	}
	runShapes(t, []shapeCase{
		{
			name: "a mobile copy of the article's text is read once",
			page: `<body><article><div class="copy copy-desktop">` + para("Opening") + para("Second") + para("Third") + para("Fourth") + `</div>` +
				`<div class="copy copy-mobile">` + para("Opening") + para("Second") + para("Third") + para("Fourth") + `</div></article></body>`,
			count: map[string]int{"Opening, and": 1, "Second, and": 1, "Fourth, and": 1},
		},
		{
			name: "a slide followed directly by its mobile copy is read once, a refrain in one block stays",
			page: `<body><article>` + para("Opening") + para("Second") + `<div class="slide slide-desktop">` + para("Slide text") + `</div>` +
				`<div class="slide slide-mobile">` + para("Slide text") + `</div>` + para("Third") + `<div class="song">` + para("Refrain") + para("Refrain") + `</div>` + para("Closing") + `</article></body>`,
			count: map[string]int{"Slide text, and": 1, "Refrain, and": 2, "Third, and": 1, "Closing, and": 1},
		},
		{
			name: "a summary box restating two points keeps them",
			page: `<body><article>` + para("Opening") + para("Second") + para("Third") + para("Fourth") +
				`<div class="key-points"><ul><li>` + para("Second") + `</li><li>` + para("Fourth") + `</li></ul></div>` + para("Closing") + `</article></body>`,
			count: map[string]int{"Opening, and": 1, "Second, and": 2, "Fourth, and": 2, "Closing, and": 1},
		},
		{
			name: "a schedule repeating its rows in blocks of one kind keeps them",
			page: `<body><article>` + para("Opening") + `<h3>Week one</h3><ul><li>` + para("Warm up") + `</li><li>` + para("Intervals") + `</li><li>` + para("Cool down") + `</li></ul>` +
				`<h3>Week two</h3><ul><li>` + para("Warm up") + `</li><li>` + para("Intervals") + `</li><li>` + para("Cool down") + `</li></ul>` + para("Closing") + `</article></body>`,
			count: map[string]int{"Warm up, and": 2, "Cool down, and": 2, "Closing, and": 1},
		},
		{
			name: "a related-articles box named with the article's word is left out",
			page: `<body><div class="content">` + para("Opening") + para("Second") + para("Closing") +
				`<section class="related-articles"><div class="card"><h3>Another guide on floors</h3><p>A short teaser of the other guide.</p></div>` +
				`<div class="card"><h3>One more guide on walls</h3><p>A second short teaser for it.</p></div></section>` +
				`<div class="comments-body"><p>Great post, thanks for writing it!</p></div></div></body>`,
			count: map[string]int{"Opening, and": 1, "Closing, and": 1, "Another guide": 0, "short teaser": 0, "Great post": 0},
		},
		{
			name: "commentary, embedded social posts and layout wrappers stay",
			page: `<body><div class="content-sidebar-wrap"><div class="commentary-body">` + para("Opening") + para("Second") +
				`<div class="social-media-embed"><blockquote>The minister said on social media that the vote would go ahead as planned.</blockquote></div>` +
				para("Closing") + `</div></div></body>`,
			count: map[string]int{"Opening, and": 1, "Closing, and": 1, "The minister said": 1},
		},
		{
			name: "a call-to-action box (cta) is left out, a class with the letters inside a word is not",
			page: `<body><article>` + para("Opening") + `<div class="dictate-notes">` + para("Second") + `</div>` + para("Closing") +
				`<div class="post-cta"><h3>Ready to grow your practice?</h3><p>Book a free call with our team and get a plan within a week.</p></div></article></body>`,
			count: map[string]int{"Opening, and": 1, "Second, and": 1, "Closing, and": 1, "Ready to grow": 0, "Book a free call": 0},
		},
		{
			name: "what precedes the start of the publisher's articleBody is left out",
			page: `<html><head><script type="application/ld+json">{"@type":"Article","articleBody":"Opening, and the council heard from residents, engineers and the treasurer before it voted on the plan. Extra, and the council heard from residents, engineers and the treasurer before it voted on the plan. Second, and the council heard from residents, engineers and the treasurer before it voted on the plan. Third, and the council heard from residents, engineers and the treasurer before it voted on the plan. Closing, and the council heard from residents, engineers and the treasurer before it voted on the plan."}</script></head>` +
				`<body><article><p>We may earn a commission when you buy through the links on this page, at no cost to you.</p>` + para("Opening") + para("Extra") + para("Second") + para("Third") + para("Closing") + `</article></body></html>`,
			count: map[string]int{"We may earn": 0, "Opening, and": 1, "Closing, and": 1},
		},
		{
			name: "text before the start of articleBody that weighs over a third of the rest stays",
			page: `<html><head><script type="application/ld+json">{"@type":"Article","articleBody":"The vote came late. Second, and the council heard from residents, engineers and the treasurer before it voted on the plan. Third, and the council heard from residents, engineers and the treasurer before it voted on the plan. Closing, and the council heard from residents, engineers and the treasurer before it voted on the plan. More words to make the body long enough to count as the publisher's copy of the text, and then some more of them. Still more words follow here, so that the copy is well over the length at which it is read at all, and it is."}</script></head>` +
				`<body><article>` + para("Opening") + para("Second") + para("Third") + para("Closing") + `</article></body></html>`,
			count: map[string]int{"Opening, and": 1, "Second, and": 1, "Closing, and": 1},
		},
		{
			name: "a lone linked button line repeated under each item is left out, a single one and a linked list stay",
			page: `<body><article>` + para("Opening") + `<h2>First pick</h2>` + para("First pick") + `<p><a href="/go/1">Check price</a></p>` +
				`<h2>Second pick</h2>` + para("Second pick") + `<p><a href="/go/2">Check price</a></p>` +
				para("Third") + `<p><a href="/report.pdf">Read the council's report</a></p>` + para("Closing") +
				`<p>Where to buy:</p><p><a href="/a">Shop one</a></p><p><a href="/b">Shop two</a></p>` + para("Last word") + `</article></body>`,
			count: map[string]int{"Check price": 0, "First pick, and": 1, "Second pick, and": 1, "Read the council's report": 1, "Shop one": 1, "Closing, and": 1},
		},
		{
			name: "a grid of <article> teasers with linked titles beside the article is left out",
			page: `<body><div class="post-body">` + para("Opening") + para("Second") + para("Third") + para("Closing") + `</div>` +
				`<div class="more-posts"><article class="post-card"><h4><a href="/p/1">Menu drops for the first week</a></h4><div><span>December 9, 2025</span> <span>No Comments</span></div><p>The week's menu options will be a beef dish with rice and</p></article>` +
				`<article class="post-card"><h4><a href="/p/2">Menu drops for the second week</a></h4><div><span>December 2, 2025</span> <span>No Comments</span></div><p>The week's menu options will be a fish dish with greens and</p></article></div></body>`,
			count: map[string]int{"Opening, and": 1, "Closing, and": 1, "Menu drops": 0, "menu options": 0, "No Comments": 0},
		},
		{
			name: "a lone linked line in a bare div is left out, one in a paragraph stays",
			page: `<body><article>` + para("Opening") + para("Second") + `<div class="body"><a href="/shop">Browse the whole collection in our shop</a>` + para("Third") + para("Fourth") + `</div>` +
				`<p><a href="/report.pdf">Read the council's full report</a></p>` + para("Closing") + `</article></body>`,
			count: map[string]int{"Opening, and": 1, "Third, and": 1, "Closing, and": 1, "Browse the whole": 0, "Read the council's full report": 1},
		},
		{
			name: "short lines in bare divs ending the article go, a label with a colon stays",
			page: `<body><div class="post">` + para("Opening") + para("Second") + para("Closing") +
				`<div>Zero trust access, simplified for teams</div><div>Start your free trial of the workspace</div></div></body>`,
			count: map[string]int{"Opening, and": 1, "Closing, and": 1, "Zero trust": 0, "free trial": 0},
		},
		{
			name: "a trailing label with a colon in a bare div stays",
			page: `<body><div class="post">` + para("Opening") + para("Second") + para("Closing") +
				`<div>See more photos:</div></div></body>`,
			count: map[string]int{"Opening, and": 1, "Closing, and": 1, "See more photos:": 1},
		},
		{
			name: "a poem's short lines in one div split by br end the article and stay",
			page: `<body><div class="post">` + para("Opening") + para("Second") + para("Closing") +
				`<div>The river keeps its counsel<br>and the reeds bend low<br>over the water's sleeping face<br>where the herons go</div></div></body>`,
			count: map[string]int{"Opening, and": 1, "The river keeps": 1, "reeds bend low": 1, "herons go": 1},
		},
		{
			name: "a leaked template tag with no closing tag goes, a bracketed stage note stays",
			page: `<body><article>` + para("Opening") + `<p>[CTA_MODULE]</p>` + para("Second") +
				`<p>[video-player id="x7" autoplay="no"]</p><p>[Music fades]</p>` + para("Closing") + `</article></body>`,
			count: map[string]int{"Opening, and": 1, "Closing, and": 1, "CTA_MODULE": 0, "video-player": 0, "[Music fades]": 1},
		},
		{
			name:  "short lines in bare divs opening the article go, a br-split opening stays",
			page:  `<body><div class="post"><div>Guides for the whole family</div><div>Eight minutes of reading</div>` + para("Opening") + para("Second") + para("Closing") + `</div></body>`,
			count: map[string]int{"Guides for the whole": 0, "Eight minutes": 0, "Opening, and": 1, "Closing, and": 1},
		},
		{
			name:  "a br-split opening in one div stays",
			page:  `<body><div class="post"><div>The river keeps its counsel<br>and the reeds bend low</div>` + para("Opening") + para("Second") + para("Closing") + `</div></body>`,
			count: map[string]int{"The river keeps": 1, "reeds bend low": 1, "Opening, and": 1},
		},
		{
			name: "the caption of a lead picture above the text goes, one inside the text stays",
			page: `<body><div class="post"><figure><img src="a.jpg"><figcaption>The council chamber on the night of the vote, packed with residents.</figcaption></figure>` +
				para("Opening") + para("Second") + `<figure><img src="b.jpg"><figcaption>Engineers walk the site of the new bridge.</figcaption></figure>` + para("Closing") + `</div></body>`,
			count: map[string]int{"council chamber on the night": 0, "Engineers walk the site": 1, "Opening, and": 1, "Closing, and": 1},
		},
		{
			name:  "a longer title line in a bare div over the text goes, a standfirst sentence stays",
			page:  `<body><div class="post"><div>Everything you need for a smooth move across the state lines</div>` + para("Opening") + para("Second") + para("Closing") + `</div></body>`,
			count: map[string]int{"Everything you need": 0, "Opening, and": 1},
		},
		{
			name:  "a standfirst sentence in a bare div over the text stays",
			page:  `<body><div class="post"><div>The council voted late on Tuesday after a long debate.</div>` + para("Opening") + para("Second") + para("Closing") + `</div></body>`,
			count: map[string]int{"The council voted late": 1, "Opening, and": 1},
		},
	})
}
