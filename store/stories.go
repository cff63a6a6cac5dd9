package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// Assignment is dedup's verdict for an article about to be saved.
type Assignment struct {
	DuplicateOf int64   // article it matched; 0 → start a new story
	Score       float64 // similarity to DuplicateOf
	Reason      string  // why it matched
	Origin      string  // wire agency of this article's credit line ("" none)
	// Sketch is the article's dedup fingerprint in binary form
	// (dedup.Fingerprint.MarshalBinary), kept so that an index is rebuilt
	// without re-reading and re-fingerprinting the texts (WalkSketches);
	// nil: none.
	Sketch []byte
}

// insertArticleTmpl is the article insert with the story id's expression
// to fill in: a placeholder, or the dialect's newStoryID.
const insertArticleTmpl = `INSERT INTO articles (feed_id, outlet, guid, url, canonical_url, title, byline,
	text, lang, image, published, fetched, seen, content_hash, story_id, duplicate_of, score, reason, origin,
	item_hash, sketch)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, %s, ?, ?, ?, ?, ?, ?)
ON CONFLICT DO NOTHING
RETURNING id, story_id`

var insertArticleSQL = fmt.Sprintf(insertArticleTmpl, "?")

// insertArticleIDSQL is insertArticleSQL with the id given first.
var insertArticleIDSQL = strings.Replace(strings.Replace(insertArticleSQL,
	"INSERT INTO articles (", "INSERT INTO articles (id, ", 1), "VALUES (", "VALUES (?, ", 1)

func articleName(a *news.Article) string {
	switch {
	case a.CanonicalURL != "":
		return a.CanonicalURL
	case a.URL != "":
		return a.URL
	}
	return fmt.Sprintf("feed %d guid %q", a.FeedID, a.GUID)
}

// storyFor returns dupOf's story, or a new story's id when dupOf is 0. The
// story is locked later, when its aggregates are refreshed.
func (db *DB) storyFor(ctx context.Context, tx txQuerier, dupOf int64) (int64, error) {
	var id int64
	if dupOf == 0 {
		err := tx.QueryRowContext(ctx, `INSERT INTO stories (articles) VALUES (0) RETURNING id`).Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("new story: %w", err)
		}
		return id, nil
	}
	err := tx.QueryRowContext(ctx, db.q(`SELECT story_id FROM articles WHERE id = ?`), dupOf).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("duplicate of article %d: %w", dupOf, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("story of article %d: %w", dupOf, err)
	}
	return id, nil
}

// insertArticle writes a with the given id (0: the next the table gives),
// first seen at the given time (its fetch time, else now: see firstSight),
// and returns its id and story id; it sets a.Seen and a.Revisions.
// With a.StoryID 0 the article gets a new story id (dialect's
// insertNewStorySQL), whose row the caller inserts before the commit.
func (db *DB) insertArticle(ctx context.Context, tx txQuerier, a *news.Article, id int64, at time.Time, sketch []byte) (int64, int64, error) {
	query := insertArticleSQL
	switch {
	case a.StoryID != 0:
	case db.dialect.insertNewStorySQL != "":
		query = db.dialect.insertNewStorySQL
	default:
		return 0, 0, errors.New("insert: no story")
	}
	args := db.articleArgs(a, id, at, sketch)
	if id != 0 {
		query = insertArticleIDSQL
	} else {
		args = args[1:]
	}
	var story int64
	err := tx.QueryRowContext(ctx, db.q(query), args...).Scan(&id, &story)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, ErrDuplicate
	}
	if err != nil {
		return 0, 0, fmt.Errorf("insert: %w", err)
	}
	a.Seen, a.Revisions = at.UTC().Truncate(time.Microsecond), 1
	return id, story, nil
}

// articleArgs are a's values for insertArticleIDSQL, id first; without
// a.StoryID, the story id's place is left out (the dialect's
// insertNewStorySQL gives it).
func (db *DB) articleArgs(a *news.Article, id int64, at time.Time, sketch []byte) []any {
	var feedID, dup, sk any
	if a.FeedID != 0 {
		feedID = a.FeedID
	}
	if a.DuplicateOf != 0 {
		dup = a.DuplicateOf
	}
	if len(sketch) > 0 {
		sk = sketch
	}
	args := make([]any, 0, 22)
	args = append(args, id, feedID, a.Outlet, nullStr(a.GUID), a.URL,
		nullStr(a.CanonicalURL), a.Title, a.Byline, a.Text, a.Lang, a.Image, db.tv(a.Published),
		db.tv(a.Fetched), db.tv(at), a.ContentHash)
	if a.StoryID != 0 {
		args = append(args, a.StoryID)
	}
	return append(args, dup, a.Score, a.Reason, a.Origin, a.ItemHash, sk)
}

const storyMembersSQL = `SELECT id, outlet, title, lang, origin, seen FROM articles
WHERE story_id = ? ORDER BY seen, id`

const updateStorySQL = `UPDATE stories SET title = ?, lang = ?, origin = ?, representative = ?,
	first_outlet = ?, first_seen = ?, last_seen = ?, articles = ?, outlets = ?
WHERE id = ?`

// lockAndRefreshStory locks story id, then recomputes its aggregates from
// its members: a writer that adds to the story at the same moment waits,
// and reads this one's members once it has committed. Batches lock their
// stories in id order, so that two never wait for each other.
func (db *DB) lockAndRefreshStory(ctx context.Context, tx txQuerier, id int64) error {
	var locked int64
	err := tx.QueryRowContext(ctx, db.q(`SELECT id FROM stories WHERE id = ?`+db.dialect.lockStory), id).Scan(&locked)
	if err != nil {
		return fmt.Errorf("lock story %d: %w", id, err)
	}
	return db.refreshStory(ctx, tx, id)
}

// refreshStory recomputes a story's aggregates from its members.
func (db *DB) refreshStory(ctx context.Context, tx txQuerier, id int64) error {
	ms, err := db.storyMembers(ctx, tx, id)
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		return fmt.Errorf("refresh story %d: no members", id)
	}
	return db.updateStory(ctx, tx, id, ms)
}

const insertStorySQL = `INSERT INTO stories (title, lang, origin, representative,
	first_outlet, first_seen, last_seen, articles, outlets, id) VALUES `

// storyRow is a story's row as insertStorySQL and updateStorySQL take it:
// the aggregates, then the id.
type storyRow [10]any

// storiesPerInsert bounds the rows of one insertStories statement (10
// parameters a row).
const storiesPerInsert = 100

// storyRowOf computes the row of story id from its members, in seen order.
func (db *DB) storyRowOf(id int64, ms []news.Article) (storyRow, error) {
	s := aggregate(ms, db.preferred())
	outlets, err := json.Marshal(s.Outlets)
	if err != nil {
		return storyRow{}, fmt.Errorf("refresh story %d: %w", id, err)
	}
	return storyRow{s.Title, s.Lang, s.Origin, s.Representative, s.FirstOutlet,
		db.tv(s.FirstSeen), db.tv(s.LastSeen), s.Articles, string(outlets), id}, nil
}

// insertStories inserts whole rows of stories whose ids their articles
// took, in one statement.
func (db *DB) insertStories(ctx context.Context, tx txQuerier, rows []storyRow) error {
	if len(rows) == 0 {
		return nil
	}
	var q strings.Builder
	q.WriteString(insertStorySQL)
	args := make([]any, 0, len(rows)*len(storyRow{}))
	for i, r := range rows {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, r[:]...)
	}
	if _, err := tx.ExecContext(ctx, db.q(q.String()), args...); err != nil {
		return fmt.Errorf("write %d new stories from %v: %w", len(rows), rows[0][9], err)
	}
	return nil
}

// updateStory writes the aggregates of story id from its members, in seen
// order.
func (db *DB) updateStory(ctx context.Context, tx txQuerier, id int64, ms []news.Article) error {
	return db.writeStory(ctx, tx, updateStorySQL, id, ms)
}

// writeStory runs query (updateStorySQL) with the aggregates of story id.
func (db *DB) writeStory(ctx context.Context, tx txQuerier, query string, id int64, ms []news.Article) error {
	r, err := db.storyRowOf(id, ms)
	if err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, db.q(query), r[:]...); err != nil {
		return fmt.Errorf("refresh story %d: %w", id, err)
	}
	return nil
}

func (db *DB) storyMembers(ctx context.Context, tx txQuerier, id int64) ([]news.Article, error) {
	rows, err := tx.QueryContext(ctx, db.q(storyMembersSQL), id)
	if err != nil {
		return nil, fmt.Errorf("members of story %d: %w", id, err)
	}
	defer rows.Close()
	var ms []news.Article
	for rows.Next() {
		var a news.Article
		if err := rows.Scan(&a.ID, &a.Outlet, &a.Title, &a.Lang, &a.Origin, timeCol{&a.Published}); err != nil {
			return nil, fmt.Errorf("members of story %d: %w", id, err)
		}
		ms = append(ms, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("members of story %d: %w", id, err)
	}
	return ms, rows.Close()
}

// aggregate computes a story from its members, given in seen order (the
// member's Published holds its seen time). The representative is the
// earliest member, unless a preferred outlet is a member: the first in
// preference order wins (its earliest copy). The origin is the first
// non-empty origin in arrival (id) order. This is the one representative
// rule: readers take the member it names (news.Story.RepresentativeArticle).
func aggregate(ms []news.Article, prefer []string) news.Story {
	rep := ms[0]
	for _, p := range prefer {
		if i := indexOutlet(ms, p); i >= 0 {
			rep = ms[i]
			break
		}
	}
	s := news.Story{
		Title: rep.Title, Lang: rep.Lang, Representative: rep.ID,
		FirstOutlet: ms[0].Outlet, FirstSeen: ms[0].Published, LastSeen: ms[len(ms)-1].Published,
		Articles: len(ms), Outlets: []string{},
	}
	var originID int64
	seenOutlet := map[string]bool{}
	for _, m := range ms {
		if m.Origin != "" && (originID == 0 || m.ID < originID) {
			s.Origin, originID = m.Origin, m.ID
		}
		if m.Outlet != "" && !seenOutlet[m.Outlet] {
			seenOutlet[m.Outlet] = true
			s.Outlets = append(s.Outlets, m.Outlet)
		}
	}
	return s
}

func indexOutlet(ms []news.Article, outlet string) int {
	for i, m := range ms {
		if strings.EqualFold(m.Outlet, outlet) {
			return i
		}
	}
	return -1
}
