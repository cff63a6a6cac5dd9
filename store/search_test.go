package store

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/wiredesk/wiredesk/news"
)

// searchSeed is an article of the search cases, by name.
type searchSeed struct {
	name, feed, lang, title, text string
	min                           int // published t0 + min minutes
}

var searchSeeds = []searchSeed{
	{"quake-marked", "wire", "ar", "زِلْزَالٌ يَضْرِبُ السَّاحِلَ", "وصلت فرق الإنقاذ إلى المدينة", 0},
	{"quake-plain", "local", "ar", "تقرير", "تواصل فرق الانقاذ البحث بعد الزلزال في المدينه", 10},
	{"tatweel", "local", "ar", "الحكـــومة تعلن", "أعلن رئيس الوزراء في مستشفى آسيا", 20},
	{"oil", "wire", "en", "Oil prices rise", "Crude OIL rose 3.5% year-on-year; analysts expect cuts.", 30},
	{"oil-only", "local", "en", "Oil spill", "A tanker leaked near the coast.", 40},
	{"cafe", "local", "en", "Café owners protest", "A rally near city hall.", 50},
	{"rare", "wire", "en", "Markets", "Zqxjv bonds fell.", 60},
}

// seedSearch stores searchSeeds, each its own story, in feeds tagged wire
// and local, and returns their ids by name and the feeds.
func seedSearch(t *testing.T, db *DB) (ids map[string]int64, feeds map[string]int64) {
	feeds = map[string]int64{
		"wire":  addFeed(t, db, "https://w.example/rss", "W", "wire"),
		"local": addFeed(t, db, "https://l.example/rss", "L", "local"),
	}
	ids = map[string]int64{}
	for _, c := range searchSeeds {
		a := art(feeds[c.feed], c.feed+".example", c.name, c.min, c.title, c.text)
		a.Lang = c.lang
		ids[c.name] = save(t, db, a, Assignment{}).ID
	}
	return ids, feeds
}

func testSearch(t *testing.T, db *DB) {
	ids, feeds := seedSearch(t, db)
	cases := []struct {
		name string
		q    news.ArticleQuery
		want []string // newest first
	}{
		{"arabic without tashkeel finds it", news.ArticleQuery{Search: "زلزال يضرب"}, []string{"quake-marked"}},
		{"arabic with tashkeel finds plain", news.ArticleQuery{Search: "الزَّلْزَال"}, []string{"quake-plain"}},
		{"alef with hamza below", news.ArticleQuery{Search: "الانقاذ"}, []string{"quake-plain", "quake-marked"}},
		{"alef with hamza above", news.ArticleQuery{Search: "اعلن"}, []string{"tatweel"}},
		{"alef with madda", news.ArticleQuery{Search: "اسيا"}, []string{"tatweel"}},
		{"ta marbuta both ways", news.ArticleQuery{Search: "المدينة"}, []string{"quake-plain", "quake-marked"}},
		{"alef maqsura", news.ArticleQuery{Search: "مستشفي"}, []string{"tatweel"}},
		{"tatweel", news.ArticleQuery{Search: "الحكومة"}, []string{"tatweel"}},
		{"english case-insensitive", news.ArticleQuery{Search: "OIL"}, []string{"oil-only", "oil"}},
		{"latin accents", news.ArticleQuery{Search: "cafe"}, []string{"cafe"}},
		{"all words must match", news.ArticleQuery{Search: "oil analysts"}, []string{"oil"}},
		{"words in title and text", news.ArticleQuery{Search: "prices crude"}, []string{"oil"}},
		{"word order free", news.ArticleQuery{Search: "crude prices"}, []string{"oil"}},
		{"last word as prefix", news.ArticleQuery{Search: "oil analy"}, []string{"oil"}},
		{"short last word exact", news.ArticleQuery{Search: "oi"}, []string{}},
		{"prefix only at the end", news.ArticleQuery{Search: "analy oil"}, []string{}},
		{"rare word", news.ArticleQuery{Search: "zqxjv"}, []string{"rare"}},
		{"no such word", news.ArticleQuery{Search: "qqqqq"}, []string{}},
		{"punctuation splits words", news.ArticleQuery{Search: "year-on-year 3.5%"}, []string{"oil"}},
		{"query syntax is text", news.ArticleQuery{Search: `"near" OR (city)`}, []string{}},
		{"query syntax words", news.ArticleQuery{Search: `"near" (city) hall*`}, []string{"cafe"}},
		{"no words matches nothing", news.ArticleQuery{Search: "%"}, []string{}},
		{"with lang", news.ArticleQuery{Search: "near", Lang: "en"}, []string{"cafe", "oil-only"}},
		{"with lang none", news.ArticleQuery{Search: "near", Lang: "ar"}, []string{}},
		{"with tag", news.ArticleQuery{Search: "oil", Tag: "wire"}, []string{"oil"}},
		{"with feed", news.ArticleQuery{Search: "oil", FeedID: feeds["local"]}, []string{"oil-only"}},
		{"with since", news.ArticleQuery{Search: "فرق", Since: t0.Add(5 * time.Minute)}, []string{"quake-plain"}},
		{"limit", news.ArticleQuery{Search: "near", Limit: 1}, []string{"cafe"}},
		{"offset", news.ArticleQuery{Search: "near", Limit: 1, Offset: 1}, []string{"oil-only"}},
	}
	ctx := context.Background()
	// Both SQLite plans: sorting the matches, and walking the newest rows
	// (every query matching more than one article walks).
	for _, dense := range []int{0, 1} {
		db.searchDenseAt = dense
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/dense=%d", c.name, dense), func(t *testing.T) {
				want := []int64{}
				for _, n := range c.want {
					want = append(want, ids[n])
				}
				as, err := db.Articles(ctx, c.q)
				if err != nil {
					t.Fatal(err)
				}
				if got := articleIDs(as); !reflect.DeepEqual(got, want) {
					t.Errorf("Articles: got %v; want %v (%v)", got, want, c.want)
				}
				if c.q.FeedID != 0 || c.q.Limit != 0 || !c.q.Since.IsZero() {
					return
				}
				// Each article is its own story, seen when it was.
				ss, err := db.Stories(ctx, news.StoryQuery{Search: c.q.Search, Lang: c.q.Lang, Tag: c.q.Tag})
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for _, s := range ss {
					got = append(got, s.Representative)
				}
				if len(got) != len(want) || len(want) > 0 && !reflect.DeepEqual(got, want) {
					t.Errorf("Stories: representatives %v; want %v", got, want)
				}
			})
		}
	}
}

func testSearchStories(t *testing.T, db *DB) {
	ctx := context.Background()
	_, _, s1, s2, s3 := seedQueries(t, db)
	cases := []struct {
		name string
		q    news.StoryQuery
		want []int64
	}{
		{"a story once for two matching members", news.StoryQuery{Search: "rescue teams"}, []int64{s1.StoryID}},
		{"a word of one member only", news.StoryQuery{Search: "today"}, []int64{s1.StoryID}},
		{"with lang", news.StoryQuery{Search: "فرق", Lang: "ar"}, []int64{s2.StoryID}},
		{"with tag of another member", news.StoryQuery{Search: "today", Tag: "wire"}, []int64{s1.StoryID}},
		{"with since", news.StoryQuery{Search: "markets", Since: t0.Add(15 * time.Minute)}, []int64{s3.StoryID}},
		{"since excludes", news.StoryQuery{Search: "فرق", Since: t0.Add(15 * time.Minute)}, []int64{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ss, err := db.Stories(ctx, c.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := storyIDs(ss); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v; want %v", got, c.want)
			}
		})
	}
}

// testSearchIndexing checks that the index follows the articles: a search
// finds articles stored after the previous one, and no longer finds a
// deleted article.
func testSearchIndexing(t *testing.T, db *DB) {
	ctx := context.Background()
	f := addFeed(t, db, "https://a.example/rss", "A")
	find := func(q string) []int64 {
		t.Helper()
		as, err := db.Articles(ctx, news.ArticleQuery{Search: q})
		if err != nil {
			t.Fatal(err)
		}
		return articleIDs(as)
	}
	first := save(t, db, art(f, "a.example", "1", 0, "Flood warning", "Rivers rise."), Assignment{})
	if got := find("flood"); !reflect.DeepEqual(got, []int64{first.ID}) {
		t.Fatalf("first search = %v; want [%d]", got, first.ID)
	}
	if got := find("wildfire"); len(got) != 0 {
		t.Fatalf("wildfire before = %v", got)
	}
	later := save(t, db, art(f, "a.example", "2", 5, "Wildfire spreads", "Flood of evacuees."), Assignment{})
	if got := find("wildfire"); !reflect.DeepEqual(got, []int64{later.ID}) {
		t.Errorf("added after a search: got %v; want [%d]", got, later.ID)
	}
	if got := find("flood"); !reflect.DeepEqual(got, []int64{later.ID, first.ID}) {
		t.Errorf("flood = %v; want [%d %d]", got, later.ID, first.ID)
	}
	if n, err := db.IndexSearch(ctx); err != nil || n != 0 {
		t.Errorf("IndexSearch when caught up = %d, %v", n, err)
	}
	// Articles are never deleted by wiredesk itself; an operator may.
	if _, err := db.w.ExecContext(ctx, db.q(`DELETE FROM articles WHERE id = ?`), first.ID); err != nil {
		t.Fatal(err)
	}
	if got := find("flood"); !reflect.DeepEqual(got, []int64{later.ID}) {
		t.Errorf("after delete: flood = %v; want [%d]", got, later.ID)
	}
	ss, err := db.Stories(ctx, news.StoryQuery{Search: "warning"})
	if err != nil || len(ss) != 0 {
		t.Errorf("stories after delete = %v, %v", storyIDs(ss), err)
	}
	// A batch stored without any search in between is indexed in one go.
	err = db.Ingest(ctx, func(b *Batch) error {
		for i := range 30 {
			if err := b.SaveArticle(art(f, "a.example", fmt.Sprint("b", i), 10+i, "Batch", fmt.Sprint("item", i)), Assignment{}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := db.IndexSearch(ctx); err != nil || n != 30 {
		t.Errorf("IndexSearch after a batch = %d, %v; want 30", n, err)
	}
	if got := find("item29"); len(got) != 1 {
		t.Errorf("item29 = %v", got)
	}
}

// TestSearchTokenizer checks that SQLite's FTS5 table keeps every word
// searchWords can make whole: its tokenizer splits at the spaces only, so
// a query word is always one FTS5 token (detail=none has no phrases).
// Every rune a word can hold is put between two x's; a split would index
// the word "x".
func TestSearchTokenizer(t *testing.T) {
	db := openTest(t, sqliteDSN(t))
	ctx := context.Background()
	step := rune(1)
	if testing.Short() {
		step = 31
	}
	n := 0
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO search_fts (rowid, doc) VALUES (?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r += step {
			if !isWordRune(r) || searchFold(r) != r {
				continue // never in a word
			}
			if _, err := st.ExecContext(ctx, r, "x"+string(r)+"x"); err != nil {
				return err
			}
			n++
		}
		return st.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := db.ftsRowids(ctx, `"x"`)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		t.Errorf("FTS5 splits words at %U", rune(id))
	}
	t.Logf("%d runes checked", n)
}

func (db *DB) ftsRowids(ctx context.Context, match string) ([]int64, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT rowid FROM search_fts WHERE search_fts MATCH ?`, match)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
