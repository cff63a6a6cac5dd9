package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/wiredesk/wiredesk/internal/news"
)

// storyUpdatesSQL sums up the revised members of the stories listed in
// its IN clause (one placeholder per story).
const storyUpdatesSQL = `SELECT story_id, count(*), sum(revisions - 1), max(updated)
	FROM articles WHERE revisions > 1 AND story_id IN (%s) GROUP BY story_id`

// StoryUpdates returns, for each of the given stories that has a revised
// member, how many members changed, how many versions they gained and
// when the latest was seen. Stories without revisions are absent.
func (db *DB) StoryUpdates(ctx context.Context, ids []int64) (map[int64]news.Updates, error) {
	out := map[int64]news.Updates{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	// Not a prepared statement: the IN list's length varies with the page.
	rows, err := db.r.QueryContext(ctx, db.q(fmt.Sprintf(storyUpdatesSQL, marks)), args...)
	if err != nil {
		return nil, fmt.Errorf("story updates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var u news.Updates
		if err := rows.Scan(&id, &u.Articles, &u.Versions, timeCol{&u.Last}); err != nil {
			return nil, fmt.Errorf("story updates: %w", err)
		}
		out[id] = u
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("story updates: %w", err)
	}
	return out, rows.Close()
}
