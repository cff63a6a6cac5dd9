package store

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/wiredesk/wiredesk/internal/news"
)

// seedSearch stores articles for the search cases, by name.
func seedSearch(t *testing.T, db *DB) map[string]int64 {
	f := addFeed(t, db, "https://s.example/rss", "S")
	ids := map[string]int64{}
	for i, c := range []struct{ name, title, text, lang string }{
		{"quake-marked", "زِلْزَالٌ يَضْرِبُ السَّاحِلَ", "وصلت فرق الإنقاذ", "ar"},
		{"quake-plain", "تقرير", "تواصل فرق الإنقاذ البحث بعد الزلزال", "ar"},
		{"inflation", "Inflation eases in March", `Prices rose 3.5% year-on-year; the "core" index fell. C++ OR Go?`, "en"},
		{"cafe", "Café owners protest", "A rally near the NEAR(city hall) steps.", "en"},
		{"title-col", "title: markets", "Stocks * bonds - futures ^ all", "en"},
	} {
		a := art(f, "s.example", c.name, i, c.title, c.text)
		a.Lang = c.lang
		ids[c.name] = save(t, db, a, Assignment{}).ID
	}
	return ids
}

func testSearch(t *testing.T, db *DB) {
	ids := seedSearch(t, db)
	cases := []struct {
		name, q string
		want    []string
	}{
		{"arabic without diacritics finds both", "زلزال", []string{"quake-plain", "quake-marked"}},
		{"arabic with diacritics finds both", "زِلْزَال", []string{"quake-plain", "quake-marked"}},
		{"arabic phrase across diacritics", "يضرب الساحل", []string{"quake-marked"}},
		{"arabic word inside a word", "ساحل", []string{"quake-marked"}},
		{"english case-insensitive", "INFLATION", []string{"inflation"}},
		{"english substring", "flat", []string{"inflation"}},
		{"english phrase", "eases in march", []string{"inflation"}},
		{"english words not adjacent", "inflation march", []string{}},
		{"non-ascii letters", "Café", []string{"cafe"}},
		{"punctuation only, absent", "!!!", []string{}},
		{"punctuation only, short", "%", []string{"inflation"}},
		{"short query", "3.", []string{"inflation"}},
		{"quote", `"`, []string{"inflation"}},
		{"quoted word", `"core"`, []string{"inflation"}},
		{"unbalanced quote", `"core`, []string{"inflation"}},
		{"star", "*", []string{"title-col"}},
		{"prefix star", "Stock*", []string{}},
		{"or operator", "C++ OR Go", []string{"inflation"}},
		{"or operator absent", "Café OR Inflation", []string{}},
		{"minus", "year-on-year", []string{"inflation"}},
		{"leading minus", "- futures", []string{"title-col"}},
		{"near", "NEAR(city hall)", []string{"cafe"}},
		{"column filter", "title: markets", []string{"title-col"}},
		{"caret", "^ all", []string{"title-col"}},
		{"parentheses", "((", []string{}},
		{"no match", "zqxjv", []string{}},
	}
	ctx := context.Background()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := []int64{}
			for _, n := range c.want {
				want = append(want, ids[n])
			}
			as, err := db.Articles(ctx, news.ArticleQuery{Search: c.q})
			if err != nil {
				t.Fatal(err)
			}
			if got := articleIDs(as); !reflect.DeepEqual(got, want) {
				t.Errorf("Articles: got %v; want %v", got, want)
			}
			// Queries matching many articles, whose older matches are
			// found by a walk, agree.
			for _, dense := range []int{1, 2} {
				sr, err := db.planSearch(ctx, c.q, dense)
				if err != nil {
					t.Fatal(err)
				}
				if got := searchIDs(t, db, sr); !reflect.DeepEqual(got, want) {
					t.Errorf("dense %d: got %v; want %v", dense, got, want)
				}
			}
			ss, err := db.Stories(ctx, news.StoryQuery{Search: c.q})
			if err != nil {
				t.Fatal(err)
			}
			if len(ss) != len(want) {
				t.Errorf("Stories: %d; want %d", len(ss), len(want))
			}
		})
	}
}

// searchIDs lists the ids of the articles sr matches, newest first.
func searchIDs(t *testing.T, db *DB, sr search) []int64 {
	t.Helper()
	cond, args := sr.articleCond("a")
	rows, err := db.r.QueryContext(context.Background(), db.q(`SELECT a.id FROM articles a WHERE `+cond+
		` ORDER BY a.seen DESC, a.id DESC`), args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

// testSearchSync checks that the index follows edits and merges of
// articles.
func testSearchSync(t *testing.T, db *DB) {
	ids := seedSearch(t, db)
	ctx := context.Background()
	find := func(q string) []int64 {
		t.Helper()
		as, err := db.Articles(ctx, news.ArticleQuery{Search: q})
		if err != nil {
			t.Fatal(err)
		}
		return articleIDs(as)
	}
	if _, err := db.w.ExecContext(ctx, db.q(`UPDATE articles SET title = ? WHERE id = ?`), "Deflation fears", ids["inflation"]); err != nil {
		t.Fatal(err)
	}
	if got := find("deflation"); !reflect.DeepEqual(got, []int64{ids["inflation"]}) {
		t.Errorf("after title update: %v", got)
	}
	if got := find("eases in"); len(got) != 0 {
		t.Errorf("old title still found: %v", got)
	}
	if got := find("year-on-year"); !reflect.DeepEqual(got, []int64{ids["inflation"]}) {
		t.Errorf("text lost on title update: %v", got)
	}
	merged, err := db.MergeStoriesOf(ctx, ids["quake-marked"], ids["quake-plain"], 0.9, "test")
	if err != nil || !merged {
		t.Fatalf("merge: %v, %v", merged, err)
	}
	ss, err := db.Stories(ctx, news.StoryQuery{Search: "زلزال"})
	if err != nil || len(ss) != 1 || ss[0].Articles != 2 {
		t.Errorf("stories after merge: %+v, %v", ss, err)
	}
	if _, err := db.w.ExecContext(ctx, db.q(`DELETE FROM articles WHERE id = ?`), ids["cafe"]); err != nil {
		t.Fatal(err)
	}
	if got := find("café"); len(got) != 0 {
		t.Errorf("deleted article found: %v", got)
	}
}

func TestSearch(t *testing.T) {
	for name, dsn := range backends(t) {
		t.Run(name, func(t *testing.T) {
			requireBackend(t, name)
			t.Run("queries", func(t *testing.T) { testSearch(t, openTest(t, dsn(t))) })
			t.Run("index sync", func(t *testing.T) { testSearchSync(t, openTest(t, dsn(t))) })
		})
	}
}

// TestSearchMigrationBackfill checks that articles stored before migration
// 0003 are indexed by it.
func TestSearchMigrationBackfill(t *testing.T) {
	dsn := sqliteDSN(t)
	db := openTest(t, dsn)
	ctx := context.Background()
	a := save(t, db, art(0, "old.example", "1", 0, "Old inflation report", "text"), Assignment{})
	// Forget the index and migration 0003, as a store from before it.
	for _, q := range []string{`DROP TABLE articles_fts`, `DROP TRIGGER articles_fts_insert`,
		`DROP TRIGGER articles_fts_update`, `DROP TRIGGER articles_fts_delete`, `DELETE FROM schema_migrations WHERE version = 3`} {
		if _, err := db.w.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	db2 := openTest(t, dsn)
	as, err := db2.Articles(ctx, news.ArticleQuery{Search: "inflation"})
	if err != nil || !slices.Equal(articleIDs(as), []int64{a.ID}) {
		t.Errorf("after migration: %v, %v", articleIDs(as), err)
	}
}
