package store

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// Where a batch hands out article ids (SQLite, one writer), its articles
// are written many to a statement: each INSERT … ON CONFLICT DO NOTHING
// RETURNING cost as much again in the statement's own work (binding,
// stepping, the statement journal, scanning the answer) as in the rows it
// wrote. The duplicate check moves before the write: the (feed, GUID) and
// canonical URL keys the batch has seen are remembered, taken or free,
// those it has not are looked up in the transaction (Expect looks up a
// feed's items in one query), and the rows wait in pending until enough
// have gathered or a statement that reads articles comes. The unique
// indexes still hold: a row that would break one fails its statement,
// and the batch.

// articlesPerInsert bounds the rows of one pending insert (22 parameters
// a row).
const articlesPerInsert = 50

// insertArticlesSQL is the many-row insert's head: the columns of
// insertArticleIDSQL, without the conflict clause and the answer.
var insertArticlesSQL = insertArticleIDSQL[:strings.Index(insertArticleIDSQL, "VALUES")] + "VALUES "

// articleRowMarks is one row's placeholders in insertArticlesSQL.
var articleRowMarks = "(" + marks(22) + ")"

// keyState is what the batch knows of an article key.
type keyState uint8

const (
	keyUnknown keyState = iota
	keyFree
	keyTaken
)

// articleKeys are an article's unique keys as the batch remembers them
// (empty: the key cannot collide, a NULL).
func articleKeys(feedID int64, guid, canonical string) (string, string) {
	var g, u string
	if feedID != 0 && guid != "" {
		g = "g" + strconv.FormatInt(feedID, 10) + "\x00" + guid
	}
	if canonical != "" {
		u = "u" + canonical
	}
	return g, u
}

// Expect tells the batch the items of feed feedID it is about to save,
// so that their duplicate check is one query instead of one each. It is
// optional: SaveArticle looks up the keys it was not told of. Where the
// batch writes articles one at a time (PostgreSQL) it does nothing.
func (b *Batch) Expect(feedID int64, keys []ItemKey) error {
	if b.db.dialect.lastArticleSQL == "" {
		return nil
	}
	var todo []ItemKey
	for _, k := range keys {
		g, u := articleKeys(feedID, k.GUID, k.CanonicalURL)
		if (g != "" && b.keys[g] == keyUnknown) || (u != "" && b.keys[u] == keyUnknown) {
			todo = append(todo, k)
		}
	}
	for start := 0; start < len(todo); start += knownBatch {
		if err := b.lookUpKeys(feedID, todo[start:min(start+knownBatch, len(todo))]); err != nil {
			return fmt.Errorf("known items of feed %d: %w", feedID, err)
		}
	}
	return nil
}

// lookUpKeys marks each of keys taken or free, from the transaction (the
// query of KnownItems, whose shapes it shares).
func (b *Batch) lookUpKeys(feedID int64, keys []ItemKey) error {
	var guids, urls []any
	for _, k := range keys {
		g, u := articleKeys(feedID, k.GUID, k.CanonicalURL)
		if g != "" {
			guids, b.keys[g] = append(guids, k.GUID), keyFree
		}
		if u != "" {
			urls, b.keys[u] = append(urls, k.CanonicalURL), keyFree
		}
	}
	if len(guids) == 0 && len(urls) == 0 {
		return nil
	}
	n := knownShape(max(len(guids), len(urls)))
	q := `SELECT feed_id, guid, canonical_url FROM articles WHERE (feed_id = ? AND guid IN (` + marks(n) +
		`)) OR canonical_url IN (` + marks(n) + `)`
	args := make([]any, 0, 1+2*n)
	args = append(append(args, feedID), guids...)
	args = append(append(args, make([]any, n-len(guids))...), urls...)
	args = append(args, make([]any, n-len(urls))...)
	rows, err := b.tx.QueryContext(b.ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			f    sql.NullInt64
			g, u string
		)
		if err := rows.Scan(&f, strCol{&g}, strCol{&u}); err != nil {
			return err
		}
		gk, uk := articleKeys(f.Int64, g, u)
		for _, k := range []string{gk, uk} {
			if k != "" {
				b.keys[k] = keyTaken
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}

// takeKeys reports whether a's keys are free, looking up those the batch
// does not know, and marks them taken when they are.
func (b *Batch) takeKeys(a *news.Article) (bool, error) {
	g, u := articleKeys(a.FeedID, a.GUID, a.CanonicalURL)
	if (g != "" && b.keys[g] == keyUnknown) || (u != "" && b.keys[u] == keyUnknown) {
		if err := b.lookUpKeys(a.FeedID, []ItemKey{{GUID: a.GUID, CanonicalURL: a.CanonicalURL}}); err != nil {
			return false, fmt.Errorf("duplicate check: %w", err)
		}
	}
	if b.keys[g] == keyTaken || b.keys[u] == keyTaken {
		return false, nil
	}
	for _, k := range []string{g, u} {
		if k != "" {
			b.keys[k] = keyTaken
		}
	}
	return true, nil
}

// queueArticle adds a (its id and story given) to the pending rows,
// writing them when enough have gathered; it sets a.Seen and a.Revisions
// as the insert would.
func (b *Batch) queueArticle(a *news.Article, at time.Time, sketch []byte) error {
	b.pending = append(b.pending, b.db.articleArgs(a, a.ID, at, sketch)...)
	b.storyOf[a.ID] = a.StoryID
	a.Seen, a.Revisions = at.UTC().Truncate(time.Microsecond), 1
	if len(b.pending) >= articlesPerInsert*22 {
		return b.flushArticles()
	}
	return nil
}

// queueStory hands out the id of a new story whose first member is m
// (the next after the largest story id ever used) and queues its row,
// written whole before the pending articles.
func (b *Batch) queueStory(m news.Article) (int64, error) {
	if b.nextStory == 0 {
		var last int64
		if err := b.tx.QueryRowContext(b.ctx, b.db.dialect.lastStorySQL).Scan(&last); err != nil {
			return 0, fmt.Errorf("last story id: %w", err)
		}
		b.nextStory = last + 1
	}
	r, err := b.db.storyRowOf(b.nextStory, []news.Article{m})
	if err != nil {
		return 0, err
	}
	b.newStories = append(b.newStories, r)
	b.nextStory++
	return r[9].(int64), nil
}

// flushArticles writes the pending stories, then the pending articles,
// each in one statement.
func (b *Batch) flushArticles() error {
	if err := b.db.insertStories(b.ctx, b.tx, b.newStories); err != nil {
		return err
	}
	b.newStories = b.newStories[:0]
	if len(b.pending) == 0 {
		return nil
	}
	n := len(b.pending) / 22
	q := insertArticlesSQL + strings.Repeat(articleRowMarks+", ", n-1) + articleRowMarks
	if _, err := b.tx.ExecContext(b.ctx, q, b.pending...); err != nil {
		return fmt.Errorf("save %d articles: %w", n, err)
	}
	b.pending = b.pending[:0]
	return nil
}
