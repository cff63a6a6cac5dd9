package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// A revision is a changed page of a known article. The article row keeps
// the current version (title, text, content_hash; updated is when it was
// seen, revisions how many versions are kept); each previous version moves
// to article_revisions with the time it was first seen. Version n of an
// article with n revisions is the row itself.

// ArticleRevisions returns every version of article id, oldest first: the
// kept previous versions, then the current one (rev = the article's
// revisions). ErrNotFound when there is no such article.
func (db *DB) ArticleRevisions(ctx context.Context, id int64) ([]news.Revision, error) {
	a, err := db.Article(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("revisions of article %d: %w", id, err)
	}
	rows, err := db.read(ctx, db.q(`SELECT article_id, rev, seen, title, text, content_hash
		FROM article_revisions WHERE article_id = ? ORDER BY rev`), id)
	if err != nil {
		return nil, fmt.Errorf("revisions of article %d: %w", id, err)
	}
	revs, err := collectRevisions(rows, nil)
	if err != nil {
		return nil, fmt.Errorf("revisions of article %d: %w", id, err)
	}
	return append(revs, currentRevision(a)), nil
}

// currentRevision is the version an article row holds.
func currentRevision(a news.Article) news.Revision {
	seen := a.Updated
	if seen.IsZero() {
		seen = a.Seen
	}
	return news.Revision{ArticleID: a.ID, Rev: max(a.Revisions, 1), Seen: seen, Title: a.Title,
		Text: a.Text, ContentHash: a.ContentHash}
}

func scanRevision(s scanner) (news.Revision, error) {
	var r news.Revision
	err := s.Scan(&r.ArticleID, &r.Rev, timeCol{&r.Seen}, &r.Title, &r.Text, &r.ContentHash)
	return r, err
}

// collectRevisions reads rows of revisions, calling fn on each when fn is
// set, else collecting them.
func collectRevisions(rows *sql.Rows, fn func(news.Revision) error) ([]news.Revision, error) {
	defer rows.Close()
	var out []news.Revision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		if fn == nil {
			out = append(out, r)
			continue
		}
		if err := fn(r); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, rows.Close()
}

// walkRevisionsSQL lists every version of the articles seen or updated at
// or after a time: the kept versions from article_revisions and the
// current one from the row, by article (seen order), then version.
const walkRevisionsSQL = `SELECT article_id, rev, seen, title, text, content_hash FROM (
	SELECT r.article_id, r.rev, r.seen, r.title, r.text, r.content_hash, a.seen AS first
	FROM article_revisions r JOIN articles a ON a.id = r.article_id
	WHERE a.seen >= ? OR a.updated >= ?
	UNION ALL
	SELECT a.id, a.revisions, coalesce(a.updated, a.seen), a.title, a.text, a.content_hash, a.seen
	FROM articles a WHERE a.seen >= ? OR a.updated >= ?
) v ORDER BY first, article_id, rev`

// WalkRevisions calls fn for every version of each article seen or
// updated at or after since (zero: all), oldest article first, each
// article's versions in order, the current one last. An error from fn
// stops the walk and is returned.
func (db *DB) WalkRevisions(ctx context.Context, since time.Time, fn func(news.Revision) error) error {
	at := db.tv(since)
	if since.IsZero() {
		at = db.tv(time.Unix(0, 0))
	}
	rows, err := db.r.QueryContext(ctx, db.q(walkRevisionsSQL), at, at, at, at)
	if err != nil {
		return fmt.Errorf("walk revisions: %w", err)
	}
	wrapped := func(r news.Revision) error {
		if err := fn(r); err != nil {
			return fnError{err}
		}
		return nil
	}
	if _, err := collectRevisions(rows, wrapped); err != nil {
		var fnErr fnError
		if errors.As(err, &fnErr) {
			return fnErr.err
		}
		return fmt.Errorf("walk revisions: %w", err)
	}
	return nil
}

// fnError marks an error returned by a caller's function, passed back
// unwrapped.
type fnError struct{ err error }

func (e fnError) Error() string { return e.err.Error() }
