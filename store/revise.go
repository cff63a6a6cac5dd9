package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// Revise is a changed page of a stored article, as the batch writes it.
type Revise struct {
	ArticleID   int64
	Title, Text string
	ContentHash string
	ItemHash    string    // the feed entry's hash this version was fetched for
	Seen        time.Time // when this version was seen
	Sketch      []byte    // the new text's dedup sketch
}

// ReviseArticle stores rv as the article's new current version, in the
// batch: the row is locked, the version it held moves to
// article_revisions, and the row gets rv's title, text, hash, sketch,
// updated time and one more revision; its story's aggregates are
// refreshed at commit. rescore, called with the locked current article,
// returns the new version's match (score, reason) against the article's
// story, or ok false to keep the recorded one. When the title and text are
// those stored (the feed entry changed, the page did not), only the item
// hash is written and revised is false. The article keeps its id and
// story: a revision never adds an article.
func (b *Batch) ReviseArticle(rv Revise, rescore func(cur news.Article) (score float64, reason string, ok bool)) (cur news.Article, revised bool, err error) {
	if err := b.flushArticles(); err != nil {
		return cur, false, err
	}
	cur, err = b.lockArticle(rv.ArticleID)
	if err != nil {
		return cur, false, err
	}
	if cur.Title == rv.Title && cur.Text == rv.Text {
		return cur, false, b.SetItemHash(rv.ArticleID, rv.ItemHash)
	}
	score, reason := cur.Score, cur.Reason
	if s, r, ok := rescore(cur); ok {
		score, reason = s, r
	}
	_, err = b.tx.ExecContext(b.ctx, b.db.q(`INSERT INTO article_revisions (article_id, rev, seen, title, text, content_hash)
		SELECT id, revisions, coalesce(updated, seen), title, text, content_hash FROM articles WHERE id = ?`), rv.ArticleID)
	if err != nil {
		return cur, false, fmt.Errorf("revise article %d: keep version %d: %w", rv.ArticleID, cur.Revisions, err)
	}
	var sk any
	if len(rv.Sketch) > 0 {
		sk = rv.Sketch
	}
	_, err = b.tx.ExecContext(b.ctx, b.db.q(`UPDATE articles SET title = ?, text = ?, content_hash = ?, item_hash = ?,
		sketch = ?, updated = ?, revisions = revisions + 1, score = ?, reason = ? WHERE id = ?`),
		rv.Title, rv.Text, rv.ContentHash, rv.ItemHash, sk, b.db.tv(firstSight(rv.Seen)), score, reason, rv.ArticleID)
	if err != nil {
		return cur, false, fmt.Errorf("revise article %d: %w", rv.ArticleID, err)
	}
	b.stories[cur.StoryID] = true
	b.push.revs = append(b.push.revs, revRef{rv.ArticleID, cur.Revisions + 1})
	return cur, true, nil
}

// lockArticle reads article id, locking its row until the commit (on
// PostgreSQL; SQLite has one writer).
func (b *Batch) lockArticle(id int64) (news.Article, error) {
	a, err := scanArticle(b.tx.QueryRowContext(b.ctx, b.db.q(`SELECT `+articleCols+` FROM articles a WHERE a.id = ?`+
		b.db.dialect.lockStory), id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("revise article %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("revise article %d: %w", id, err)
	}
	return a, nil
}

// SetItemHash records the feed entry hash an article was last fetched
// for, in the batch.
func (b *Batch) SetItemHash(id int64, hash string) error {
	if err := b.flushArticles(); err != nil {
		return err
	}
	_, err := b.tx.ExecContext(b.ctx, b.db.q(`UPDATE articles SET item_hash = ? WHERE id = ?`), hash, id)
	if err != nil {
		return fmt.Errorf("item hash of article %d: %w", id, err)
	}
	return nil
}
