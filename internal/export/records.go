// Package export writes stored articles and stories for pipelines: JSON
// Lines and CSV here, RSS, Atom and JSON Feed in feeds.go.
package export

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// ArticleRecord is one line of `wiredesk export -format jsonl`. Its fields
// and their order are the format pipelines read (TestRecordFields pins
// them).
type ArticleRecord struct {
	ID           int64   `json:"id"`
	Story        int64   `json:"story"`
	Feed         int64   `json:"feed"`
	Outlet       string  `json:"outlet"`
	URL          string  `json:"url"`
	CanonicalURL string  `json:"canonical_url"`
	Title        string  `json:"title"`
	Byline       string  `json:"byline"`
	Published    string  `json:"published"`
	Seen         string  `json:"seen"`
	Updated      string  `json:"updated"`
	Revisions    int     `json:"revisions"`
	Fetched      string  `json:"fetched"`
	Lang         string  `json:"lang"`
	Text         string  `json:"text"`
	DuplicateOf  *int64  `json:"duplicate_of"`
	Score        float64 `json:"score"`
	Reason       string  `json:"reason"`
	Origin       string  `json:"origin"`
}

// Article converts a stored article to its export record.
func Article(a news.Article) ArticleRecord {
	r := ArticleRecord{
		ID: a.ID, Story: a.StoryID, Feed: a.FeedID, Outlet: a.Outlet, URL: a.URL,
		CanonicalURL: a.CanonicalURL, Title: a.Title, Byline: a.Byline,
		Published: timeString(a.Published), Seen: timeString(a.Seen), Updated: timeString(updated(a)),
		Revisions: max(a.Revisions, 1), Fetched: timeString(a.Fetched),
		Lang: a.Lang, Text: a.Text, Score: a.Score, Reason: a.Reason, Origin: a.Origin,
	}
	if a.DuplicateOf != 0 {
		d := a.DuplicateOf
		r.DuplicateOf = &d
	}
	return r
}

// updated is when the article's latest version was seen: its first sight
// when it never changed.
func updated(a news.Article) time.Time {
	if a.Updated.IsZero() {
		return a.Seen
	}
	return a.Updated
}

// RevisionRecord is one line of `wiredesk export -revisions`: one version
// of an article.
type RevisionRecord struct {
	Article     int64  `json:"article"`
	Rev         int    `json:"rev"`
	Seen        string `json:"seen"`
	Title       string `json:"title"`
	Text        string `json:"text"`
	ContentHash string `json:"content_hash"`
}

// Revision converts a stored version to its export record.
func Revision(r news.Revision) RevisionRecord {
	return RevisionRecord{Article: r.ArticleID, Rev: r.Rev, Seen: timeString(r.Seen), Title: r.Title, Text: r.Text,
		ContentHash: r.ContentHash}
}

func timeString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// StoryRecord is one line of `wiredesk export -stories`.
type StoryRecord struct {
	ID             int64          `json:"id"`
	Title          string         `json:"title"`
	Lang           string         `json:"lang"`
	Origin         string         `json:"origin"`
	Representative int64          `json:"representative"`
	FirstOutlet    string         `json:"first_outlet"`
	FirstSeen      string         `json:"first_seen"`
	LastSeen       string         `json:"last_seen"`
	Articles       int            `json:"articles"`
	Outlets        []string       `json:"outlets"`
	Members        []MemberRecord `json:"members"`
}

// MemberRecord is one article of a story: what it matched and why.
type MemberRecord struct {
	ID          int64   `json:"id"`
	Outlet      string  `json:"outlet"`
	URL         string  `json:"url"`
	Title       string  `json:"title"`
	Published   string  `json:"published"`
	DuplicateOf *int64  `json:"duplicate_of"`
	Score       float64 `json:"score"`
	Reason      string  `json:"reason"`
}

// Story converts a story with its members to its export record.
func Story(s news.Story) StoryRecord {
	r := StoryRecord{
		ID: s.ID, Title: s.Title, Lang: s.Lang, Origin: s.Origin, Representative: s.Representative,
		FirstOutlet: s.FirstOutlet, FirstSeen: timeString(s.FirstSeen), LastSeen: timeString(s.LastSeen),
		Articles: s.Articles, Outlets: s.Outlets, Members: []MemberRecord{},
	}
	for _, m := range s.Members {
		a := Article(m)
		r.Members = append(r.Members, MemberRecord{ID: a.ID, Outlet: a.Outlet, URL: a.URL, Title: a.Title,
			Published: a.Published, DuplicateOf: a.DuplicateOf, Score: a.Score, Reason: a.Reason})
	}
	return r
}

// JSONL writes one JSON value a line.
type JSONL struct{ enc *json.Encoder }

// NewJSONL returns a JSON Lines writer on w (HTML is not escaped: this is
// data, not a page).
func NewJSONL(w io.Writer) *JSONL {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &JSONL{enc: enc}
}

// Write writes v as one line.
func (j *JSONL) Write(v any) error { return j.enc.Encode(v) }

// csvHeader is the column order of article CSV exports: the JSON Lines
// fields in their order, text last.
var csvHeader = []string{"id", "story", "feed", "outlet", "url", "canonical_url", "title", "byline",
	"published", "seen", "updated", "revisions", "fetched", "lang", "duplicate_of", "score", "reason", "origin", "text"}

// revisionCSVHeader is the column order of revision CSV exports.
var revisionCSVHeader = []string{"article", "rev", "seen", "title", "content_hash", "text"}

// CSV writes articles as CSV with a header row.
type CSV struct {
	w      *csv.Writer
	header bool
}

// NewCSV returns an article CSV writer on w.
func NewCSV(w io.Writer) *CSV { return &CSV{w: csv.NewWriter(w)} }

// Write writes one article row.
func (c *CSV) Write(a news.Article) error {
	if !c.header {
		c.header = true
		if err := c.w.Write(csvHeader); err != nil {
			return err
		}
	}
	r := Article(a)
	dup := ""
	if r.DuplicateOf != nil {
		dup = strconv.FormatInt(*r.DuplicateOf, 10)
	}
	return c.w.Write([]string{strconv.FormatInt(r.ID, 10), strconv.FormatInt(r.Story, 10),
		strconv.FormatInt(r.Feed, 10), r.Outlet, r.URL, r.CanonicalURL, r.Title, r.Byline,
		r.Published, r.Seen, r.Updated, strconv.Itoa(r.Revisions), r.Fetched, r.Lang, dup, strconv.FormatFloat(r.Score, 'f', 3, 64), r.Reason, r.Origin, r.Text})
}

// WriteRevision writes one version of an article as a row (a CSV writer
// carries articles or versions, not both).
func (c *CSV) WriteRevision(rv news.Revision) error {
	if !c.header {
		c.header = true
		if err := c.w.Write(revisionCSVHeader); err != nil {
			return err
		}
	}
	r := Revision(rv)
	return c.w.Write([]string{strconv.FormatInt(r.Article, 10), strconv.Itoa(r.Rev), r.Seen, r.Title, r.ContentHash, r.Text})
}

// Flush flushes buffered rows and reports any write error.
func (c *CSV) Flush() error {
	c.w.Flush()
	return c.w.Error()
}
