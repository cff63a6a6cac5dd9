package extract

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/wiredesk/wiredesk/news"
)

// DefaultMaxBytes is the input cap when Options.MaxBytes is 0.
const DefaultMaxBytes = 10 << 20

// minText is the article length, in runes, under which the heuristics are
// retried without dropping unlikely-looking blocks first.
const minText = 250

// Options for one page.
type Options struct {
	URL      string      // page URL, for resolving relative links (canonical, image)
	Rules    *news.Rules // optional per-site rules
	MaxBytes int         // 0 = default cap (10 MiB): larger input is truncated at the cap (say so in Page.Truncated)
}

// Page is what extraction found.
type Page struct {
	Title, Byline, Text, Lang, CanonicalURL, Image, Charset string
	Published                                               time.Time
	Truncated                                               bool
	RuleShort                                               bool // per-site rule matched nothing or kept far less than the heuristics would
}

// Extract decodes body (charset from contentType header, BOM, meta, sniffing) and extracts the article.
func Extract(body []byte, contentType string, opt Options) (*Page, error) {
	limit := opt.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	p := &Page{}
	if len(body) > limit {
		body, p.Truncated = body[:limit], true
	}
	src, cs, err := ToUTF8(body, contentType)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", opt.URL, err)
	}
	p.Charset = cs
	stripped := stripRaw(src, opt.Rules == nil || opt.Rules.Body == "" && len(opt.Rules.Remove) == 0)
	root, err := html.Parse(stripped)
	if err != nil {
		// Pathological nesting: cap it and parse again.
		root, err = html.Parse(bytes.NewReader(flattenDeep(stripped.bytes())))
	}
	if err != nil {
		// The parser refuses pathological nesting; fall back to a flat
		// tokenizer pass that keeps the page's paragraphs in order.
		paras := fallbackParas(src)
		p.Text = joinParas(filterParas(paras, nil))
		p.Lang = detectLang(p.Text)
		return p, nil
	}
	m := collectMeta(root)
	m.stream.place()
	ld := parseJSONLD(m.jsonld)
	fillMeta(p, m, ld, opt.URL)
	pg := &pageDOM{root: root, titles: titleKeys(p.Title, m), size: m.nodes, faq: ld.faq, faqSet: faqSet(ld.faq)}
	paras, ruleShort, err := pg.articleParas(opt.Rules)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", opt.URL, err)
	}
	p.RuleShort = ruleShort
	if p.Published.IsZero() {
		p.Published = parseTextDate(pg.dateTxt)
	}
	p.Text = joinParas(trimToBody(dropTail(dropAuthorBio(dropBylineLines(paras, p.Byline), p.Byline)), ld.body))
	p.Lang = pageLang(p.Lang, p.Text)
	return p, nil
}

// pageDOM is one parsed page on its way through the heuristics.
type pageDOM struct {
	root    *html.Node
	removed map[*html.Node]bool // removed by site rules
	titles  []string            // normalised headlines, see titleKeys
	size    int                 // node count, to size arenas
	hints   map[string]hintBits // class token cache shared by the passes
	dateTxt string              // first date line near the top of the article
	faq     []string            // questions of a JSON-LD FAQPage
	faqSet  map[string]bool     // the same, normalised (normQ); nil with fewer than two
}

// articleParas returns the filtered article paragraphs, using the site's
// rules when given and the heuristics otherwise (or when the rule misses).
func (pg *pageDOM) articleParas(rules *news.Rules) ([]para, bool, error) {
	if rules == nil || rules.Body == "" && len(rules.Remove) == 0 {
		return pg.heuristicParas(), false, nil
	}
	removed, bodies, err := applyRules(pg.root, rules)
	if err != nil {
		return nil, false, err
	}
	pg.removed = removed
	heur := pg.heuristicParas()
	if rules.Body == "" {
		return heur, false, nil
	}
	var ruled []para
	for _, b := range bodies {
		d := buildDOM(b, buildOpts{removed: removed, hints: pg.hints})
		ruled = append(ruled, d.render([]int32{0})...)
	}
	ruled = filterParas(ruled, pg.titles)
	if len(ruled) == 0 {
		return heur, true, nil
	}
	short := 2*paraRunes(ruled) < paraRunes(heur) // less than half: the selector has gone stale
	return ruled, short, nil
}

// heuristicParas scores the DOM and renders the best candidate, retrying
// without the unlikely-candidate pruning when that found too little.
func (pg *pageDOM) heuristicParas() []para {
	best := pg.heuristicPass(true)
	if paraRunes(best) >= minText {
		return best
	}
	if alt := pg.heuristicPass(false); paraRunes(alt) > paraRunes(best) {
		return alt
	}
	return best
}

func (pg *pageDOM) heuristicPass(strict bool) []para {
	if pg.hints == nil {
		pg.hints = map[string]hintBits{}
	}
	d := buildDOM(pg.root, buildOpts{strict: strict, removed: pg.removed, size: pg.size, hints: pg.hints, faq: pg.faqSet})
	if d.body < 0 {
		return nil
	}
	top := d.proseRegion(d.climbSections(d.refineCandidate(d.scoreParagraphs())))
	d.top = top
	var roots []int32
	if top == d.body {
		roots = []int32{top}
	} else {
		roots = d.selectArticle(top)
		if f := d.faqBlock(pg.faq, roots); f >= 0 {
			roots = append(roots, f)
		}
	}
	ps := d.render(roots)
	pg.noteDateLine(ps)
	return d.dropRepeats(filterParas(ps, pg.titles))
}

// noteDateLine remembers the first short line among the opening
// paragraphs that has a year or a clock time: the visible date, for pages
// whose metadata carries none.
func (pg *pageDOM) noteDateLine(ps []para) {
	for i, p := range ps {
		if i >= 8 {
			return
		}
		if p.runes <= 160 && looksDated(p) && !parseTextDate(p.text).IsZero() {
			pg.dateTxt = p.text
			return
		}
	}
}

// looksDated reports whether a paragraph presents a date rather than
// mentioning one: a date line, a byline line, or "Published ..." / "نشر".
func looksDated(p para) bool {
	if !hasYearDigits(p.text) {
		return false
	}
	l := strings.ToLower(p.text)
	return isDateLine(p.text) || isBylineLine(p) || strings.Contains(l, "published") ||
		strings.Contains(l, "updated") || strings.Contains(l, "posted") || strings.Contains(l, "نشر") ||
		strings.Contains(l, "تحديث") || p.runes <= 60 && strings.HasPrefix(p.text, "(")
}

func paraRunes(ps []para) int {
	n := 0
	for _, p := range ps {
		n += p.runes
	}
	return n
}

func joinParas(ps []para) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p.text)
	}
	return b.String()
}

// faqSet returns FAQPage questions normalised (normQ), nil when there
// are fewer than two.
func faqSet(faq []string) map[string]bool {
	if len(faq) < 2 {
		return nil
	}
	m := make(map[string]bool, len(faq))
	for _, q := range faq {
		m[normQ(q)] = true
	}
	return m
}
