package store

import (
	"context"
	"database/sql"
	"fmt"
)

// The search index is kept off the ingest path: storing an article writes
// nothing to it. IndexSearch catches it up with the articles stored since
// (past search_state.last_article in the append order, see tail.go), in
// transactions of searchChunk articles whose words are folded in Go before
// the write transaction starts. `serve` calls it in the background; every
// search calls it first, bounded by searchCatchUpMax, so a search sees the
// articles stored before it (all of them, unless more than that many
// arrived since the last catch-up). Articles become visible in append
// order, so the cursor never skips one.

const (
	// searchChunk is the number of articles indexed per transaction.
	searchChunk = 2000
	// searchCatchUpMax bounds the articles a search indexes before it runs.
	searchCatchUpMax = 4000
)

// IndexSearch adds every article stored since the last call to the search
// index and returns how many it added. It is safe to call concurrently,
// from several processes too.
func (db *DB) IndexSearch(ctx context.Context) (int, error) {
	return db.indexSearch(ctx, 0)
}

// indexSearch indexes pending articles, at most about limit (0: all).
func (db *DB) indexSearch(ctx context.Context, limit int) (int, error) {
	total := 0
	for limit <= 0 || total < limit {
		n, more, err := db.indexSearchChunk(ctx)
		total += n
		if err != nil {
			return total, fmt.Errorf("index search: %w", err)
		}
		if !more {
			break
		}
	}
	return total, nil
}

// searchDocRow is an article's append position, id and words,
// space-separated.
type searchDocRow struct {
	pos, id int64
	doc     string
}

// indexSearchChunk indexes the next searchChunk pending articles. more
// reports whether there were any.
func (db *DB) indexSearchChunk(ctx context.Context) (n int, more bool, err error) {
	db.searchMu.Lock()
	defer db.searchMu.Unlock()
	var cursor int64
	if err := db.r.QueryRowContext(ctx, `SELECT last_article FROM search_state`).Scan(&cursor); err != nil {
		return 0, false, fmt.Errorf("read cursor: %w", err)
	}
	docs, err := db.pendingDocs(ctx, cursor)
	if err != nil || len(docs) == 0 {
		return 0, false, err
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		// Another process may have indexed some of them meanwhile.
		var now int64
		err := tx.QueryRowContext(ctx, `SELECT last_article FROM search_state`+db.dialect.forUpdate).Scan(&now)
		if err != nil {
			return fmt.Errorf("lock cursor: %w", err)
		}
		for len(docs) > 0 && docs[0].pos <= now {
			docs = docs[1:]
		}
		if len(docs) == 0 {
			return nil
		}
		if err := db.dialect.insertSearchDocs(ctx, tx, docs); err != nil {
			return err
		}
		n = len(docs)
		_, err = tx.ExecContext(ctx, db.q(`UPDATE search_state SET last_article = ? WHERE id = 1`), docs[len(docs)-1].pos)
		if err != nil {
			return fmt.Errorf("advance cursor: %w", err)
		}
		return nil
	})
	return n, true, err
}

// pendingDocs reads and folds the next searchChunk articles after cursor,
// a position in the append order (see tail.go).
func (db *DB) pendingDocs(ctx context.Context, cursor int64) ([]searchDocRow, error) {
	rows, err := db.r.QueryContext(ctx, db.q(db.appendedAfter(`a.id, a.title, a.text`)), cursor, searchChunk)
	if err != nil {
		return nil, fmt.Errorf("read articles: %w", err)
	}
	defer rows.Close()
	var docs []searchDocRow
	for rows.Next() {
		var (
			pos, id     int64
			title, text string
		)
		if err := rows.Scan(&pos, &id, &title, &text); err != nil {
			return nil, fmt.Errorf("read articles: %w", err)
		}
		docs = append(docs, searchDocRow{pos: pos, id: id, doc: searchDoc(title, text)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read articles: %w", err)
	}
	return docs, rows.Close()
}

// searchCatchUp runs before a search: the index then holds the articles
// stored before it, unless more than searchCatchUpMax were pending.
func (db *DB) searchCatchUp(ctx context.Context) error {
	_, err := db.indexSearch(ctx, searchCatchUpMax)
	return err
}
