package extract

import (
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/atom"

	"github.com/wiredesk/wiredesk/news"
)

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSyndicatedArabic runs the UrduPoint copy of a Sputnik story (the
// shared fixture, rebuilt as a page with its chrome) in UTF-8 and as an
// undeclared windows-1256 page.
func TestSyndicatedArabic(t *testing.T) {
	const headline = "الأمين العام للناتو: مستعدون للجلوس إلى طاولة المفاوضات مع روسيا"
	tests := []struct {
		name, file, charset string
	}{
		{"utf-8", "testdata/sputnik-urdupoint-ar.html", "utf-8"},
		{"undeclared windows-1256", "testdata/sputnik-urdupoint-ar-cp1256.html", "windows-1256"},
		{"reader text as bare paragraphs", "testdata/sputnik-urdupoint-ar-flat.html", "utf-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Extract(readFile(t, tc.file), "", Options{URL: "https://www.urdupoint.com/arabic/world/x.html"})
			if err != nil {
				t.Fatal(err)
			}
			for _, bad := range []string{headline, "(تستمر)", "أفكارك وتعليقاتك", "الأكثر قراءة", "جميع الحقوق", "فيسبوك"} {
				if strings.Contains(p.Text, bad) {
					t.Errorf("text contains chrome %q", bad)
				}
			}
			for _, good := range []string{"سبوتنيك - 28 كانون الثاني 2022", "وقال ستولتنبرغ", "جمهوريات الاتحاد السوفياتي السابق."} {
				if !strings.Contains(p.Text, good) {
					t.Errorf("text lacks %q", good)
				}
			}
			if p.Title != headline || p.Lang != "ar" || p.Charset != tc.charset {
				t.Errorf("title %q lang %q charset %q", p.Title, p.Lang, p.Charset)
			}
			if got := strings.Count(p.Text, "\n\n") + 1; got != 11 {
				t.Errorf("%d paragraphs, want 11", got)
			}
			if tc.name == "reader text as bare paragraphs" {
				return // no metadata in this variant
			}
			if p.CanonicalURL != "https://www.urdupoint.com/arabic/world/live-news-1234.html" ||
				p.Image != "https://www.urdupoint.com/images/news/nato.jpg" {
				t.Errorf("canonical %q image %q", p.CanonicalURL, p.Image)
			}
			if want := time.Date(2022, 1, 28, 9, 5, 0, 0, time.UTC); !p.Published.Equal(want) {
				t.Errorf("published %v, want %v", p.Published, want)
			}
		})
	}
}

func TestChromeParagraphs(t *testing.T) {
	title := []string{normKey("NATO chief: ready to sit at the table with Russia")}
	tests := []struct {
		name string
		text string
		link int
		drop bool
	}{
		{"arabic continuation", "(تستمر)", 0, true},
		{"arabic to be continued", "( يتبع )", 0, true},
		{"english more", "(MORE)", 0, true},
		{"dashed more", "-- more --", 0, true},
		{"ends marker", "(END)", 0, true},
		{"parenthesised sentence kept", "(Reporting by Jane Doe; editing by John Roe)", 0, false},
		{"bare word kept", "continued", 0, false},
		{"arabic comments prompt", "أفكارك وتعليقاتك", 0, true},
		{"leave a comment", "Leave a comment", 0, true},
		{"read also", "اقرأ أيضاً: روسيا ترد على الناتو", 30, true},
		{"newsletter pitch", "Get the latest updates right in your inbox. Subscribe to our newsletters.", 0, true},
		{"headline repeat", "NATO chief: ready to sit at the table with Russia", 0, true},
		{"headline repeat, other punctuation", "NATO Chief - Ready to sit at the table with Russia!", 0, true},
		{"gallery counter", "Image 3 of 5", 0, true},
		{"bare id", "12345", 0, true},
		{"separator kept", "___", 0, false},
		{"bare counter", "1 / 23", 0, true},
		{"odd counter", "Image 1 of / 23", 0, true},
		{"widget label", "Like Loading...", 0, true},
		{"loading placeholder", "Loading paragraph...", 0, true},
		{"loading placeholder, ellipsis", "Loading prices for your region…", 0, true},
		{"loading sentence kept", "Loading the trucks took the crews most of the night.", 0, false},
		{"long loading sentence kept", "Loading docks at the port were closed for three days after the storm...", 0, false},
		{"number sentence kept", "3 of 5 voters agreed.", 0, false},
		{"shortcode", "[button link=\"/x\"] Send us YOUR review[/button]", 0, true},
		{"photo credit", "Installation views, photos © Inexhibit, 2018", 0, true},
		{"byline with date", "By Matthew Digby, Minh Do on Monday, November 18th, 2019 at 11:08 a.m.", 0, true},
		{"plain byline", "By Jane Doe and John Roe", 0, true},
		{"sentence starting with by kept", "By the end of the week, ministers had agreed on most points.", 0, false},
		{"arabic byline", "بقلم محمد أحمد 2022", 0, true},
		{"news sentence kept", "The alliance said it would respond in writing to Moscow's proposals by next week, officials said.", 0, false},
		{"comments label", "Comments (12)", 0, true},
		{"short sentence with comments kept", "His comments drew criticism.", 0, false},
		{"arabic took part kept", "شارك في الاجتماع ممثلون عن 30 دولة.", 0, false},
		{"arabic participated in kept", "اشترك في الهجوم مسلحون من الخارج.", 0, false},
		{"arabic more dead kept", "المزيد من القتلى في غزة", 0, false},
		{"arabic share label", "شارك", 0, true},
		{"credit suisse kept", "Credit Suisse shares fell 5 percent on Monday.", 0, false},
		{"glued nyt credit", "CreditKevin Frayer/Getty Images", 0, true},
		{"author's follow line", "Follow me on Twitter or LinkedIn. Check out my website.", 0, true},
		{"membership pitch", "If you enjoyed this article, we have a proposition for you: become a member today.", 0, true},
		{"written-by byline", "Written by Rob Roe", 0, true},
		{"edited-by line", "Edited by Jane Doe", 0, true},
		{"written-by sentence kept", "Written by a committee, the report was ignored for years", 0, false},
		{"viewer button", "Full Screen", 0, true},
		{"viewer label", "Caption", 0, true},
		{"photo store link", "Buy Photo", 0, true},
		{"close button", "Close", 0, true},
		{"closing sentence kept", "Close to a thousand people came.", 0, false},
		{"newsletter sentence kept", "The newsletter was first published in 1998 by the party.", 0, false},
		{"sentence mentioning comments kept", "Stoltenberg's comments came after a meeting in Brussels with ministers from all thirty member states on Friday.", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := para{text: tc.text, runes: utf8.RuneCountInString(tc.text), linkLen: tc.link}
			if got := dropPara(p, title); got != tc.drop {
				t.Errorf("dropPara(%q) = %v, want %v", tc.text, got, tc.drop)
			}
		})
	}
}

const articleHTML = `<html lang="en-GB"><head>
<title>Ministers agree on plan | Example News</title>
<meta property="og:title" content="OG headline">
<meta name="author" content="Meta Author">
<meta property="article:published_time" content="2024-03-01T10:00:00Z">
<meta property="og:image" content="/img/a.jpg">
<link rel="canonical" href="/world/ministers-agree">
%s
</head><body>
<nav><a href="/">Home</a><a href="/world">World</a></nav>
<div class="share-tools"><a href="#">Share on Facebook</a></div>
<article><h1>Ministers agree on plan</h1>
<div class="story-body">
<p>Ministers from twelve countries agreed on Tuesday to a plan that would cut emissions, officials said after the talks.</p>
<p>The agreement, reached after two days of talks in Geneva, sets targets for 2030 and a review every five years.</p>
<div class="related-links"><h3>Related</h3><ul><li><a href="/a">Story A</a></li><li><a href="/b">Story B</a></li></ul></div>
<p>Environmental groups welcomed the deal but said it did not go far enough, calling for stronger measures.</p>
</div></article>
<footer>Copyright Example News</footer>
</body></html>`

func TestMetadata(t *testing.T) {
	ld := `<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},
{"@type":"NewsArticle","headline":"LD headline","datePublished":"2024-02-29T08:30:00+01:00",
"author":[{"@type":"Person","name":"Ann Writer"},{"@type":"Person","name":"Bo Reporter"}],
"image":{"@type":"ImageObject","url":"https://cdn.example.org/ld.jpg"}}]}</script>`
	tests := []struct {
		name                        string
		head                        string
		title, byline, image, canon string
		published                   time.Time
	}{
		{"json-ld first", ld, "LD headline", "Ann Writer, Bo Reporter", "https://example.org/img/a.jpg",
			"https://example.org/world/ministers-agree", time.Date(2024, 2, 29, 7, 30, 0, 0, time.UTC)},
		{"opengraph and meta", "", "OG headline", "Meta Author", "https://example.org/img/a.jpg",
			"https://example.org/world/ministers-agree", time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)},
		{"broken json-ld ignored", `<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>`,
			"OG headline", "Meta Author", "https://example.org/img/a.jpg",
			"https://example.org/world/ministers-agree", time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := strings.Replace(articleHTML, "%s", tc.head, 1)
			p, err := Extract([]byte(page), "text/html", Options{URL: "https://example.org/world/x?utm=1"})
			if err != nil {
				t.Fatal(err)
			}
			if p.Title != tc.title || p.Byline != tc.byline || p.Image != tc.image || p.CanonicalURL != tc.canon {
				t.Errorf("got title %q byline %q image %q canonical %q", p.Title, p.Byline, p.Image, p.CanonicalURL)
			}
			if !p.Published.Equal(tc.published) {
				t.Errorf("published %v, want %v", p.Published, tc.published)
			}
			if p.Lang != "en" {
				t.Errorf("lang %q", p.Lang)
			}
			want := "Ministers from twelve countries agreed on Tuesday to a plan that would cut emissions, officials said after the talks.\n\n" +
				"The agreement, reached after two days of talks in Geneva, sets targets for 2030 and a review every five years.\n\n" +
				"Environmental groups welcomed the deal but said it did not go far enough, calling for stronger measures."
			if p.Text != want {
				t.Errorf("text:\n%s\nwant:\n%s", p.Text, want)
			}
		})
	}
}

func TestRules(t *testing.T) {
	page := []byte(strings.Replace(articleHTML, "%s", "", 1))
	tests := []struct {
		name       string
		rules      news.Rules
		wantErr    bool
		short      bool
		has, lacks []string
	}{
		{"body selector", news.Rules{Body: "div.story-body"}, false, false,
			[]string{"Ministers from twelve", "Environmental groups"}, []string{"Share on Facebook"}},
		{"remove selector", news.Rules{Body: "div.story-body", Remove: []string{"p:nth-of-type(2)"}}, false, false,
			[]string{"Ministers from twelve"}, []string{"The agreement, reached"}},
		{"selector matches nothing", news.Rules{Body: "div.gone"}, false, true,
			[]string{"Ministers from twelve", "Environmental groups"}, nil},
		{"selector keeps far less", news.Rules{Body: "article p:first-of-type"}, false, true,
			[]string{"Ministers from twelve"}, []string{"Environmental groups"}},
		{"invalid selector", news.Rules{Body: "div[["}, true, false, nil, nil},
		{"invalid remove selector", news.Rules{Remove: []string{"::nope("}}, true, false, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Extract(page, "", Options{Rules: &tc.rules})
			if tc.wantErr {
				if err == nil {
					t.Fatal("want error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.RuleShort != tc.short {
				t.Errorf("RuleShort = %v, want %v", p.RuleShort, tc.short)
			}
			for _, s := range tc.has {
				if !strings.Contains(p.Text, s) {
					t.Errorf("text lacks %q:\n%s", s, p.Text)
				}
			}
			for _, s := range tc.lacks {
				if strings.Contains(p.Text, s) {
					t.Errorf("text has %q:\n%s", s, p.Text)
				}
			}
		})
	}
}

func TestLimits(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		max       int
		truncated bool
	}{
		{"truncated at cap", "<p>" + strings.Repeat("word ", 1000) + "</p>", 1000, true},
		{"under cap", "<p>short page</p>", 0, false},
		{"100000 nested divs", strings.Repeat("<div>", 100000) + "deep text", 0, false},
		{"100000 nested inline tags", strings.Repeat("<b><i>", 50000) + "deep text", 0, false},
		{"100000 nested tables", strings.Repeat("<table><tr><td>", 30000) + "deep text", 0, false},
		{"unclosed comment", "<p>text</p><!-- " + strings.Repeat("x", 100000), 0, false},
		{"unclosed script", "<p>text</p><script>" + strings.Repeat("x", 100000), 0, false},
		{"empty", "", 0, false},
		{"binary", "\x00\x01\x02\xff\xfe\x00", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			p, err := Extract([]byte(tc.body), "", Options{MaxBytes: tc.max})
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
			if p.Truncated != tc.truncated {
				t.Errorf("Truncated = %v", p.Truncated)
			}
			if !utf8.ValidString(p.Text) {
				t.Error("text is not valid UTF-8")
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	body := readFile(t, "testdata/sputnik-urdupoint-ar.html")
	first, err := Extract(body, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		p, _ := Extract(body, "", Options{})
		if *p != *first {
			t.Fatalf("run %d differs", i)
		}
	}
}

func TestDateLines(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"Published November 20th, 2019 - 07:50 GMT", true},
		{"Updated 12:24 am EST, Wednesday, November 20, 2019", true},
		{"sexta-feira, 22 de outubro de 2010 às 20:13", true},
		{"الجمعة 28 كانون الثاني 2022", true},
		{"VIP : 60,000₩", false},
		{"Released in 2019", false},
		{"1947", false},
		{"The meeting ended at 10:30 after three hours of talks in 2019.", false},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			if got := isDateLine(tc.text); got != tc.want {
				t.Errorf("isDateLine(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}

func TestLinkLines(t *testing.T) {
	text := func(s string) para { return para{text: s, runes: utf8.RuneCountInString(s)} }
	link := func(s string) para { p := text(s); p.linkLen = p.runes; return p }
	li := func(s string, linked int) para { p := text(s); p.linkLen = linked; p.tag = atom.Li; return p }
	body := text("The ministers met for two days in Geneva and agreed on a plan to cut emissions by half before 2030.")
	tests := []struct {
		name string
		in   []para
		want int
	}{
		{"lone link inside text kept", []para{body, link("the full report"), body}, 3},
		{"teaser run dropped", []para{body, body, link("Story one"), link("Story two"), body}, 3},
		{"trailing link dropped", []para{body, body, link("More from the author")}, 2},
		{"labelled pointer dropped", []para{body, link("Read more: Alibaba poised to list in Hong Kong"), body}, 2},
		{"breadcrumb dropped", []para{body, link("News » World » Europe"), body}, 2},
		{"arabic read-also dropped", []para{body, link("اقرأ أيضا: روسيا ترد"), body}, 2},
		{"partly linked list items kept", []para{body, li("Bug 1677080 – Fullscreen window is affected by switching source", 45), li("Bug 1677107 – Add telemetry for tracking usage", 35), body}, 4},
		{"share list dropped", []para{body, li("Pinterest", 9), li("Reddit", 6), body}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := len(dropLinkLines(tc.in)); got != tc.want {
				t.Errorf("kept %d paragraphs, want %d", got, tc.want)
			}
		})
	}
}

func TestTagLists(t *testing.T) {
	text := func(s string) para { return para{text: s, runes: utf8.RuneCountInString(s)} }
	body := text("The ministers met for two days in Geneva and agreed on a plan.")
	tests := []struct {
		name string
		in   []para
		want int
	}{
		{"label and list dropped", []para{body, text("Tags"), text("stock car 2018, interlagos, cascavel")}, 1},
		{"arabic label", []para{body, text("الوسوم"), text("روسيا، الناتو، أوكرانيا")}, 1},
		{"label alone dropped", []para{body, text("Tags:")}, 1},
		{"sentence after label kept", []para{body, text("Topics"), text("This is a sentence, with commas, that ends.")}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := len(dropTagLists(tc.in)); got != tc.want {
				t.Errorf("kept %d paragraphs, want %d", got, tc.want)
			}
		})
	}
}

func TestChooseLang(t *testing.T) {
	tests := []struct{ declared, detected, want string }{
		{"", "ar", "ar"},
		{"en", "", "en"},
		{"en", "ar", "ar"},
		{"ar", "en", "en"},
		{"ur", "ar", "ur"},
		{"en", "fr", "en"},
		{"ru", "ru", "ru"},
	}
	for _, tc := range tests {
		t.Run(tc.declared+"/"+tc.detected, func(t *testing.T) {
			if got := chooseLang(tc.declared, tc.detected); got != tc.want {
				t.Errorf("chooseLang(%q, %q) = %q, want %q", tc.declared, tc.detected, got, tc.want)
			}
		})
	}
}

func TestBylineFallback(t *testing.T) {
	tests := []struct{ name, head, body, want string }{
		{"meta author with prefix", `<meta name="author" content="By Jane Doe">`, "", "Jane Doe"},
		{"class byline", "", `<div class="article-byline">By Jane Doe</div>`, "Jane Doe"},
		{"rel author", "", `<a rel="author" href="/jane">Jane Doe</a>`, "Jane Doe"},
		{"url author falls back", `<meta property="article:author" content="https://x.org/jane">`, `<span class="byline">Jane Doe</span>`, "Jane Doe"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := "<html><head>" + tc.head + "</head><body>" + tc.body +
				"<article><p>Ministers from twelve countries agreed on Tuesday to a plan that would cut emissions.</p></article></body></html>"
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

func TestRepairJSON(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"trailing comma in array", `{"k": ["a", "b", ]}`, `{"k": ["a", "b" ]}`},
		{"trailing comma in object", "{\"a\": 1,\n}", "{\"a\": 1\n}"},
		{"raw newline in string", "{\"h\": \"two\nlines\"}", `{"h": "two lines"}`},
		{"comma inside string kept", `{"h": "a, ]"}`, `{"h": "a, ]"}`},
		{"escaped quote", `{"h": "say \\"hi\\", ]"}`, `{"h": "say \\"hi\\", ]"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(repairJSON(tc.in)); got != tc.want {
				t.Errorf("repairJSON(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	est := time.FixedZone("EST", -5*3600)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2019-11-18T16:06:51-05:00", time.Date(2019, 11, 18, 21, 6, 51, 0, time.UTC)},
		{"2019-11-20 12:32:13+08:00", time.Date(2019, 11, 20, 4, 32, 13, 0, time.UTC)},
		{"November 19, 2019, 07:47 PM EST", time.Date(2019, 11, 19, 19, 47, 0, 0, est)},
		{"2019-11-18 17:19:53 GMT", time.Date(2019, 11, 18, 17, 19, 53, 0, time.UTC)},
		{"Tue Nov 19 2019 03:05:46 GMT+0000 (Coordinated Universal Time)", time.Date(2019, 11, 19, 3, 5, 46, 0, time.UTC)},
		{"2022-01-28", time.Date(2022, 1, 28, 0, 0, 0, 0, time.UTC)},
		{"0001-01-01T00:00:00Z", time.Time{}},
		{"yesterday", time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := parseDate(tc.in); !got.Equal(tc.want) {
				t.Errorf("parseDate(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestDetectLang(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"english", "The minister said on Tuesday that the talks with the union were over and that the strike was illegal.", "en"},
		{"french", "Le ministre a déclaré mardi que les discussions avec les syndicats sont terminées et que la grève est illégale.", "fr"},
		{"spanish", "El ministro dijo el martes que las conversaciones con los sindicatos han terminado y que la huelga fue ilegal.", "es"},
		{"german", "Der Minister sagte am Dienstag, dass die Gespräche mit den Gewerkschaften beendet sind und der Streik nicht legal ist.", "de"},
		{"arabic", "قال الوزير يوم الثلاثاء إن المحادثات مع النقابات انتهت وإن الإضراب غير قانوني", "ar"},
		{"russian", "Министр заявил во вторник, что переговоры с профсоюзами завершены и забастовка незаконна.", "ru"},
		{"japanese", "大臣は火曜日、労働組合との協議は終了し、ストライキは違法であると述べた。ということです。", "ja"},
		{"too short", "OK", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := detectLang(tc.text); got != tc.want {
				t.Errorf("detectLang = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestKickerAndBylineLines(t *testing.T) {
	text := func(s string) para { return para{text: s, runes: utf8.RuneCountInString(s)} }
	long := text("Four branches of the county library system will open earlier and close later on weekends starting next month.")
	tests := []struct {
		name string
		in   []para
		want int
	}{
		{"kicker dropped", []para{text("Sports"), long, long}, 2},
		{"two-word kicker dropped", []para{text("World news"), long, long}, 2},
		{"short list kept", []para{text("abc"), text("def"), text("ghi")}, 3},
		{"sentence kept", []para{text("It rained."), long, long}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := len(dropKicker(tc.in)); got != tc.want {
				t.Errorf("kept %d, want %d", got, tc.want)
			}
		})
	}
	t.Run("byline with date line", func(t *testing.T) {
		ps := []para{text("Marcus Bell Published Jan. 27, 2022, 8:15 p.m."), long}
		if got := len(dropBylineLines(ps, "Marcus Bell")); got != 1 {
			t.Errorf("kept %d, want 1", got)
		}
	})
	t.Run("sentence naming the author kept", func(t *testing.T) {
		ps := []para{text("Marcus Bell, who covers the county board, asked the director about the budget for 2022."), long}
		if got := len(dropBylineLines(ps, "Marcus Bell")); got != 2 {
			t.Errorf("kept %d, want 2", got)
		}
	})
}

func TestParseTextDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"Agence France-Presse Published Jan. 29, 2022, 6:20 p.m.", time.Date(2022, 1, 29, 18, 20, 0, 0, time.UTC)},
		{"By Matthew Digby on Monday, November 18th, 2019 at 11:08 a.m.", time.Date(2019, 11, 18, 11, 8, 0, 0, time.UTC)},
		{"29 January 2022", time.Date(2022, 1, 29, 0, 0, 0, 0, time.UTC)},
		{"الجمعة 28 كانون الثاني 2022", time.Date(2022, 1, 28, 0, 0, 0, 0, time.UTC)},
		{"( أردو بوینت نتورك ۔ / سبوتنيك - 28 كانون الثاني 2022ء)", time.Date(2022, 1, 28, 0, 0, 0, 0, time.UTC)},
		{"الخميس 27 يناير 2022 - 14:05", time.Date(2022, 1, 27, 14, 5, 0, 0, time.UTC)},
		{"Released in 2019", time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := parseTextDate(tc.in); !got.Equal(tc.want) {
				t.Errorf("parseTextDate(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}
