package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/wiredesk/wiredesk/news"
)

// storyStatsSQL sums up the members of the stories listed in its IN
// clause (one placeholder per story).
const storyStatsSQL = `SELECT story_id, min(published), max(published),
	sum(CASE WHEN revisions > 1 THEN 1 ELSE 0 END), sum(revisions - 1), max(updated)
	FROM articles WHERE story_id IN (%s) GROUP BY story_id`

// StoryStats returns, for each of the given stories, when its members
// were published (earliest and latest) and how many were revised, how many
// versions they gained and when the latest was seen. Unknown stories are
// absent.
func (db *DB) StoryStats(ctx context.Context, ids []int64) (map[int64]news.StoryStats, error) {
	out := map[int64]news.StoryStats{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	// Not a prepared statement: the IN list's length varies with the page.
	rows, err := db.r.QueryContext(ctx, db.q(fmt.Sprintf(storyStatsSQL, marks)), args...)
	if err != nil {
		return nil, fmt.Errorf("story stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var s news.StoryStats
		if err := rows.Scan(&id, timeCol{&s.FirstPublished}, timeCol{&s.LastPublished}, &s.Revised, &s.Versions,
			timeCol{&s.Updated}); err != nil {
			return nil, fmt.Errorf("story stats: %w", err)
		}
		out[id] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("story stats: %w", err)
	}
	return out, rows.Close()
}
