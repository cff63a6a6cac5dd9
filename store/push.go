package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// Push (issue 16): what a write commits, the live stream and the alert
// outbox record in the same transaction.
//
// push_events is the order the live stream (SSE, the NATS article stream)
// follows: every stored article, revision and story change and every
// alert, appended at the end of the writing transaction. On PostgreSQL the
// append runs under the article_log lock (tail.go), held until the commit,
// so positions become visible in increasing order and a reader who has
// seen everything up to p never skips an event committed late; on SQLite
// there is one writer.
//
// alerts is the outbox: a rule that a write makes true inserts its alert
// (one per rule and story: a unique key) and one alert_deliveries row per
// sink, in that write's transaction; deliverers claim the rows after the
// commit (outbox.go).

// AlertRule is one configured alert rule, as the store evaluates it.
type AlertRule struct {
	Name string
	// A story rule: MinOutlets distinct outlets within Within of the
	// story's first copy, and the filters (each empty = any).
	MinOutlets int
	Within     time.Duration
	Lang       []string
	Tags       []string
	Origin     []string
	Words      []string // any of them, each folded as search folds words; an entry of several words needs them all
	// A feed rule: the feed health conditions (failing, gap, stale) whose
	// changes alert.
	FeedHealth []string
	To         []string // sink names
}

// PushOptions configure what writes record for push.
type PushOptions struct {
	Events bool        // append articles, revisions and story changes to push_events
	Rules  []AlertRule // alert rules
	// Notify is called after a commit that recorded events or alerts
	// (with the alerts decided per rule), so that a deliverer in the same
	// process need not wait for its next look.
	Notify func(alerts map[string]int)
}

// pushState is a DB's push configuration; the zero value records nothing.
type pushState struct {
	mu    sync.RWMutex
	opt   PushOptions
	words [][][]string // per rule, its word entries folded
}

// SetPush sets what writes record for push from now on.
func (db *DB) SetPush(o PushOptions) {
	words := make([][][]string, len(o.Rules))
	for i, r := range o.Rules {
		for _, w := range r.Words {
			if ws := searchWords(w); len(ws) > 0 {
				words[i] = append(words[i], ws)
			}
		}
	}
	db.push.mu.Lock()
	defer db.push.mu.Unlock()
	db.push.opt, db.push.words = o, words
}

func (db *DB) pushOptions() (PushOptions, [][][]string) {
	db.push.mu.RLock()
	defer db.push.mu.RUnlock()
	return db.push.opt, db.push.words
}

// hasFeedRules reports whether any rule watches feed health.
func (db *DB) hasFeedRules() bool {
	o, _ := db.pushOptions()
	for _, r := range o.Rules {
		if len(r.FeedHealth) > 0 {
			return true
		}
	}
	return false
}

// revRef is a revision a batch wrote.
type revRef struct {
	article int64
	rev     int
}

// feedHealth is what feed rules watch of a feed.
type feedHealth struct {
	Status     string `json:"status"`
	Gap, Stale bool
}

func (h feedHealth) has(cond string) bool {
	switch cond {
	case "failing":
		return h.Status == "failing"
	case "gap":
		return h.Gap
	case "stale":
		return h.Stale
	}
	return false
}

// feedChange is a feed's health before and after a write.
type feedChange struct {
	feed     int64
	old, new feedHealth
}

// pushRecord is what one transaction recorded, reported after the commit.
type pushRecord struct {
	events int
	alerts map[string]int
}

// notify reports rec after its commit.
func (db *DB) notifyPush(rec pushRecord) {
	if rec.events == 0 && len(rec.alerts) == 0 {
		return
	}
	if o, _ := db.pushOptions(); o.Notify != nil {
		o.Notify(rec.alerts)
	}
}

// readFeedHealth reads a feed's health in tx, for feed rules.
func (db *DB) readFeedHealth(ctx context.Context, tx txQuerier, id int64) (feedHealth, error) {
	var h feedHealth
	err := tx.QueryRowContext(ctx, db.q(`SELECT status, gap, stale FROM feeds WHERE id = ?`), id).Scan(&h.Status, &h.Gap, &h.Stale)
	if err != nil && err != sql.ErrNoRows {
		return h, fmt.Errorf("read feed %d health: %w", id, err)
	}
	return h, nil
}

// decideAlerts decides the alerts that a transaction's writes make true
// (stories in id order) and inserts them with their deliveries.
func (db *DB) decideAlerts(ctx context.Context, tx txQuerier, stories []int64, feeds []feedChange) ([]int64, map[string]int, error) {
	o, words := db.pushOptions()
	var alerts []int64
	perRule := map[string]int{}
	now := time.Now()
	for i := range o.Rules {
		r := &o.Rules[i]
		if len(r.FeedHealth) > 0 {
			for _, fc := range feeds {
				ids, err := db.feedAlerts(ctx, tx, r, fc, now)
				if err != nil {
					return nil, nil, err
				}
				alerts = append(alerts, ids...)
				perRule[r.Name] += len(ids)
			}
			continue
		}
		for _, s := range stories {
			id, err := db.storyAlert(ctx, tx, r, words[i], s, now)
			if err != nil {
				return nil, nil, err
			}
			if id != 0 {
				alerts = append(alerts, id)
				perRule[r.Name]++
			}
		}
	}
	return alerts, perRule, nil
}

// pushEvents appends a transaction's events: its articles, revisions,
// story changes (when events are on) and alerts. It is the last write of
// the transaction.
func (db *DB) pushEvents(ctx context.Context, tx txQuerier, arts []int64, revs []revRef, stories, alerts []int64) (int, error) {
	var evs []pushEventRow
	if o, _ := db.pushOptions(); o.Events {
		for _, id := range arts {
			evs = append(evs, pushEventRow{"article", id, 0})
		}
		for _, rv := range revs {
			evs = append(evs, pushEventRow{"revision", rv.article, rv.rev})
		}
		for _, id := range stories {
			evs = append(evs, pushEventRow{"story", id, 0})
		}
	}
	for _, id := range alerts {
		evs = append(evs, pushEventRow{"alert", id, 0})
	}
	return len(evs), db.appendEvents(ctx, tx, evs)
}

type pushEventRow struct {
	kind string
	ref  int64
	rev  int
}

// appendEvents appends evs to push_events, under the append lock where
// the dialect has one.
func (db *DB) appendEvents(ctx context.Context, tx txQuerier, evs []pushEventRow) error {
	if len(evs) == 0 {
		return nil
	}
	if db.dialect.articleLog != "" {
		if _, err := tx.ExecContext(ctx, db.dialect.articleLock); err != nil {
			return fmt.Errorf("lock append order: %w", err)
		}
	}
	for len(evs) > 0 {
		n := min(len(evs), 300)
		var sb strings.Builder
		args := make([]any, 0, 3*n)
		sb.WriteString(`INSERT INTO push_events (kind, ref, rev) VALUES `)
		for i, e := range evs[:n] {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?)")
			args = append(args, e.kind, e.ref, e.rev)
		}
		if _, err := tx.ExecContext(ctx, db.q(sb.String()), args...); err != nil {
			return fmt.Errorf("append push events: %w", err)
		}
		evs = evs[n:]
	}
	return nil
}

// storyAlert decides rule r for story id in tx: the new alert's id, or 0
// when the rule does not hold or alerted on the story already.
func (db *DB) storyAlert(ctx context.Context, tx txQuerier, r *AlertRule, words [][]string, id int64, now time.Time) (int64, error) {
	key := "story:" + r.Name + ":" + strconv.FormatInt(id, 10)
	var one int
	err := tx.QueryRowContext(ctx, db.q(`SELECT 1 FROM alerts WHERE key = ?`), key).Scan(&one)
	if err == nil {
		return 0, nil
	}
	if err != sql.ErrNoRows {
		return 0, fmt.Errorf("alert %s: %w", key, err)
	}
	s, err := scanStory(tx.QueryRowContext(ctx, db.q(`SELECT `+storyCols+` FROM stories s WHERE s.id = ?`), id))
	if err == sql.ErrNoRows {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("alert %s: %w", key, err)
	}
	// A story of fewer copies than the outlets asked for cannot hold
	// (most stories are one copy): no need to count its outlets.
	if !anyOf(r.Lang, s.Lang) || !anyOf(r.Origin, s.Origin) || s.Articles < r.MinOutlets {
		return 0, nil
	}
	ok, err := db.outletsWithin(ctx, tx, r, id, s.FirstSeen)
	if err != nil || !ok {
		return 0, err
	}
	if ok, err = db.storyTagged(ctx, tx, r.Tags, id); err != nil || !ok {
		return 0, err
	}
	if ok, err = db.storyHasWords(ctx, tx, words, id); err != nil || !ok {
		return 0, err
	}
	var url string
	if err := tx.QueryRowContext(ctx, db.q(`SELECT url FROM articles WHERE id = ?`), s.Representative).Scan(&url); err != nil && err != sql.ErrNoRows {
		return 0, fmt.Errorf("alert %s: representative: %w", key, err)
	}
	body, err := json.Marshal(AlertStory{ID: s.ID, Title: s.Title, Lang: s.Lang, Origin: s.Origin, Outlets: s.Outlets,
		Articles: s.Articles, FirstSeen: s.FirstSeen, FirstOutlet: s.FirstOutlet, URL: url})
	if err != nil {
		return 0, fmt.Errorf("alert %s: %w", key, err)
	}
	return db.insertAlert(ctx, tx, r, key, "story", now, body)
}

// AlertStory is the story an alert is about, as it stood when the alert
// was decided.
type AlertStory struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Lang        string    `json:"lang"`
	Origin      string    `json:"origin"`
	Outlets     []string  `json:"outlets"`
	Articles    int       `json:"articles"`
	FirstSeen   time.Time `json:"first_seen"`
	FirstOutlet string    `json:"first_outlet"`
	URL         string    `json:"url"`
}

// AlertFeed is the feed a health alert is about.
type AlertFeed struct {
	ID        int64  `json:"id"`
	URL       string `json:"url"`
	Name      string `json:"name"`
	Condition string `json:"condition"` // failing, gap or stale
	On        bool   `json:"on"`        // the condition began (true) or ended
	Status    string `json:"status"`
	LastError string `json:"last_error"`
}

func anyOf(set []string, v string) bool {
	return len(set) == 0 || slices.ContainsFunc(set, func(s string) bool { return strings.EqualFold(s, v) })
}

// outletsWithin reports whether story id has r.MinOutlets distinct outlets
// within r.Within of its first copy.
func (db *DB) outletsWithin(ctx context.Context, tx txQuerier, r *AlertRule, id int64, first time.Time) (bool, error) {
	need := max(r.MinOutlets, 1)
	rows, err := tx.QueryContext(ctx, db.q(`SELECT outlet, min(seen) FROM articles WHERE story_id = ? GROUP BY outlet`), id)
	if err != nil {
		return false, fmt.Errorf("outlets of story %d: %w", id, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var (
			outlet string
			seen   time.Time
		)
		if err := rows.Scan(&outlet, timeCol{&seen}); err != nil {
			return false, fmt.Errorf("outlets of story %d: %w", id, err)
		}
		if r.Within <= 0 || !seen.After(first.Add(r.Within)) {
			n++
		}
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("outlets of story %d: %w", id, err)
	}
	return n >= need, rows.Close()
}

// storyTagged reports whether a member of story id comes from a feed with
// one of tags (true when tags is empty).
func (db *DB) storyTagged(ctx context.Context, tx txQuerier, tags []string, id int64) (bool, error) {
	if len(tags) == 0 {
		return true, nil
	}
	rows, err := tx.QueryContext(ctx, db.q(`SELECT DISTINCT f.tags FROM articles a JOIN feeds f ON f.id = a.feed_id
		WHERE a.story_id = ?`), id)
	if err != nil {
		return false, fmt.Errorf("tags of story %d: %w", id, err)
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		var raw string
		var ft []string
		if err := rows.Scan(&raw); err != nil {
			return false, fmt.Errorf("tags of story %d: %w", id, err)
		}
		if err := json.Unmarshal([]byte(raw), &ft); err != nil {
			return false, fmt.Errorf("tags of story %d: %w", id, err)
		}
		found = found || slices.ContainsFunc(ft, func(t string) bool { return anyOf(tags, t) })
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("tags of story %d: %w", id, err)
	}
	return found, rows.Close()
}

// storyHasWords reports whether a member of story id holds, in its title
// or text, every word of one of the entries (true when there are none).
func (db *DB) storyHasWords(ctx context.Context, tx txQuerier, entries [][]string, id int64) (bool, error) {
	if len(entries) == 0 {
		return true, nil
	}
	rows, err := tx.QueryContext(ctx, db.q(`SELECT title, text FROM articles WHERE story_id = ?`), id)
	if err != nil {
		return false, fmt.Errorf("words of story %d: %w", id, err)
	}
	defer rows.Close()
	found := false
	for rows.Next() && !found {
		var title, text string
		if err := rows.Scan(&title, &text); err != nil {
			return false, fmt.Errorf("words of story %d: %w", id, err)
		}
		have := map[string]bool{}
		for _, w := range searchWords(title + "\n" + text) {
			have[w] = true
		}
		for _, e := range entries {
			if !slices.ContainsFunc(e, func(w string) bool { return !have[w] }) {
				found = true
			}
		}
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("words of story %d: %w", id, err)
	}
	return found, rows.Close()
}

// feedAlerts decides feed rule r for a feed's health change: one alert per
// watched condition that began or ended.
func (db *DB) feedAlerts(ctx context.Context, tx txQuerier, r *AlertRule, fc feedChange, now time.Time) ([]int64, error) {
	var ids []int64
	for _, cond := range r.FeedHealth {
		on := fc.new.has(cond)
		if on == fc.old.has(cond) {
			continue
		}
		af := AlertFeed{ID: fc.feed, Condition: cond, On: on, Status: fc.new.Status}
		err := tx.QueryRowContext(ctx, db.q(`SELECT url, name, last_error FROM feeds WHERE id = ?`), fc.feed).
			Scan(&af.URL, &af.Name, &af.LastError)
		if err != nil {
			return nil, fmt.Errorf("feed alert %s: feed %d: %w", r.Name, fc.feed, err)
		}
		body, err := json.Marshal(af)
		if err != nil {
			return nil, fmt.Errorf("feed alert %s: %w", r.Name, err)
		}
		key := fmt.Sprintf("feed:%s:%d:%s:%t:%d", r.Name, fc.feed, cond, on, now.UnixNano())
		id, err := db.insertAlert(ctx, tx, r, key, "feed", now, body)
		if err != nil {
			return nil, err
		}
		if id != 0 {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// insertAlert inserts an alert and its deliveries: its id, or 0 when an
// alert of that key exists (a concurrent writer decided it first).
func (db *DB) insertAlert(ctx context.Context, tx txQuerier, r *AlertRule, key, kind string, now time.Time, body []byte) (int64, error) {
	rows, err := tx.QueryContext(ctx, db.q(`INSERT INTO alerts (key, rule, kind, created, body) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (key) DO NOTHING RETURNING id`), key, r.Name, kind, db.tv(now), string(body))
	if err != nil {
		return 0, fmt.Errorf("insert alert %s: %w", key, err)
	}
	ids, err := column[int64](rows)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	for _, sink := range r.To {
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO alert_deliveries (alert_id, sink, next_attempt) VALUES (?, ?, ?)`),
			ids[0], sink, db.tv(now))
		if err != nil {
			return 0, fmt.Errorf("insert alert %s delivery to %s: %w", key, sink, err)
		}
	}
	return ids[0], nil
}

// batchPush is what a Batch gathers for recordPush.
type batchPush struct {
	revs   []revRef
	feeds  []feedChange
	alerts []int64
	rec    pushRecord
}

// watchFeed notes f's health change for feed rules, before the batch
// writes f's state.
func (b *Batch) watchFeed(f news.Feed) error {
	if !b.db.hasFeedRules() {
		return nil
	}
	old, err := b.db.readFeedHealth(b.ctx, b.tx, f.ID)
	if err != nil {
		return err
	}
	nh := feedHealth{Status: f.Status, Gap: f.Gap, Stale: f.Stale}
	if nh != old {
		b.push.feeds = append(b.push.feeds, feedChange{f.ID, old, nh})
	}
	return nil
}

// decideAlerts decides the batch's alerts, before its articles take
// their append positions.
func (b *Batch) decideAlerts(stories []int64) error {
	ids, perRule, err := b.db.decideAlerts(b.ctx, b.tx, stories, b.push.feeds)
	b.push.alerts, b.push.rec.alerts = ids, perRule
	return err
}

// pushEvents appends the batch's events, after its articles' positions.
func (b *Batch) pushEvents(stories []int64) error {
	n, err := b.db.pushEvents(b.ctx, b.tx, b.ids, b.push.revs, stories, b.push.alerts)
	b.push.rec.events = n
	return err
}

// SaveFeedState writes the poll outcome fields of f and releases f's lease
// if owner holds it; a zero f.NextPoll makes the feed due at once. When a
// rule watches feed health, a change of f's health decides its alerts in
// the same transaction.
func (db *DB) SaveFeedState(ctx context.Context, f news.Feed, owner string) error {
	if !db.hasFeedRules() {
		return db.saveFeedState(ctx, db.w, f, owner)
	}
	var rec pushRecord
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.readFeedHealth(ctx, tx, f.ID)
		if err != nil {
			return err
		}
		if err := db.saveFeedState(ctx, tx, f, owner); err != nil {
			return err
		}
		nh := feedHealth{Status: f.Status, Gap: f.Gap, Stale: f.Stale}
		if nh == old {
			return nil
		}
		ids, perRule, err := db.decideAlerts(ctx, tx, nil, []feedChange{{f.ID, old, nh}})
		if err != nil {
			return err
		}
		rec.alerts = perRule
		rec.events, err = db.pushEvents(ctx, tx, nil, nil, nil, ids)
		return err
	})
	if err == nil {
		db.notifyPush(rec)
	}
	return err
}

// pushMerge decides the alerts of a merged story and records its change.
func (db *DB) pushMerge(ctx context.Context, tx txQuerier, story int64) (pushRecord, error) {
	var rec pushRecord
	ids, perRule, err := db.decideAlerts(ctx, tx, []int64{story}, nil)
	if err != nil {
		return rec, err
	}
	rec.alerts = perRule
	rec.events, err = db.pushEvents(ctx, tx, nil, nil, []int64{story}, ids)
	return rec, err
}
