package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wiredesk/wiredesk/internal/news"
)

// FuzzSearch stores a title holding an arbitrary search string (user input
// from the dashboard and API) and checks that searching for it finds that
// story: LIKE wildcards and the escape character are taken literally.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"quake", "100%", "a_b", `back\slash`, `%_\`, "زلزال", "'; DROP TABLE stories; --", "?", "$1"} {
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
		if err := db.SaveArticle(ctx, a, Assignment{}); err != nil {
			t.Fatal(err)
		}
		ss, err := db.Stories(ctx, news.StoryQuery{Search: s, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range ss {
			if !strings.Contains(strings.ToLower(st.Title), strings.ToLower(s)) && st.ID != a.StoryID {
				// Another story may match through its text ("body"); titles
				// must otherwise contain s.
				if !strings.Contains("body", strings.ToLower(s)) {
					t.Errorf("search %q matched story %q", s, st.Title)
				}
			}
			if st.ID == a.StoryID {
				return
			}
		}
		t.Errorf("search %q did not find story %q", s, a.Title)
	})
}
