package extract

import (
	"strings"
	"testing"
)

// filler is a paragraph of plain article prose, long enough to score.
const filler = "<p>The council met on Tuesday evening, and after a long debate, the members voted to fund the new library, the road repairs and the school meals programme for another three years.</p>\n"

// TestArticleBody runs small pages through Extract and checks which text
// the article keeps and which it leaves out.
func TestArticleBody(t *testing.T) {
	tests := []struct {
		name      string
		page      string
		want, not []string
	}{
		{
			name: "articleBody microdata beats a share-widget id",
			page: `<body><div class="gallery">` + strings.Repeat(`<div class="item"><h3>Other story</h3><p>A teaser for another story, with a few words, commas, and more words to make it score.</p></div>`, 4) +
				`</div><article><div itemprop="articleBody" id="share-btns-container">` + strings.Repeat(filler, 5) + `<p>Closing line of the story.</p></div></article></body>`,
			want: []string{"The council met", "Closing line of the story."},
		},
		{
			name: "MathML stays in its sentence, TeX annotations do not",
			page: `<body><article>` + filler + `<p>When <math><semantics><mi>a</mi><mo>≠</mo><mn>0</mn><annotation encoding="application/x-tex">a \neq 0</annotation></semantics></math>, there are two solutions.</p>` + filler + `</article></body>`,
			want: []string{"When a≠0, there are two solutions."},
			not:  []string{`\neq`},
		},
		{
			name: "formula fallback images do not make a paragraph a gallery",
			page: `<body><article>` + filler + `<dl><dd><i>Proof:</i> <img aria-hidden="true" src="f1.svg" alt="H"> by definition, so it holds <img aria-hidden="true" src="f2.svg" alt="x">.</dd></dl>` + filler + `</article></body>`,
			want: []string{"Proof: by definition, so it holds ."},
		},
		{
			name: "a list-style article keeps its heading-only first item",
			page: `<body><div id="nav"><a href="/">Home</a></div><div class="list">` +
				`<div class="item item--image"><h2>The lede of this story is a long heading above a picture, and it says what happened.</h2><img src="a.jpg"></div>` +
				`<div class="item item--text">` + strings.Repeat(filler, 3) + `</div><div class="item item--text">` + strings.Repeat(filler, 2) + `</div></div>` +
				`<div class="footer-links"><a href="/a">About us</a> <a href="/b">Contact</a></div></body>`,
			want: []string{"The lede of this story is a long heading", "The council met"},
		},
		{
			name: "a no_caption class is not a caption",
			page: `<body><article><div class="photo no_caption"><p>The opening paragraph sits in a block whose class says it has no caption, and it is article text.</p></div>` + strings.Repeat(filler, 3) + `</article></body>`,
			want: []string{"The opening paragraph sits"},
		},
		{
			name: "a standfirst in the article's header stays, the headline block does not",
			page: `<body><article><header><h1>Headline here</h1><div class="meta">By Jane Roe</div></header><div><header>Neuroscience tells us that most of the work done by our brains happens unconsciously, but when does the moment occur?</header>` + strings.Repeat(filler, 3) + `</div></article></body>`,
			want: []string{"Neuroscience tells us"},
			not:  []string{"By Jane Roe"},
		},
		{
			name: "a data table of icons is not an image gallery",
			page: `<body><article>` + strings.Repeat(filler, 3) + `<table><tr><td></td><td>UX draft</td><td>UX review</td><td>UI mockup</td><td>UI review</td><td>Final</td><td>Done</td></tr>` +
				strings.Repeat(`<tr><td>Save map</td><td><img src="ok.png"></td><td><img src="ok.png"></td><td><img src="ok.png"></td><td><img src="ok.png"></td><td><img src="ok.png"></td><td><img src="ok.png"></td></tr>`, 3) + `</table>` + filler + `</article></body>`,
			want: []string{"UX draft", "Save map"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Extract([]byte("<!doctype html><html><head><title>Test page</title></head>"+tc.page+"</html>"), "", Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(p.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, p.Text)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(p.Text, n) {
					t.Errorf("text has %q:\n%s", n, p.Text)
				}
			}
		})
	}
}

func TestBylineCleanup(t *testing.T) {
	tests := []struct {
		name, head, want string
	}{
		{"separator and date cut", `<div class="byline">Tom Rogan | November 18, 2019 12:26 PM</div>`, "Tom Rogan"},
		{"handle cut", `<span class="author-name">Bryan DeArdo @BryanDeArdo Nov 18, 2019</span>`, "Bryan DeArdo"},
		{"schema.org Person names itself", `<div itemprop="author" itemscope><span>by </span><span itemprop="name">César Salza</span> <time>January 18, 2017</time></div>`, "César Salza"},
		{"avatar initials are no name", `<div class="byline"><span>J</span> <span>J</span></div><div class="author-name">Nataliya Vasilyeva</div>`, "Nataliya Vasilyeva"},
		{"indentation does not change it", "<div class=\"byline\">\n" + strings.Repeat(" ", 300) + "<a>Jane Roe</a>\n" + strings.Repeat(" ", 300) + "•</div>", "Jane Roe"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := "<html><body>" + tc.head + "<article>" + strings.Repeat(filler, 3) + "</article></body></html>"
			p, err := Extract([]byte(page), "", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if p.Byline != tc.want {
				t.Errorf("byline %q, want %q", p.Byline, tc.want)
			}
		})
	}
}
