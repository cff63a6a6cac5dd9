package extract_test

import (
	"fmt"
	"strings"

	"github.com/wiredesk/wiredesk/scraper/extract"
)

// A page is stripped to the article's own text and metadata: the menu,
// the related links and the footer go.
func ExampleExtract() {
	para := "The council voted on Tuesday to rebuild the old harbour wall, which storms breached twice last winter. "
	page := `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Harbour wall to be rebuilt | The Coast Times</title>
<meta property="og:title" content="Harbour wall to be rebuilt">
<link rel="canonical" href="https://coast.example/news/harbour-wall">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Harbour wall to be rebuilt</h1>
<p>` + strings.Repeat(para, 3) + `</p>
<p>Work starts in spring and should take eighteen months, the council said in a statement.</p>
</article>
<aside><h2>Related</h2><ul><li><a href="/a">Storm closes ferry</a></li><li><a href="/b">Tide tables</a></li></ul></aside>
<footer>© The Coast Times. All rights reserved.</footer>
</body></html>`
	p, err := extract.Extract([]byte(page), "text/html", extract.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title)
	fmt.Println(p.CanonicalURL, p.Lang)
	fmt.Println(strings.Contains(p.Text, "harbour wall"), strings.Contains(p.Text, "Tide tables"), strings.Contains(p.Text, "rights reserved"))
	// Output:
	// Harbour wall to be rebuilt
	// https://coast.example/news/harbour-wall en
	// true false false
}
