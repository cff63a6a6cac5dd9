package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Search matches a substring of an article's title or text, ignoring case
// and the Arabic diacritics (searchIgnored), as LIKE '%q%' did before the
// indexes of migration 0003:
//
//   - SQLite: a trigram FTS5 table (articles_fts) holds the titles and texts
//     without those diacritics. A query of three characters or more is one
//     quoted FTS5 phrase, so user input is never FTS5 syntax; shorter
//     queries have no trigram to look up and scan with LIKE, as before.
//     The matches are listed once (searchDense at most) and the listing
//     query takes their ids. A query matching more articles than that,
//     such as a common word, walks the newest rows with LIKE instead and
//     stops at the page's end, as the old scan did: listing every match
//     would cost more. That walk ignores the diacritics only when the
//     query has Arabic letters (elsewhere they cannot split a match).
//   - PostgreSQL: ILIKE over the same texts, served by pg_trgm GIN indexes
//     on those expressions when the extension could be installed; the
//     planner chooses between them and a walk.
//
// Case folding differs slightly on SQLite: the trigram index folds all of
// Unicode, LIKE (short and common queries) ASCII only, as before.

// searchIgnored are the characters search removes from both sides: the
// Arabic tashkeel (fathatan..sukun, U+064B..U+0652), the superscript alef
// (U+0670) and the tatweel (U+0640). migrations/*/0003_search.sql removes
// the same ones.
const searchIgnored = "\u064B\u064C\u064D\u064E\u064F\u0650\u0651\u0652\u0670\u0640"

// minTrigramRunes is the shortest query the trigram index can serve.
const minTrigramRunes = 3

// searchDense is the number of matching articles from which SQLite search
// walks the newest rows instead of listing the matches. Listing costs
// 1-30µs a match (more for longer queries of common letters); the walk
// finds a page of a common word in a few milliseconds.
const searchDense = 1000

// searchFold removes the characters search ignores.
func searchFold(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(searchIgnored, r) {
			return -1
		}
		return r
	}, s)
}

// ftsPhrase quotes s as one FTS5 string: operators, column filters and
// quotes in user input are text to match.
func ftsPhrase(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// foldSQL is the SQL expression of col without the characters search
// ignores, as the index holds it.
func (db *DB) foldSQL(col string) string {
	if db.dialect.name == "postgres" {
		return `translate(` + col + `, U&'\064B\064C\064D\064E\064F\0650\0651\0652\0670\0640', '')`
	}
	for _, r := range searchIgnored {
		col = fmt.Sprintf("replace(%s, char(%d), '')", col, r)
	}
	return col
}

// search is a Search filter as SQL: the articles matching it are those in
// set (a JSON array of ids) or, without a set, those matching cond.
type search struct {
	set  string
	cond func(alias string) string
	args []any // cond's
}

// planSearch chooses how to run a search for q: through the index, or by
// a walk when q is too short for it or matches at least dense articles.
func (db *DB) planSearch(ctx context.Context, q string, dense int) (search, error) {
	folded := searchFold(q)
	switch {
	case db.dialect.name == "postgres":
		return db.likeSearch(folded, true), nil
	case !utf8.ValidString(folded) || utf8.RuneCountInString(folded) < minTrigramRunes:
		return db.likeSearch(q, false), nil
	}
	ids, err := db.ftsMatches(ctx, ftsPhrase(folded), dense)
	if err != nil {
		return search{}, fmt.Errorf("search %q: %w", q, err)
	}
	if len(ids) >= max(dense, 1) {
		// Folding every row walked costs ten times the LIKE; an ignored
		// character matters only between Arabic letters.
		return db.likeSearch(folded, strings.IndexFunc(folded, isArabic) >= 0), nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return search{}, fmt.Errorf("search %q: %w", q, err)
	}
	return search{set: string(list)}, nil
}

// likeSearch matches the substring q (folded already when fold is set)
// with LIKE, over the texts without the ignored characters when fold is
// set. On SQLite folding is costly: a row is folded only when it holds the
// query's first Arabic letter (q has one when fold is set), which folding
// keeps.
func (db *DB) likeSearch(q string, fold bool) search {
	p := likePattern(q)
	pg := db.dialect.name == "postgres"
	sr := search{args: []any{p, p}}
	if fold && !pg {
		r, _ := utf8.DecodeRuneInString(q[strings.IndexFunc(q, isArabic):])
		sr.args = []any{p, string(r), p, p, string(r), p}
	}
	sr.cond = func(m string) string {
		var conds []string
		for _, col := range []string{m + `.title`, m + `.text`} {
			c := col + ` ` + db.dialect.like + ` ? ESCAPE '\'`
			switch {
			case fold && pg:
				c = db.foldSQL(col) + ` ` + db.dialect.like + ` ? ESCAPE '\'`
			case fold:
				c += ` OR (instr(` + col + `, ?) > 0 AND ` + db.foldSQL(col) + ` LIKE ? ESCAPE '\')`
			}
			conds = append(conds, c)
		}
		return `(` + strings.Join(conds, ` OR `) + `)`
	}
	return sr
}

// ftsMatches returns the ids of up to limit articles matching the FTS5
// query match.
func (db *DB) ftsMatches(ctx context.Context, match string, limit int) ([]int64, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?`,
		match, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return ids, rows.Close()
}

func isArabic(r rune) bool { return unicode.Is(unicode.Arabic, r) }

// storyCond is the Stories condition that a member m of story s matches.
func (sr search) storyCond() (string, []any) {
	cond, args := sr.articleCond("m")
	if sr.cond == nil {
		return `s.id IN (SELECT m.story_id FROM articles m WHERE ` + cond + `)`, args
	}
	return `EXISTS (SELECT 1 FROM articles m WHERE m.story_id = s.id AND ` + cond + `)`, args
}

// articleCond is the condition that article alias a matches.
func (sr search) articleCond(a string) (string, []any) {
	if sr.cond == nil {
		return a + `.id IN (SELECT value FROM json_each(?))`, []any{sr.set}
	}
	return sr.cond(a), sr.args
}
