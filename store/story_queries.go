package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/wiredesk/wiredesk/news"
)

const storyCols = `s.id, s.title, s.lang, s.origin, s.representative, s.first_outlet, s.first_seen,
	s.last_seen, s.articles, s.outlets`

func scanStory(sc scanner) (news.Story, error) {
	var (
		s       news.Story
		rep     sql.NullInt64
		outlets string
	)
	err := sc.Scan(&s.ID, &s.Title, &s.Lang, &s.Origin, &rep, &s.FirstOutlet, timeCol{&s.FirstSeen},
		timeCol{&s.LastSeen}, &s.Articles, &outlets)
	if err != nil {
		return s, err
	}
	s.Representative = rep.Int64
	if err := json.Unmarshal([]byte(outlets), &s.Outlets); err != nil {
		return s, fmt.Errorf("story %d outlets: %w", s.ID, err)
	}
	return s, nil
}

// Stories returns stories matching q, newest (last_seen) first, with their
// outlets but not their members. Tag matches a story any of whose members'
// feeds has the tag; Search a story any of whose members matches it (see
// search.go; the story's title is its representative's); Since bounds
// last_seen.
func (db *DB) Stories(ctx context.Context, q news.StoryQuery) ([]news.Story, error) {
	var (
		where []string
		args  []any
	)
	if q.Lang != "" {
		where, args = append(where, `s.lang = ?`), append(args, q.Lang)
	}
	if q.Tag != "" {
		where = append(where, `EXISTS (SELECT 1 FROM articles m JOIN feed_tags t ON t.feed_id = m.feed_id
			WHERE m.story_id = s.id AND t.tag = ?)`)
		args = append(args, q.Tag)
	}
	if q.Search != "" {
		// Walking stories tests language and tags on the narrow stories
		// rows first: no filter of theirs makes a walk costlier than
		// sorting every match's story.
		f, err := db.planSearch(ctx, q.Search, false)
		if err != nil {
			return nil, fmt.Errorf("list stories: %w", err)
		}
		cond, cargs := f.storyCond()
		where, args = append(where, cond), append(args, cargs...)
	}
	if !q.Since.IsZero() {
		where, args = append(where, `s.last_seen >= ?`), append(args, db.tv(q.Since))
	}
	query := `SELECT ` + storyCols + ` FROM stories s` + whereClause(where) +
		` ORDER BY s.last_seen DESC, s.id DESC LIMIT ? OFFSET ?`
	limit, offset := page(q.Limit, q.Offset)
	rows, err := db.read(ctx, db.q(query), append(args, limit, offset)...)
	if err != nil {
		return nil, fmt.Errorf("list stories: %w", err)
	}
	defer rows.Close()
	var ss []news.Story
	for rows.Next() {
		s, err := scanStory(rows)
		if err != nil {
			return nil, fmt.Errorf("list stories: %w", err)
		}
		ss = append(ss, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list stories: %w", err)
	}
	return ss, rows.Close()
}

// Story returns the story with id and its members, oldest (published,
// else fetched) first, or ErrNotFound.
func (db *DB) Story(ctx context.Context, id int64) (news.Story, error) {
	s, err := scanStory(db.readRow(ctx, db.q(`SELECT `+storyCols+` FROM stories s WHERE s.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("story %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return s, fmt.Errorf("story %d: %w", id, err)
	}
	rows, err := db.read(ctx, db.q(`SELECT `+articleCols+` FROM articles a
		WHERE a.story_id = ? ORDER BY a.seen, a.id`), id)
	if err != nil {
		return s, fmt.Errorf("story %d members: %w", id, err)
	}
	if s.Members, err = collectArticles(rows); err != nil {
		return s, fmt.Errorf("story %d members: %w", id, err)
	}
	return s, nil
}
