package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Search (ArticleQuery.Search, StoryQuery.Search) matches articles whose
// title and text hold every word of the query (folded as searchWords
// folds), the last word also as the start of a longer word when it has at
// least minPrefixRunes letters. A query without words matches nothing.
// Results keep their order (newest first) and combine with the other
// filters and the paging. The words are looked up in the search index
// (search_index.go), caught up first; results are read from articles, so
// an article deleted since it was indexed is not found.
//
// SQLite runs a search one of two ways. Usually the query starts from the
// index's matches, looks each one up and sorts them: cheap for a rare word
// (a few lookups), about 1µs a match for a common one. A query matching
// more than searchDense articles with no filter but since (a common word
// on the front page) walks the articles or stories newest first instead,
// testing each against the matches (collected once), and stops at the end
// of the page. PostgreSQL: a tsquery over the GIN index; the planner
// chooses.

const (
	// minPrefixRunes is the shortest last word matched as a prefix; a
	// shorter one matches too many words to be of use.
	minPrefixRunes = 3
	// maxQueryWords bounds the words of a query; further words are ignored.
	maxQueryWords = 16
	// searchDense is the number of matches from which an unfiltered
	// SQLite search walks the newest rows instead of sorting the matches.
	searchDense = 5000
)

// searchQuery is a parsed Search: every word must match, and the last
// one, prefix, as the start of a word.
type searchQuery struct {
	words  []string
	prefix string
}

func (q searchQuery) empty() bool { return len(q.words) == 0 && q.prefix == "" }

// parseSearch splits user input into the query's words.
func parseSearch(s string) searchQuery {
	ws := searchWords(s)
	var q searchQuery
	if len(ws) == 0 {
		return q
	}
	seen := map[string]bool{}
	for _, w := range ws[:len(ws)-1] {
		if !seen[w] && len(q.words) < maxQueryWords-1 {
			seen[w] = true
			q.words = append(q.words, w)
		}
	}
	last := ws[len(ws)-1]
	switch {
	case seen[last]:
	case utf8.RuneCountInString(last) >= minPrefixRunes:
		q.prefix = last
	default:
		q.words = append(q.words, last)
	}
	return q
}

// fts5 is q as an FTS5 query: each word a string, the prefix starred. The
// words hold no quote (only letters, digits and marks), so quoting cannot
// be escaped from.
func (q searchQuery) fts5() string {
	var b strings.Builder
	for _, w := range q.words {
		b.WriteString(`"` + strings.ReplaceAll(w, `"`, `""`) + `" `)
	}
	if q.prefix != "" {
		b.WriteString(`"` + strings.ReplaceAll(q.prefix, `"`, `""`) + `"*`)
	}
	return strings.TrimSpace(b.String())
}

// tsquery is q as a PostgreSQL tsquery: the words as quoted lexemes,
// joined by &, the prefix with :*.
func (q searchQuery) tsquery() string {
	quote := func(w string) string {
		return `'` + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(w) + `'`
	}
	var parts []string
	for _, w := range q.words {
		parts = append(parts, quote(w))
	}
	if q.prefix != "" {
		parts = append(parts, quote(q.prefix)+`:*`)
	}
	return strings.Join(parts, ` & `)
}

// searchFilter is a planned Search: the condition an article or story
// must meet.
type searchFilter struct {
	none  bool   // no words: nothing matches
	match string // the query in the index's language (dialect.searchMatch)
	ids   string // the ids of the articles matching it (dialect.searchIDs)
	walk  bool   // test rows in the query's order against the matches
}

// planSearch catches the index up and chooses how to run the search s.
// selective reports whether the query has a filter (language, tag, feed)
// that the rows walked newest first would rarely meet.
func (db *DB) planSearch(ctx context.Context, s string, selective bool) (searchFilter, error) {
	q := parseSearch(s)
	if q.empty() {
		return searchFilter{none: true}, nil
	}
	if err := db.searchCatchUp(ctx); err != nil {
		return searchFilter{}, fmt.Errorf("search %q: %w", s, err)
	}
	d := db.dialect
	f := searchFilter{match: d.searchMatch(q), ids: d.searchIDs}
	if selective || d.searchWalk == nil {
		return f, nil
	}
	walk, err := d.searchWalk(db, ctx, f.match)
	if err != nil {
		return f, fmt.Errorf("search %q: %w", s, err)
	}
	f.walk = walk
	return f, nil
}

// articleCond is the condition that article alias a matches.
func (f searchFilter) articleCond(a string) (string, []any) {
	switch {
	case f.none:
		return `1 = 0`, nil
	case f.walk:
		// Unary + keeps SQLite from starting from the matches.
		return `+` + a + `.id IN (` + f.ids + `)`, []any{f.match}
	}
	return a + `.id IN (` + f.ids + `)`, []any{f.match}
}

// storyCond is the condition that story s has a matching member.
func (f searchFilter) storyCond() (string, []any) {
	cond, args := f.articleCond("m")
	if f.walk {
		return `EXISTS (SELECT 1 FROM articles m WHERE m.story_id = s.id AND ` + cond + `)`, args
	}
	return `s.id IN (SELECT m.story_id FROM articles m WHERE ` + cond + `)`, args
}
