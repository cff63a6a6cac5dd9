package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// Batch stores several articles in one transaction: the pipeline saves a
// feed's new items in one commit instead of one each, which is what makes a
// 10,000-feed pass fast. Articles saved earlier in the batch are visible to
// later ones (a copy may match an article of the same batch).
type Batch struct {
	db      *DB
	ctx     context.Context
	tx      *stmtTx
	stories map[int64]bool           // stories touched, refreshed once at commit
	fresh   map[int64][]news.Article // members of the stories this batch made
	feeds   map[int64]int64          // items added per feed
	ids     []int64                  // articles stored, in order
	pos     []int64                  // their append positions, after the commit
	push    batchPush                // what push records (push.go)
	// nextArticle is the id the next article gets, where the batch hands
	// them out (dialect.lastArticleSQL); 0 until read.
	nextArticle int64
	// whole are the new stories whose row was written with their first
	// article: only those that got more members need writing again.
	whole map[int64]bool
	// Where the batch hands out article ids, its articles wait in pending
	// (their insert's arguments, row after row) and are written many to a
	// statement (batch_insert.go); keys holds what the batch knows of
	// article keys, storyOf the story of each article it saved.
	pending []any
	// newStories are the rows of new stories, written before pending;
	// nextStory is the id the next gets (0 until read).
	newStories []storyRow
	nextStory  int64
	keys       map[string]keyState
	storyOf    map[int64]int64
}

// Ingest runs fn with a Batch and commits what it saved; if fn fails, or
// the commit fails, nothing of the batch is stored, except that a commit
// cut short by ctx on PostgreSQL ("commit: " and ctx's error) may have
// been taken by the server: callers read back, as the poller does through
// KnownItems on its next pass.
func (db *DB) Ingest(ctx context.Context, fn func(b *Batch) error) error {
	var b *Batch
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWrites(ctx, tx); err != nil {
			return err
		}
		stx := &stmtTx{tx: tx}
		if db.dialect.cacheStmts {
			stx.stmts = map[string]*sql.Stmt{}
		}
		b = &Batch{db: db, ctx: ctx, tx: stx, stories: map[int64]bool{}, whole: map[int64]bool{}, fresh: map[int64][]news.Article{},
			feeds: map[int64]int64{}, keys: map[string]keyState{}, storyOf: map[int64]int64{}}
		if err := fn(b); err != nil {
			return err
		}
		return b.finish()
	})
	if err == nil {
		db.notifyPush(b.push.rec)
	}
	return err
}

// SaveArticle adds a with its story membership to the batch: it joins
// as.DuplicateOf's story or starts a new one; at the end of the batch the
// story's aggregates and representative are refreshed and the item is
// counted on its feed. An article whose (feed, GUID) or canonical URL is
// stored already gives ErrDuplicate (nothing written, the batch goes on).
// On success it sets a.ID, a.StoryID, a.DuplicateOf, a.Score, a.Reason and
// a.Origin.
func (b *Batch) SaveArticle(a *news.Article, as Assignment) error {
	saved := *a
	saved.DuplicateOf, saved.Score, saved.Reason, saved.Origin = as.DuplicateOf, as.Score, as.Reason, as.Origin
	// Where the dialect can, a new story's id comes with the article's
	// insert and its row is written once, whole, at the end of the batch
	// (the foreign key is checked at commit); where the batch hands out
	// article ids, the row is written whole before the article; else an
	// empty row now, updated at the end.
	d := b.db.dialect
	at := firstSight(saved.Fetched)
	ownIDs := d.lastArticleSQL != ""
	made := as.DuplicateOf == 0 && d.insertNewStorySQL == "" // a row made now
	var (
		storyID, id int64
		err         error
	)
	if ownIDs {
		if free, err := b.takeKeys(&saved); err != nil || !free {
			return cmp.Or(err, ErrDuplicate)
		}
		id, err = b.newArticleID()
	}
	switch {
	case err != nil:
	case made && ownIDs:
		storyID, err = b.queueStory(firstMember(&saved, id, at))
	case as.DuplicateOf != 0 && b.storyOf[as.DuplicateOf] != 0:
		storyID = b.storyOf[as.DuplicateOf] // saved in this batch, perhaps not written yet
	case as.DuplicateOf != 0 || made:
		storyID, err = b.db.storyFor(b.ctx, b.tx, as.DuplicateOf)
	}
	if err != nil {
		return fmt.Errorf("save article %s: %w", articleName(a), err)
	}
	saved.StoryID = storyID
	if ownIDs {
		saved.ID = id
		err = b.queueArticle(&saved, at, as.Sketch)
	} else {
		saved.ID, saved.StoryID, err = b.db.insertArticle(b.ctx, b.tx, &saved, id, at, as.Sketch)
	}
	if errors.Is(err, ErrDuplicate) {
		if made {
			// The story made for it stays empty: drop it.
			if _, err := b.tx.ExecContext(b.ctx, b.db.q(`DELETE FROM stories WHERE id = ?`), storyID); err != nil {
				return fmt.Errorf("drop empty story %d: %w", storyID, err)
			}
		}
		return ErrDuplicate
	}
	if err != nil {
		return fmt.Errorf("save article %s: %w", articleName(a), err)
	}
	storyID = saved.StoryID
	if ownIDs {
		b.nextArticle++ // taken
		if made {
			b.whole[storyID] = true
		}
	}
	b.stories[storyID] = true
	b.ids = append(b.ids, saved.ID)
	if _, ok := b.fresh[storyID]; ok || as.DuplicateOf == 0 {
		// A story made in this batch has all its members here (no other
		// writer sees it before the commit): its aggregates need no query.
		b.fresh[storyID] = append(b.fresh[storyID], firstMember(&saved, saved.ID, at))
	}
	if saved.FeedID != 0 {
		b.feeds[saved.FeedID]++
	}
	*a = saved
	return nil
}

// newArticleID returns the id the batch's next article gets: the next
// after the largest article id ever used.
func (b *Batch) newArticleID() (int64, error) {
	if b.nextArticle == 0 {
		var last int64
		err := b.tx.QueryRowContext(b.ctx, b.db.dialect.lastArticleSQL).Scan(&last)
		if err != nil {
			return 0, fmt.Errorf("last article id: %w", err)
		}
		b.nextArticle = last + 1
	}
	return b.nextArticle, nil
}

// firstMember is a as a member of its story, for the story's aggregates
// (Published holds when it was first seen).
func firstMember(a *news.Article, id int64, seen time.Time) news.Article {
	return news.Article{ID: id, Outlet: a.Outlet, Title: a.Title, Lang: a.Lang, Origin: a.Origin, Published: seen}
}

// Positions returns the append positions (see Tail) of the articles the
// batch stored, once Ingest has committed it.
func (b *Batch) Positions() []int64 { return b.pos }

// finish refreshes the touched stories and feed counts, in id order so
// that concurrent batches lock rows in one order, and appends the
// articles to the append order.
func (b *Batch) finish() error {
	if err := b.flushArticles(); err != nil {
		return err
	}
	ids := make([]int64, 0, len(b.stories))
	for id := range b.stories {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if err := b.writeFresh(ids); err != nil {
		return err
	}
	for _, id := range ids {
		if _, ok := b.fresh[id]; ok {
			continue
		}
		if err := b.db.lockAndRefreshStory(b.ctx, b.tx, id); err != nil {
			return err
		}
	}
	feeds := make([]int64, 0, len(b.feeds))
	for id := range b.feeds {
		feeds = append(feeds, id)
	}
	slices.Sort(feeds)
	for _, id := range feeds {
		_, err := b.tx.ExecContext(b.ctx, b.db.q(`UPDATE feeds SET item_count = item_count + ? WHERE id = ?`), b.feeds[id], id)
		if err != nil {
			return fmt.Errorf("count items of feed %d: %w", id, err)
		}
	}
	if err := b.decideAlerts(ids); err != nil {
		return err
	}
	pos, err := b.db.appendArticles(b.ctx, b.tx, b.ids)
	b.pos = pos
	if err != nil {
		return err
	}
	return b.pushEvents(ids)
}

// writeFresh writes the rows of the stories the batch made, from their
// members: inserted whole, many to a statement, where their ids came with
// the articles; else the rows made for them are updated, unless a row
// written whole still holds the story's only member.
func (b *Batch) writeFresh(ids []int64) error {
	insert := b.db.dialect.insertNewStorySQL != ""
	var rows []storyRow
	for _, id := range ids {
		ms, ok := b.fresh[id]
		if !ok || b.whole[id] && len(ms) == 1 {
			continue
		}
		slices.SortStableFunc(ms, func(x, y news.Article) int {
			return cmp.Or(x.Published.Compare(y.Published), cmp.Compare(x.ID, y.ID))
		})
		if !insert {
			if err := b.db.writeStory(b.ctx, b.tx, updateStorySQL, id, ms); err != nil {
				return err
			}
			continue
		}
		r, err := b.db.storyRowOf(id, ms)
		if err != nil {
			return err
		}
		rows = append(rows, r)
		if len(rows) == storiesPerInsert {
			if err := b.db.insertStories(b.ctx, b.tx, rows); err != nil {
				return err
			}
			rows = rows[:0]
		}
	}
	return b.db.insertStories(b.ctx, b.tx, rows)
}

// txQuerier is what the article and story writers need of a transaction:
// a *sql.Tx, or a stmtTx that prepares each statement once per batch.
type txQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// stmtTx runs queries on a transaction through statements prepared once:
// parsing SQL dominated the cost of a many-article batch on SQLite. The
// statements close with the transaction. (The read pool's statement cache,
// stmts.go, cannot serve here: preparing on the write pool would wait for
// its one connection, which this transaction holds.) On PostgreSQL (stmts
// nil) queries go straight to the transaction: pgx keeps each connection's
// prepared statements across transactions, which preparing here would
// bypass.
type stmtTx struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func (s *stmtTx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	st, err := s.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s.stmts[query] = st
	return st, nil
}

func (s *stmtTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s.stmts == nil {
		return s.tx.ExecContext(ctx, query, args...)
	}
	st, err := s.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (s *stmtTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s.stmts == nil {
		return s.tx.QueryContext(ctx, query, args...)
	}
	st, err := s.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (s *stmtTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s.stmts == nil {
		return s.tx.QueryRowContext(ctx, query, args...)
	}
	st, err := s.stmt(ctx, query)
	if err != nil {
		return s.tx.QueryRowContext(ctx, query, args...) // reports the error itself
	}
	return st.QueryRowContext(ctx, args...)
}

// SaveFeedState writes f's poll outcome in the batch, as DB.SaveFeedState
// does: a feed's articles and its new validators commit together, so a
// stored ETag never hides items that were not stored. The items the batch
// stored for f so far are counted in the same statement.
func (b *Batch) SaveFeedState(f news.Feed, owner string) error {
	next := f.NextPoll
	if next.IsZero() {
		next = time.Now()
	}
	added := b.feeds[f.ID]
	delete(b.feeds, f.ID)
	if err := b.watchFeed(f); err != nil {
		return err
	}
	res, err := b.tx.ExecContext(b.ctx, b.db.q(batchFeedStateSQL), f.ETag, f.LastModified, f.Status, f.ErrorClass,
		f.LastError, f.Failures, b.db.tv(f.LastPolled), b.db.tv(next), int64(f.Interval), f.LatencyMS,
		b.db.tv(f.LastItemAt), f.Gap, f.Stale, added, owner, owner, f.ID)
	if err != nil {
		return fmt.Errorf("save feed %d state: %w", f.ID, err)
	}
	return affected(res, fmt.Sprintf("save feed %d state", f.ID))
}

// batchFeedStateSQL is saveFeedStateSQL counting new items too.
var batchFeedStateSQL = strings.Replace(saveFeedStateSQL, "stale = ?,", "stale = ?, item_count = item_count + ?,", 1)
