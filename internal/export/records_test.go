package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

func TestArticleRecordRevisions(t *testing.T) {
	seen := time.Date(2026, 11, 28, 9, 1, 0, 0, time.UTC)
	tests := map[string]struct {
		a                  news.Article
		revisions          int
		updated, wantTitle string
	}{
		"never changed":   {news.Article{ID: 1, Title: "T", Seen: seen, Revisions: 1}, 1, "2026-11-28T09:01:00Z", "T"},
		"revised twice":   {news.Article{ID: 2, Title: "T3", Seen: seen, Updated: seen.Add(2 * time.Hour), Revisions: 3}, 3, "2026-11-28T11:01:00Z", "T3"},
		"no count stored": {news.Article{ID: 3, Title: "T", Seen: seen}, 1, "2026-11-28T09:01:00Z", "T"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r := Article(tt.a)
			if r.Revisions != tt.revisions || r.Updated != tt.updated || r.Seen != "2026-11-28T09:01:00Z" || r.Title != tt.wantTitle {
				t.Errorf("Article(%+v) = revisions %d, seen %q, updated %q", tt.a, r.Revisions, r.Seen, r.Updated)
			}
		})
	}
}

// TestRecordFields pins the JSON Lines fields and their order: the export
// format pipelines read.
func TestRecordFields(t *testing.T) {
	var buf bytes.Buffer
	if err := NewJSONL(&buf).Write(Article(news.Article{ID: 1})); err != nil {
		t.Fatal(err)
	}
	want := []string{"id", "story", "feed", "outlet", "url", "canonical_url", "title", "byline", "published", "seen",
		"updated", "revisions", "fetched", "lang", "text", "duplicate_of", "score", "reason", "origin"}
	dec := json.NewDecoder(&buf)
	var got []string
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, k.(string))
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("fields %v\nwant   %v", got, want)
	}
}

func TestCSV(t *testing.T) {
	seen := time.Date(2026, 11, 28, 9, 1, 0, 0, time.UTC)
	var buf bytes.Buffer
	c := NewCSV(&buf)
	a := news.Article{ID: 7, StoryID: 7, Title: "العنوان, \"quoted\"", Text: "one\n\ntwo", Seen: seen,
		Updated: seen.Add(time.Hour), Revisions: 2}
	if err := c.Write(a); err != nil {
		t.Fatal(err)
	}
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want a header and one article", len(rows))
	}
	row := map[string]string{}
	for i, h := range rows[0] {
		row[h] = rows[1][i]
	}
	if row["revisions"] != "2" || row["seen"] != "2026-11-28T09:01:00Z" || row["updated"] != "2026-11-28T10:01:00Z" ||
		row["title"] != a.Title || row["text"] != a.Text || rows[0][len(rows[0])-1] != "text" {
		t.Errorf("csv row %v", row)
	}

	buf.Reset()
	c = NewCSV(&buf)
	for _, r := range []news.Revision{{ArticleID: 7, Rev: 1, Seen: seen, Title: "a", Text: "x"}, {ArticleID: 7, Rev: 2, Seen: seen.Add(time.Hour), Title: "b", Text: "x y"}} {
		if err := c.WriteRevision(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "article,rev,seen,title,content_hash,text\n7,1,2026-11-28T09:01:00Z,a,,x\n7,2,2026-11-28T10:01:00Z,b,,x y\n"
	if buf.String() != want {
		t.Errorf("revision csv:\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestRevisionRecord(t *testing.T) {
	var buf bytes.Buffer
	r := news.Revision{ArticleID: 2, Rev: 3, Seen: time.Date(2026, 11, 28, 11, 10, 0, 0, time.UTC), Title: "<b>T</b>", Text: "a & b", ContentHash: "h"}
	if err := NewJSONL(&buf).Write(Revision(r)); err != nil {
		t.Fatal(err)
	}
	want := `{"article":2,"rev":3,"seen":"2026-11-28T11:10:00Z","title":"<b>T</b>","text":"a & b","content_hash":"h"}` + "\n"
	if buf.String() != want {
		t.Errorf("got  %s\nwant %s", buf.String(), want)
	}
}
