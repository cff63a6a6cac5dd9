package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/wiredesk/wiredesk/news"
)

// Reads of many rows by id, for the live streams: a page of push events
// names up to a few hundred articles, stories, revisions and alerts, read
// here in a few queries instead of one or two each.

// eachByID runs query, whose one %s is the placeholders of an IN list, on
// the read pool over the distinct ids in batches of knownBatch, padded with
// NULLs to a few lengths (knownShape) so that each shape is prepared once,
// and calls scan on every row.
func (db *DB) eachByID(ctx context.Context, query string, ids []int64, scan func(*sql.Rows) error) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	for start := 0; start < len(ids); start += knownBatch {
		part := ids[start:min(start+knownBatch, len(ids))]
		n := knownShape(len(part))
		args := make([]any, n)
		for i, id := range part {
			args[i] = id
		}
		if err := db.eachRow(ctx, fmt.Sprintf(query, marks(n)), args, scan); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) eachRow(ctx context.Context, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := db.read(ctx, db.q(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}

// ArticlesByID returns the articles with the given ids that exist, by id.
func (db *DB) ArticlesByID(ctx context.Context, ids []int64) (map[int64]news.Article, error) {
	out := make(map[int64]news.Article, len(ids))
	err := db.eachByID(ctx, `SELECT `+articleCols+` FROM articles a WHERE a.id IN (%s)`, ids, func(rows *sql.Rows) error {
		a, err := scanArticle(rows)
		if err != nil {
			return err
		}
		out[a.ID] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("articles by id: %w", err)
	}
	return out, nil
}

// StoriesByID returns the stories with the given ids that exist, by id,
// each with its members as Story gives them.
func (db *DB) StoriesByID(ctx context.Context, ids []int64) (map[int64]news.Story, error) {
	out := make(map[int64]news.Story, len(ids))
	err := db.eachByID(ctx, `SELECT `+storyCols+` FROM stories s WHERE s.id IN (%s)`, ids, func(rows *sql.Rows) error {
		s, err := scanStory(rows)
		if err != nil {
			return err
		}
		out[s.ID] = s
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("stories by id: %w", err)
	}
	err = db.eachByID(ctx, `SELECT `+articleCols+` FROM articles a WHERE a.story_id IN (%s)
		ORDER BY a.story_id, a.seen, a.id`, ids, func(rows *sql.Rows) error {
		a, err := scanArticle(rows)
		if err != nil {
			return err
		}
		if s, ok := out[a.StoryID]; ok {
			s.Members = append(s.Members, a)
			out[a.StoryID] = s
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("story members by id: %w", err)
	}
	return out, nil
}

// RevisionRef names version Rev of article ArticleID.
type RevisionRef struct {
	ArticleID int64
	Rev       int
}

// RevisionsByRef returns the versions named that exist, as
// ArticleRevisions gives them: a kept previous version or the article's
// current one.
func (db *DB) RevisionsByRef(ctx context.Context, refs []RevisionRef) (map[RevisionRef]news.Revision, error) {
	want := make(map[RevisionRef]bool, len(refs))
	ids := make([]int64, 0, len(refs))
	for _, r := range refs {
		want[r] = true
		ids = append(ids, r.ArticleID)
	}
	arts, err := db.ArticlesByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("revisions by ref: %w", err)
	}
	// A current version is the article row; only articles with an earlier
	// version asked for are looked up in article_revisions.
	out := make(map[RevisionRef]news.Revision, len(refs))
	var kept []int64
	for _, r := range refs {
		a, ok := arts[r.ArticleID]
		if !ok {
			continue
		}
		if cur := currentRevision(a); cur.Rev == r.Rev {
			out[r] = cur
		} else {
			kept = append(kept, r.ArticleID)
		}
	}
	err = db.eachByID(ctx, `SELECT article_id, rev, seen, title, text, content_hash
		FROM article_revisions WHERE article_id IN (%s)`, kept, func(rows *sql.Rows) error {
		r, err := scanRevision(rows)
		if err != nil {
			return err
		}
		if k := (RevisionRef{r.ArticleID, r.Rev}); want[k] {
			out[k] = r
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("revisions by ref: %w", err)
	}
	return out, nil
}

// AlertsByID returns the alerts with the given ids that exist, by id.
func (db *DB) AlertsByID(ctx context.Context, ids []int64) (map[int64]Alert, error) {
	out := make(map[int64]Alert, len(ids))
	err := db.eachByID(ctx, `SELECT id, rule, kind, created, body FROM alerts WHERE id IN (%s)`, ids, func(rows *sql.Rows) error {
		var (
			a    Alert
			body string
		)
		if err := rows.Scan(&a.ID, &a.Rule, &a.Kind, timeCol{&a.Created}, &body); err != nil {
			return err
		}
		a.Body = []byte(body)
		out[a.ID] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("alerts by id: %w", err)
	}
	return out, nil
}
