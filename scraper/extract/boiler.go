package extract

import (
	"strings"

	"golang.org/x/net/html/atom"
	"unicode"
	"unicode/utf8"
)

// ctaLabels are widget labels and prompts that are chrome when they are
// the whole paragraph (trailing punctuation and counts aside), but ordinary
// words inside a sentence: "His comments drew criticism", "شارك في
// الاجتماع" ("took part in the meeting"). Lower case.
var ctaLabels = []string{
	"comments", "comment", "share", "share this", "related", "advertisement", "sponsored",
	"subscribe", "newsletter", "print", "email", "reply", "more", "read more", "advert",
	"like this", "like loading", "back to gallery", "loading", "view gallery", "view photos",
	"advertising", "close", "caption", "autoplay", "full screen", "fullscreen", "buy photo", "enlarge this image",
	"iklan", "anuncio", "annonce", "sukai ini", "suka memuat",
	"التعليقات", "تعليقات", "تعليق", "شارك", "مشاركة", "إعلان", "اعلان", "اشترك", "طباعة",
	"publicité", "publicidad", "anzeige", "werbung", "реклама", "compartir", "partager", "teilen",
}

// ctaPhrases mark a paragraph of up to 60 runes as a call to action or a
// comment prompt. Lower case; each is specific enough not to occur in news
// sentences.
var ctaPhrases = []string{
	// English
	"leave a comment", "leave a reply", "post a comment", "add a comment", "view comments",
	"show comments", "share this", "share on", "share via", "sign up", "subscribe now",
	"subscribe today", "read more", "read also", "see also", "related:", "related articles",
	"related stories", "follow us", "click here", "all rights reserved", "copyright ©",
	"your thoughts", "recommended for you", "don't miss", "listen to this article",
	"sign in to", "log in to", "get the app", "download the app",
	// Arabic
	"أفكارك وتعليقاتك", "اترك تعليق", "اترك تعليقا", "أضف تعليق", "أضف تعليقا", "شارك الخبر",
	"شارك المقال", "شارك على", "اقرأ أيضا", "اقرأ أيضاً", "إقرأ أيضا", "إقرأ أيضاً", "اقرأ المزيد",
	"تابعونا", "تابعنا على", "اشترك الآن", "النشرة البريدية", "جميع الحقوق محفوظة",
	"مواضيع ذات صلة", "أخبار ذات صلة", "شاهد أيضا", "شاهد أيضاً",
	// French, Spanish, German, Russian, Urdu/Persian
	"laisser un commentaire", "lire aussi", "abonnez-vous", "deja un comentario", "leer más",
	"suscríbete", "kommentar schreiben", "lesen sie auch", "jetzt abonnieren",
	"комментарии", "поделиться", "читайте также", "подписаться",
	"تبصرے", "مزید پڑھیں", "بیشتر بخوانید",
}

// strongCTA are phrases that mark a paragraph of up to 200 runes as a
// call to action, an author contact line or a widget notice. Lower case.
var strongCTA = []string{
	"sign up for", "subscribe to our", "subscribe to the", "subscribe now", "our newsletter",
	"follow us on", "follow me on", "if you enjoyed this article", "follow him on", "follow her on", "follow them on", "follow him @", "follow her @",
	"may be reached at", "can be reached at", "have a tip?", "join our", "sharing is caring",
	"requires javascript", "enable javascript", "tell us what you think", "let us know in the comments",
	"click here", "all rights reserved", "share this article", "share this story",
	"get the latest", "delivered to your inbox", "download our app", "is not allowed to be",
	"read the full story", "uses akismet", "your comment data is processed", "you may also like",
	"you might also like", "required fields are marked", "your email address will not be published",
	"اشترك في النشرة", "اشترك في قناتنا", "تابعونا على", "حمل تطبيق", "جميع الحقوق محفوظة",
	"للمزيد من الأخبار", "inscrivez-vous", "suscríbete", "abonnez-vous à",
}

// ctaIndex and strongCTAIndex find the phrases in one scan of a paragraph.
var ctaIndex, strongCTAIndex = newPhraseIndex(ctaPhrases), newPhraseIndex(strongCTA)

// phraseIndex holds phrases by their first byte.
type phraseIndex [256][]string

func newPhraseIndex(phrases []string) *phraseIndex {
	var idx phraseIndex
	for _, p := range phrases {
		idx[p[0]] = append(idx[p[0]], p)
	}
	return &idx
}

// in reports whether s contains one of the phrases. A phrase that starts
// with a Latin letter starts a word ("our newsletter" is not in "your
// newsletter").
func (idx *phraseIndex) in(s string) bool {
	for i := 0; i < len(s); i++ {
		if i > 0 && isASCIILetter(s[i]) && isASCIILetter(s[i-1]) {
			continue
		}
		for _, p := range idx[s[i]] {
			if strings.HasPrefix(s[i:], p) {
				return true
			}
		}
	}
	return false
}

// continuationWords are the words of "(continued)"-style markers.
var continuationWords = []string{
	"تستمر", "يتبع", "تتبع", "يتبع)", "متابعة", "more", "continued", "cont", "cont'd",
	"continues", "mehr", "suite", "sigue", "continúa", "продолжение", "далее", "end", "ends",
	"انتهى", "نهاية",
}

// filterParas drops chrome: headline repeats, continuation markers,
// short calls to action, and link-only lines.
func filterParas(ps []para, titles []string) []para {
	// Date and byline lines that open with the same word on three lines
	// or more are the fields of a list's items (an event's "Date: ..."),
	// not the page's date or byline. Bare dates are left out of this:
	// a list of teasers repeats them too.
	var fields map[string]int
	for _, p := range ps {
		if k := fieldKey(p); k != "" {
			if fields == nil {
				fields = map[string]int{}
			}
			fields[k]++
		}
	}
	out := ps[:0]
	for i, p := range ps {
		if fields != nil && fields[fieldKey(p)] >= 3 {
			out = append(out, p)
			continue
		}
		t := titles
		if i >= 3 && p.heading && p.tag != atom.H1 {
			// A section heading deep in the article that restates the
			// headline ("How much does a remodel cost?") heads a section.
			t = nil
		}
		if dropPara(p, t) {
			continue
		}
		out = append(out, p)
	}
	return dropKicker(dropTagLists(dropLinkLines(dropButtonRepeats(out))))
}

// dropButtonRepeats removes short lines that are wholly a link and recur
// word for word in the article: the buttons of a list's items ("Check
// price", "Learn more") rather than anything a reader reads.
func dropButtonRepeats(ps []para) []para {
	var seen map[string]int
	for i, p := range ps {
		if lone(ps, i) {
			if seen == nil {
				seen = map[string]int{}
			}
			seen[p.text]++
		}
	}
	if seen == nil {
		return ps
	}
	drop := make([]bool, len(ps))
	for i, p := range ps {
		drop[i] = lone(ps, i) && seen[p.text] >= 2
	}
	out := ps[:0]
	for i, p := range ps {
		if !drop[i] {
			out = append(out, p)
		}
	}
	return out
}

// lone reports whether ps[i] is a button line between lines that are
// not: a run of linked lines is a list, which dropLinkLines judges.
func lone(ps []para, i int) bool {
	return buttonLine(ps[i]) && (i == 0 || !buttonLine(ps[i-1])) && (i+1 == len(ps) || !buttonLine(ps[i+1]))
}

func buttonLine(p para) bool {
	return p.runes <= 40 && !p.data && !p.heading && float32(p.linkLen) >= 0.9*float32(p.runes)
}

// fieldKey is the opening label, lower case, of a date line ("date") or
// the opening two words of a byline line ("published by"); "" for other
// lines and for bare dates.
func fieldKey(p para) string {
	if p.runes > 120 {
		return ""
	}
	w, _, _ := strings.Cut(p.text, " ")
	label := strings.HasSuffix(w, ":")
	f := strings.ToLower(strings.TrimRight(w, ":,."))
	byline := !label && bylineWord(f)
	if !label && !byline || strings.TrimLeft(f, "0123456789") == "" || label && isDateWord(f) {
		return ""
	}
	if label && isDateLine(p.text) {
		return f
	}
	if byline && isBylineLine(p) {
		if bylineWord(f + " ") {
			return f // "By ...", "Por ..."
		}
		// "published by" and "published on" are different fields.
		f2, _, _ := strings.Cut(strings.TrimSpace(p.text[len(w):]), " ")
		return f + " " + strings.ToLower(f2)
	}
	return ""
}

// bylineWord reports whether w opens one of the byline prefixes, or is
// one of them ("by ") when it ends in a space.
func bylineWord(w string) bool {
	for _, bp := range bylinePrefixes {
		if first, _, _ := strings.Cut(bp, " "); first == w || bp == w {
			return true
		}
	}
	return false
}

// dropKicker removes a section label ("Sports", "World news") that opens
// the article: one or two words, no sentence punctuation, no digits.
func dropKicker(ps []para) []para {
	if len(ps) < 3 || ps[0].runes > 20 || strings.ContainsAny(ps[0].text, ".!?:;,0123456789\"“”«»") {
		return ps
	}
	if n := len(strings.Fields(ps[0].text)); n == 0 || n > 2 {
		return ps
	}
	if ps[1].runes < 60 && ps[2].runes < 60 {
		return ps // a list of short items, not a label over an article
	}
	return ps[1:]
}

// linkLabels start lines that point to other stories.
var linkLabels = []string{"read more", "related", "see also", "more:", "watch:", "read:", "also read",
	"اقرأ", "إقرأ", "شاهد", "ذات صلة", "لمزيد", "lire aussi", "lee también", "mehr zum thema"}

// dropLinkLines removes short lines that are mostly a link when they look
// like navigation: runs of such lines (teaser lists), lines at the edges of
// the article, breadcrumbs and labelled pointers ("Read more: ...",
// "[Related: ...]"). A lone link inside the text stays.
func dropLinkLines(ps []para) []para {
	linky := make([]bool, len(ps))
	for i, p := range ps {
		linky[i] = p.runes < 120 && float32(p.linkLen) > 0.6*float32(p.runes) && !p.data
	}
	for i, p := range ps {
		// A linked heading over a paragraph of prose titles a section
		// (the items of a round-up link their names), not a teaser.
		if linky[i] && p.heading && i > 0 && i+1 < len(ps) && !ps[i+1].heading && !linky[i+1] && ps[i+1].runes >= 80 {
			linky[i] = false
		}
	}
	// A run of linked lines of one kind (list items, paragraphs or
	// headings) that a sentence or a heading introduces (it ends in a
	// colon) and prose follows is part of the text (the resources or
	// products it lists: "Buying options:", "Our picks:"), unlike the
	// teasers that trail an article.
	inner := make([]bool, len(ps))
	for i := 0; i < len(ps); {
		if !linky[i] {
			i++
			continue
		}
		j := i
		for j < len(ps) && linky[j] && ps[j].tag == ps[i].tag {
			j++
		}
		k := j
		for k < len(ps) && ps[k].heading && !linky[k] {
			k++
		}
		if i > 0 && !linky[i-1] && strings.HasSuffix(ps[i-1].text, ":") &&
			k < len(ps) && !linky[k] && !ps[k].heading && ps[k].runes >= 80 {
			for x := i; x < j; x++ {
				inner[x] = true
			}
		}
		i = j
	}
	out := ps[:0]
	for i, p := range ps {
		if linky[i] && !inner[i] {
			// List items that are wholly links are navigation; partly
			// linked items ("Bug 123 – fix the cache") are content.
			whole := p.tag != atom.Li || float32(p.linkLen) >= 0.9*float32(p.runes) && !p.sublist
			run := whole && (i > 0 && linky[i-1] || i+1 < len(ps) && linky[i+1])
			edge := i == 0 || i == len(ps)-1
			l := strings.ToLower(strings.TrimLeft(p.text, "[( "))
			labelled := strings.ContainsAny(p.text, "»›") || strings.HasPrefix(p.text, "[")
			for _, lb := range linkLabels {
				labelled = labelled || strings.HasPrefix(l, lb)
			}
			// A linked line set in a bare <div>, not a paragraph, is a
			// widget's line (a button, a promo's link), not the text's.
			if run || edge || labelled || p.tag == atom.Div {
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

func dropPara(p para, titles []string) bool {
	if p.runes == 0 {
		return true
	}
	if len(titles) > 0 && p.runes < 400 && (p.heading || couldEqual(p.text, titles)) {
		k := normKey(p.text)
		for _, t := range titles {
			if k == t || p.tag == atom.H1 && len(k) > 10 && strings.Contains(t, k) {
				return true
			}
		}
	}
	if p.data {
		return false // a table's cells: dates, numbers and links are its data
	}
	if isContinuationMarker(p.text) || isLoadingPlaceholder(p.text) || p.runes <= 90 && isDateLine(p.text) {
		return true
	}
	if p.runes <= 200 && p.tag != atom.Td && p.tag != atom.Th { // data cells are not calls to action
		l := strings.ToLower(p.text)
		if p.runes <= 60 && (ctaIndex.in(l) || isLabel(l, ctaLabels)) || (p.runes <= 120 || p.linkLen > 0) && strongCTAIndex.in(l) {
			return true
		}
	}
	if p.runes <= 12 && p.tag != atom.Td && p.tag != atom.Th && p.tag != atom.Li && p.tag != atom.Pre &&
		!hasLetter(p.text) && strings.ContainsAny(p.text, "0123456789") && !strings.ContainsAny(p.text, "$€£¥₹") &&
		!(p.runes <= 2 && strings.Trim(p.text, "0123456789") == "") && !isRating(p.text) {
		return true // "12345", "1,024": ids, view counts (a price or a rating is data)
	}
	return isCounter(p.text) || isShortcode(p.text) || isCreditLine(p) || isBylineLine(p) ||
		p.runes <= 100 && strings.HasPrefix(strings.ToLower(p.text), "filed under")
}

// isRating matches a score out of a scale with a decimal ("4.5/5", "4.96 /
// 5.0"), which a gallery's counter ("3/5") never has.
func isRating(s string) bool {
	a, b, ok := strings.Cut(s, "/")
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	return ok && a != "" && b != "" && strings.Contains(a+b, ".") &&
		strings.Trim(a, "0123456789.") == "" && strings.Trim(b, "0123456789.") == ""
}

func hasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// isLabel reports whether the lower-cased paragraph l is one of labels,
// ignoring punctuation, digits ("Comments (3)") and surrounding space.
func isLabel(l string, labels []string) bool {
	t := strings.TrimFunc(l, func(r rune) bool { return !unicode.IsLetter(r) })
	t = strings.TrimFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && r != ' ' })
	for _, lb := range labels {
		if t == lb {
			return true
		}
	}
	return false
}

// isShortcode matches leaked CMS shortcodes such as "[button ...]Send[/button]".
func isShortcode(s string) bool {
	if !strings.HasPrefix(s, "[") {
		return false
	}
	if strings.Contains(s, "[/") {
		return true
	}
	// A lone tag with no closing one: "[CTA_MODULE]", "[video-player
	// id="x"]". Its name is one word joined by "_" or "-" (a footnote
	// "[1]" or an editor's "[sic]" is not), or it carries attributes.
	if !strings.HasSuffix(s, "]") {
		return false
	}
	name, rest, _ := strings.Cut(s[1:len(s)-1], " ")
	if name == "" || !hasLetter(name) || strings.TrimFunc(name, func(r rune) bool {
		return r < utf8.RuneSelf && (isASCIILetter(byte(r)) || r >= '0' && r <= '9' || r == '_' || r == '-')
	}) != "" {
		return false
	}
	return strings.ContainsAny(name, "_-") || strings.Contains(rest, "=")
}

// isCreditLine matches short photo credits and copyright notices.
func isCreditLine(p para) bool {
	if p.runes > 100 {
		return false
	}
	l := strings.ToLower(p.text)
	return strings.Contains(p.text, "©") || strings.HasPrefix(l, "photo:") || strings.HasPrefix(l, "image:") ||
		strings.HasPrefix(l, "credit:") || strings.HasPrefix(l, "photo credit") || nytCredit(p.text)
}

// nytCredit matches "CreditKevin Frayer/Getty Images": the label glued to a
// name, which "Credit Suisse shares fell" is not.
func nytCredit(s string) bool {
	rest, ok := strings.CutPrefix(s, "Credit")
	if !ok || rest == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsUpper(r)
}

// bylinePrefixes open byline lines, lower case.
var bylinePrefixes = []string{"by ", "por ", "par ", "von ", "door ", "بقلم", "كتب", "إعداد",
	"posted on ", "posted by ", "published on ", "published by ", "written by ", "edited by ", "diposting ", "نشر في", "نشر بتاريخ"}

// isBylineLine matches "By Jane Doe" and "By Jane Doe on Monday, November
// 18th, 2019 at 11:08 a.m.": a byline prefix, then a few capitalised words,
// or a date.
func isBylineLine(p para) bool {
	if p.runes > 120 {
		return false
	}
	l := strings.ToLower(p.text)
	prefix := ""
	for _, bp := range bylinePrefixes {
		if strings.HasPrefix(l, bp) {
			prefix = bp
			break
		}
	}
	if prefix == "" {
		return false
	}
	if hasYearDigits(p.text) || hasClock(p.text) {
		return true
	}
	words := strings.Fields(p.text)
	if len(words) > 7 || strings.ContainsAny(p.text, ".!?") {
		return false
	}
	for _, w := range words[max(1, len(strings.Fields(prefix))):] { // the names after "By", "Written by"
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLower(r) && w != "and" && w != "y" && w != "et" && w != "und" {
			return false
		}
	}
	return true
}

// tagLabels head a trailing list of tags or topics, lower case.
var tagLabels = []string{"tags", "tags:", "topics", "topics:", "keywords", "keywords:", "filed under", "filed under:",
	"categories", "categories:", "related topics", "وسوم", "الوسوم", "كلمات مفتاحية", "الكلمات المفتاحية", "مواضيع"}

// dropTagLists removes a "Tags" label and the comma list that follows it.
func dropTagLists(ps []para) []para {
	out := ps[:0]
	for i := 0; i < len(ps); i++ {
		l := strings.ToLower(strings.TrimSpace(ps[i].text))
		isLabel := false
		for _, tl := range tagLabels {
			isLabel = isLabel || l == tl
		}
		if !isLabel {
			out = append(out, ps[i])
			continue
		}
		if i+1 < len(ps) && strings.Count(ps[i+1].text, ",")+strings.Count(ps[i+1].text, "،") >= 2 &&
			!strings.ContainsAny(ps[i+1].text, ".!?") {
			i++ // the list itself
		}
	}
	return out
}

// isCounter matches gallery counters such as "Image 3 of 5", "Photo 2/10"
// or "1 / 23": numbers joined by "of" or "/", after an optional label.
func isCounter(s string) bool {
	if len(s) > 32 || !strings.ContainsAny(s, "0123456789") {
		return false
	}
	f := strings.Fields(strings.ToLower(strings.ReplaceAll(s, "/", " / ")))
	if len(f) < 2 {
		return false
	}
	switch f[0] {
	case "image", "photo", "slide", "picture", "صورة":
		f = f[1:]
	}
	for _, w := range f {
		if w != "of" && w != "/" && w != "من" && strings.Trim(w, "0123456789") != "" {
			return false
		}
	}
	return true
}

// dropAuthorBio removes up to two trailing paragraphs that name the
// byline's author: contributor notes and contact lines, not article text.
func dropAuthorBio(ps []para, byline string) []para {
	name := strings.ToLower(strings.TrimSpace(byline))
	if len(name) < 5 || strings.Contains(name, ",") {
		return ps
	}
	for k := 0; k < 2 && len(ps) > 3; k++ {
		last := ps[len(ps)-1]
		if last.runes > 400 || !strings.Contains(strings.ToLower(last.text), name) {
			break
		}
		ps = ps[:len(ps)-1]
	}
	return ps
}

// isContinuationMarker matches short standalone parenthesised or dashed
// markers such as "(تستمر)", "(يتبع)", "(more)", "-- more --", "(END)".
func isContinuationMarker(s string) bool {
	if len(s) > 40 {
		return false
	}
	t := strings.TrimFunc(s, func(r rune) bool {
		return r == '(' || r == ')' || r == '[' || r == ']' || r == '-' || r == '—' || r == '.' || r == '…' || unicode.IsSpace(r)
	})
	if t == s || t == "" {
		return false // not bracketed or dashed
	}
	t = strings.ToLower(t)
	for _, w := range continuationWords {
		if t == w {
			return true
		}
	}
	return false
}

// isLoadingPlaceholder matches the stand-in a script replaces once its data
// arrives ("Loading paragraph...", "Loading prices for your region…"): on
// a saved page it is all that is left of a widget, never article text.
func isLoadingPlaceholder(s string) bool {
	if len(s) > 60 || len(s) < 10 || !strings.EqualFold(s[:7], "loading") {
		return false
	}
	return strings.HasSuffix(s, "...") || strings.HasSuffix(s, "…")
}

// couldEqual is a cheap length test before normKey: a paragraph's key is
// never longer than the paragraph, and punctuation and spaces do not make
// up most of a headline.
func couldEqual(text string, keys []string) bool {
	for _, k := range keys {
		if len(text) >= len(k) && len(text) <= 3*len(k) {
			return true
		}
	}
	return false
}

// normKey reduces s to its lower-cased letters and digits, for comparing
// a paragraph with the headline.
func normKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
