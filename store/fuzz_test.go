package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wiredesk/wiredesk/news"
)

// FuzzSearch stores a title holding an arbitrary search string (user input
// from the dashboard and API) and checks that searching for it finds that
// story, through the index caught up by the search itself: quotes, FTS5
// and tsquery operators and SQL are only words. Input without words
// matches nothing.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"quake", "100%", "a_b", `back\slash`, `%_\`, "زلزال", "'; DROP TABLE stories; --", "?", "$1",
		`"core" OR NEAR(x) -y`, "title: markets", "Stock*", "ﬁ ＯＩＬ"} {
		f.Add(s)
	}
	db, err := Open(context.Background(), "sqlite:"+filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = db.Close() })
	var n int
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" || !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Skip()
		}
		n++
		ctx := context.Background()
		a := &news.Article{GUID: "g" + strings.Repeat("x", n), Title: "<" + s + ">", Text: "body", Published: t0}
		if err := saveArticle(ctx, db, a, Assignment{}); err != nil {
			t.Fatal(err)
		}
		ss, err := db.Stories(ctx, news.StoryQuery{Search: s, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if parseSearch(s).empty() {
			if len(ss) != 0 {
				t.Errorf("search %q without words matched %d stories", s, len(ss))
			}
			return
		}
		for _, st := range ss {
			if st.ID == a.StoryID {
				return
			}
		}
		t.Errorf("search %q did not find story %q", s, a.Title)
	})
}
