package store

import (
	"context"
	"fmt"
	"time"
)

const day = 24 * time.Hour

// FeedDaily returns, for every feed, its article counts per UTC day for the
// last days days ending with now's day, oldest first (len == days). An
// article counts on the day it was published, else fetched.
func (db *DB) FeedDaily(ctx context.Context, days int, now time.Time) (map[int64][]int, error) {
	out := map[int64][]int{}
	if days <= 0 {
		return out, nil
	}
	last := now.UTC().Truncate(day)
	first := last.Add(-time.Duration(days-1) * day)
	ids, err := db.feedIDs(ctx)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		out[id] = make([]int, days)
	}
	q := `SELECT feed_id, ` + db.dialect.dayExpr + ` AS d, count(*) FROM articles
		WHERE feed_id IS NOT NULL AND seen >= ? AND seen < ? GROUP BY feed_id, d`
	rows, err := db.r.QueryContext(ctx, db.q(q), db.tv(first), db.tv(last.Add(day)))
	if err != nil {
		return nil, fmt.Errorf("feed daily: %w", err)
	}
	defer rows.Close()
	base := first.Unix() / 86400
	for rows.Next() {
		var id, d int64
		var n int
		if err := rows.Scan(&id, &d, &n); err != nil {
			return nil, fmt.Errorf("feed daily: %w", err)
		}
		if i := d - base; out[id] != nil && i >= 0 && i < int64(days) {
			out[id][i] = n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feed daily: %w", err)
	}
	return out, rows.Close()
}

func (db *DB) feedIDs(ctx context.Context) ([]int64, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id FROM feeds ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("feed ids: %w", err)
	}
	ids, err := column[int64](rows)
	if err != nil {
		return nil, fmt.Errorf("feed ids: %w", err)
	}
	return ids, nil
}
