package store

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSearchWords(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string
	}{
		{"lower case and punctuation", "Oil PRICES, rose: 3.5% (year-on-year)!", []string{"oil", "prices", "rose", "3", "5", "year", "on", "year"}},
		{"latin accents", "Café Crème naïve", []string{"cafe", "creme", "naive"}},
		{"ligature and full width", "ﬁnance ＯＩＬ", []string{"finance", "oil"}},
		{"underscore separates", "in_year", []string{"in", "year"}},
		{"tashkeel", "زِلْزَالٌ يَضْرِبُ", []string{"زلزال", "يضرب"}},
		{"tatweel", "الحكـــومة", []string{"الحكومه"}},
		{"alef with hamza above", "أعلن", []string{"اعلن"}},
		{"alef with hamza below", "إيران", []string{"ايران"}},
		{"alef with madda", "آسيا", []string{"اسيا"}},
		{"alef wasla", "ٱلله", []string{"الله"}},
		{"ta marbuta", "مدينة", []string{"مدينه"}},
		{"alef maqsura", "مستشفى", []string{"مستشفي"}},
		{"persian letters", "کتاب ایران", []string{"كتاب", "ايران"}},
		{"arabic-indic digits", "٢٠٢٦ ۱۲", []string{"2026", "12"}},
		{"arabic presentation forms", "ﻻ", []string{"لا"}},
		{"arabic punctuation", "روسيا، الصين؛ أمريكا؟", []string{"روسيا", "الصين", "امريكا"}},
		{"greek final sigma", "ΟΔΟΣ οδος", []string{"οδοσ", "οδοσ"}},
		{"invalid utf-8 separates", "a\xffb", []string{"a", "b"}},
		{"no words", " %!? -- ", nil},
		{"long word cut", strings.Repeat("ab", 50), []string{strings.Repeat("ab", maxWordRunes/2)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := searchWords(c.in); !reflect.DeepEqual(got, c.want) {
				t.Errorf("searchWords(%q) = %q; want %q", c.in, got, c.want)
			}
		})
	}
}

func TestParseSearch(t *testing.T) {
	cases := []struct {
		name, in       string
		want           searchQuery
		fts5, tsqueryQ string
	}{
		{"one long word is a prefix", "Inflation", searchQuery{prefix: "inflation"}, `"inflation"*`, `'inflation':*`},
		{"short last word is exact", "oil up", searchQuery{words: []string{"oil", "up"}}, `"oil" "up"`, `'oil' & 'up'`},
		{"words then prefix", "oil prices", searchQuery{words: []string{"oil"}, prefix: "prices"}, `"oil" "prices"*`, `'oil' & 'prices':*`},
		{"repeats once", "oil oil gas oil", searchQuery{words: []string{"oil", "gas"}}, `"oil" "gas"`, `'oil' & 'gas'`},
		{"arabic folded", "الحكومة", searchQuery{prefix: "الحكومه"}, `"الحكومه"*`, `'الحكومه':*`},
		{"operators are words", `oil OR "gas" NEAR(x) -y`, searchQuery{words: []string{"oil", "or", "gas", "near", "x", "y"}},
			`"oil" "or" "gas" "near" "x" "y"`, `'oil' & 'or' & 'gas' & 'near' & 'x' & 'y'`},
		{"no words", "%", searchQuery{}, ``, ``},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := parseSearch(c.in)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("parseSearch(%q) = %+v; want %+v", c.in, got, c.want)
			}
			if f := got.fts5(); f != c.fts5 {
				t.Errorf("fts5 = %s; want %s", f, c.fts5)
			}
			if q := got.tsquery(); q != c.tsqueryQ {
				t.Errorf("tsquery = %s; want %s", q, c.tsqueryQ)
			}
		})
	}
	many := parseSearch(strings.Repeat("w ", 20) + strings.Join(strings.Fields("a b c d e f g h i j k l m n o p q r s t"), " "))
	if n := len(many.words); n != maxQueryWords || many.prefix != "" {
		t.Errorf("many words: %d words, prefix %q", n, many.prefix)
	}
}

// matchesWords reports whether a document of words matches q, as the
// index does (without SQLite's own extra folding).
func matchesWords(q searchQuery, doc []string) bool {
	has := map[string]bool{}
	for _, w := range doc {
		has[w] = true
	}
	for _, w := range q.words {
		if !has[w] {
			return false
		}
	}
	if q.prefix == "" {
		return true
	}
	for _, w := range doc {
		if strings.HasPrefix(w, q.prefix) {
			return true
		}
	}
	return false
}

// FuzzParseSearch checks the query parser on arbitrary input: well-formed
// words (folded, bounded, from the word alphabet), FTS5 and tsquery
// expressions that quote every word, and a query that matches its own
// text.
func FuzzParseSearch(f *testing.F) {
	for _, s := range []string{"oil prices", "زِلْزَال", `"core" OR NEAR(x)`, "a_b 100%", "'; DROP TABLE x; --", `\'"`, "ﬁ ＯＩＬ", "٢٠٢٦"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := parseSearch(s)
		all := append(append([]string(nil), q.words...), q.prefix)
		if q.prefix == "" {
			all = all[:len(all)-1]
		}
		if len(all) > maxQueryWords {
			t.Errorf("%d words", len(all))
		}
		for _, w := range all {
			if w == "" || utf8.RuneCountInString(w) > maxWordRunes || !reflect.DeepEqual(searchWords(w), []string{w}) {
				t.Errorf("word %q of %q is not a folded word", w, s)
			}
			for _, r := range w {
				if !isWordRune(r) {
					t.Errorf("word %q holds %U", w, r)
				}
			}
		}
		if q.empty() != (q.fts5() == "") || q.empty() != (q.tsquery() == "") {
			t.Errorf("empty %v but fts5 %q tsquery %q", q.empty(), q.fts5(), q.tsquery())
		}
		if n := strings.Count(q.fts5(), `"`); n != 2*len(all) {
			t.Errorf("fts5 %q: %d quotes for %d words", q.fts5(), n, len(all))
		}
		if n := strings.Count(q.tsquery(), `'`); n != 2*len(all) {
			t.Errorf("tsquery %q: %d quotes for %d words", q.tsquery(), n, len(all))
		}
		if !q.empty() && !matchesWords(q, searchWords("<"+s+">")) {
			t.Errorf("query %+v does not match its own text %q", q, s)
		}
	})
}
