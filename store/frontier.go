package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// LeaseSpec says what a frontier lease round may take.
type LeaseSpec struct {
	Now   time.Time
	Owner string
	Lease time.Duration // feeds and hosts are ours until Now+Lease
	Limit int           // feeds at most
	// PerHost is the most feeds of one host taken in this round (0: no
	// cap beyond Limit): what the host can start before the lease ends.
	PerHost int
	// Skip names hosts not to lease feeds of now (their queue is full).
	Skip []string
	// NewHosts is the most hosts not yet ours claimed in this round when
	// other workers are present (0, or alone: Limit): workers take hosts
	// a few at a time, so they share them instead of the first taking all.
	NewHosts int
	// Idle says the worker has nothing queued: it may then claim hosts
	// past its share, so that no host waits on a worker that is gone.
	Idle bool
	// Presence is how long this worker counts as present after the round
	// (default Lease).
	Presence time.Duration
}

// HostLease is a host this worker owns, with the budget the previous owner
// left: its last request start and a Retry-After hold.
type HostLease struct {
	Host      string
	LastStart time.Time
	Hold      time.Time
	HoldCode  int
}

// Leased is the outcome of a frontier lease round.
type Leased struct {
	Feeds []news.Feed // interleaved over hosts: the n-th feed of every host before any (n+1)-th
	Hosts []HostLease // hosts claimed (or kept) by this round
	// Deferred counts due feeds moved to the end of their host's hold.
	Deferred int
	// Contended is set when hosts with due feeds were free but being
	// claimed by other workers at that moment, or when this worker is
	// short of its share and others own hosts (they hand the excess
	// over): try again shortly.
	Contended bool
	// Share is this worker's fair share of the hosts in play (owned by a
	// present worker, or free with due feeds) among the workers present.
	Share int
}

// LeaseFrontier leases due feeds host by host, for one worker of a fleet:
// it owns every host it takes feeds of until Now+Lease (renewed by each
// round), so one host's politeness budget is spent by one worker at a time,
// as Nutch partitions fetch lists by host. Hosts another worker owns are
// left alone; due feeds of a host held by a Retry-After are deferred to the
// hold's end. Feeds come interleaved over hosts, at most PerHost of each.
func (db *DB) LeaseFrontier(ctx context.Context, s LeaseSpec) (Leased, error) {
	var out Leased
	if s.Limit <= 0 {
		return out, nil
	}
	if s.PerHost <= 0 {
		s.PerHost = s.Limit
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		out = Leased{}
		n, err := db.deferHeld(ctx, tx, s.Now)
		if err != nil {
			return err
		}
		out.Deferred = n
		if out.Hosts, err = db.renewHosts(ctx, tx, s); err != nil {
			return err
		}
		cands, err := db.freeHosts(ctx, tx, s)
		if err != nil {
			return err
		}
		var owned, workers int
		if out.Share, owned, workers, err = db.share(ctx, tx, s, len(cands)); err != nil {
			return err
		}
		if workers == 1 { // alone: no one to share the hosts with
			s.NewHosts = 0
		}
		// Short of its share while others own hosts: they hand some over.
		short := len(cands) == 0 && len(out.Hosts) < out.Share && owned > len(out.Hosts)
		if room := out.Share - len(out.Hosts); !s.Idle && (s.NewHosts <= 0 || room < s.NewHosts) {
			s.NewHosts = max(0, room)
			if s.NewHosts == 0 {
				cands = nil
			}
		}
		claimed, err := db.claimHosts(ctx, tx, s, cands)
		if err != nil {
			return err
		}
		out.Contended = len(cands) > 0 && len(claimed) == 0 || short
		out.Hosts = append(out.Hosts, claimed...)
		if len(out.Hosts) == 0 {
			return nil
		}
		out.Feeds, err = db.leaseOf(ctx, tx, s, out.Hosts)
		return err
	})
	if err != nil {
		return Leased{}, fmt.Errorf("lease frontier for %s: %w", s.Owner, err)
	}
	return out, nil
}

// deferHeldSQL moves the due, unleased feeds of held hosts to the end of
// the hold.
const deferHeldSQL = `UPDATE feeds SET
	next_poll = (SELECT hold_until FROM hosts WHERE hosts.host = feeds.host),
	deferred_until = (SELECT hold_until FROM hosts WHERE hosts.host = feeds.host)
WHERE next_poll <= ? AND (lease_until IS NULL OR lease_until <= ?)
	AND host IN (SELECT host FROM hosts WHERE hold_until > ?)`

func (db *DB) deferHeld(ctx context.Context, tx *sql.Tx, now time.Time) (int, error) {
	res, err := tx.ExecContext(ctx, db.q(deferHeldSQL), db.tv(now), db.tv(now), db.tv(now))
	if err != nil {
		return 0, fmt.Errorf("defer feeds of held hosts: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// share records that owner is present and returns its share of the hosts
// in play: those a present worker owns and the free ones with due feeds
// (free counted by the caller, up to its limit), how many hosts present
// workers own, and how many workers are present.
func (db *DB) share(ctx context.Context, tx *sql.Tx, s LeaseSpec, free int) (share, owned, workers int, err error) {
	presence := s.Presence
	if presence <= 0 {
		presence = s.Lease
	}
	now := db.tv(s.Now)
	if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO pollers (owner, seen_until) VALUES (?, ?)
		ON CONFLICT (owner) DO UPDATE SET seen_until = excluded.seen_until`), s.Owner, db.tv(s.Now.Add(presence))); err != nil {
		return 0, 0, 0, fmt.Errorf("mark poller present: %w", err)
	}
	err = tx.QueryRowContext(ctx, db.q(`SELECT (SELECT count(*) FROM pollers WHERE seen_until > ?),
		(SELECT count(*) FROM hosts WHERE owner IS NOT NULL AND lease_until > ?)`), now, now).Scan(&workers, &owned)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("count pollers: %w", err)
	}
	workers = max(workers, 1)
	return (owned + free + workers - 1) / workers, owned, workers, nil
}

// renewHostsSQL extends the lease of owner's hosts and returns them.
const renewHostsSQL = `UPDATE hosts SET lease_until = ? WHERE owner = ?
RETURNING host, last_start, hold_until, hold_code`

func (db *DB) renewHosts(ctx context.Context, tx *sql.Tx, s LeaseSpec) ([]HostLease, error) {
	rows, err := tx.QueryContext(ctx, db.q(renewHostsSQL), db.tv(s.Now.Add(s.Lease)), s.Owner)
	if err != nil {
		return nil, fmt.Errorf("renew hosts: %w", err)
	}
	return scanHostLeases(rows)
}

// freeHostsSQL lists hosts, not ours, with due, unleased feeds that no
// other worker owns, those due longest first; %s is the skip condition.
const freeHostsSQL = `SELECT f.host FROM feeds f LEFT JOIN hosts h ON h.host = f.host
WHERE f.next_poll <= ? AND (f.lease_until IS NULL OR f.lease_until <= ?)
	AND (h.host IS NULL OR h.owner IS NULL OR h.lease_until <= ?)%s
GROUP BY f.host ORDER BY min(f.next_poll), f.host LIMIT ?`

func (db *DB) freeHosts(ctx context.Context, tx *sql.Tx, s LeaseSpec) ([]string, error) {
	now := db.tv(s.Now)
	args := []any{now, now, now}
	skip := ""
	if len(s.Skip) > 0 {
		skip = " AND f.host NOT IN (" + marks(len(s.Skip)) + ")"
		for _, h := range s.Skip {
			args = append(args, h)
		}
	}
	args = append(args, s.Limit)
	rows, err := tx.QueryContext(ctx, db.q(fmt.Sprintf(freeHostsSQL, skip)), args...)
	if err != nil {
		return nil, fmt.Errorf("free hosts: %w", err)
	}
	return column[string](rows)
}

// claimHostsSQL takes up to a few of the candidate hosts that are free or
// expired. Rows another worker is claiming are skipped (SKIP LOCKED on
// PostgreSQL), so workers started together spread over the hosts and never
// wait on each other. %s: the host marks, the dialect's locking suffix.
const claimHostsSQL = `UPDATE hosts SET owner = ?, lease_until = ? WHERE host IN (
	SELECT host FROM hosts WHERE host IN (%s) AND (owner IS NULL OR lease_until <= ?)
	ORDER BY host LIMIT ?%s)
RETURNING host, last_start, hold_until, hold_code`

func (db *DB) claimHosts(ctx context.Context, tx *sql.Tx, s LeaseSpec, hosts []string) ([]HostLease, error) {
	if len(hosts) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(hosts)+5)
	for _, h := range hosts { // rows for hosts never seen before
		args = append(args, h)
	}
	if _, err := tx.ExecContext(ctx, db.q(fmt.Sprintf(`INSERT INTO hosts (host) SELECT DISTINCT host FROM feeds
		WHERE host IN (%s) ORDER BY host ON CONFLICT (host) DO NOTHING`, marks(len(hosts)))), args...); err != nil {
		return nil, fmt.Errorf("add hosts: %w", err)
	}
	n := s.NewHosts
	if n <= 0 {
		n = len(hosts)
	}
	args = append([]any{s.Owner, db.tv(s.Now.Add(s.Lease))}, args...)
	args = append(args, db.tv(s.Now), n)
	rows, err := tx.QueryContext(ctx, db.q(fmt.Sprintf(claimHostsSQL, marks(len(hosts)), db.dialect.skipLocked)), args...)
	if err != nil {
		return nil, fmt.Errorf("claim hosts: %w", err)
	}
	return scanHostLeases(rows)
}

func scanHostLeases(rows *sql.Rows) ([]HostLease, error) {
	defer rows.Close()
	var out []HostLease
	for rows.Next() {
		var hl HostLease
		if err := rows.Scan(&hl.Host, timeCol{&hl.LastStart}, timeCol{&hl.Hold}, &hl.HoldCode); err != nil {
			return nil, err
		}
		out = append(out, hl)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, rows.Close()
}

// frontierSQL picks due feeds of the claimed hosts, interleaved (row_number
// over each host), then locks them in the outer query: PostgreSQL allows
// no FOR UPDATE beside a window function, and the outer conditions are
// checked again on a row another worker leased meanwhile. %s: the host
// marks, then the dialect's locking suffix.
const frontierSQL = `SELECT id FROM feeds WHERE id IN (
	SELECT id FROM (
		SELECT id, next_poll, row_number() OVER (PARTITION BY host ORDER BY next_poll, id) AS rn
		FROM feeds WHERE host IN (%s) AND next_poll <= ? AND (lease_until IS NULL OR lease_until <= ?)
	) d WHERE rn <= ? ORDER BY rn, next_poll, id LIMIT ?
) AND next_poll <= ? AND (lease_until IS NULL OR lease_until <= ?)%s`

// leaseSQL claims the selected feeds; %s is their id placeholders.
const leaseSQL = `UPDATE feeds SET lease_owner = ?, lease_until = ? WHERE id IN (%s) RETURNING ` + feedCols

func (db *DB) leaseOf(ctx context.Context, tx *sql.Tx, s LeaseSpec, hosts []HostLease) ([]news.Feed, error) {
	now := db.tv(s.Now)
	args := make([]any, 0, len(hosts)+6)
	for _, h := range hosts {
		args = append(args, h.Host)
	}
	args = append(args, now, now, s.PerHost, s.Limit, now, now)
	rows, err := tx.QueryContext(ctx, db.q(fmt.Sprintf(frontierSQL, marks(len(hosts)), db.dialect.skipLocked)), args...)
	if err != nil {
		return nil, fmt.Errorf("select due feeds: %w", err)
	}
	ids, err := scanIDs(rows)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	args = append([]any{s.Owner, db.tv(s.Now.Add(s.Lease))}, ids...)
	rows, err = tx.QueryContext(ctx, db.q(fmt.Sprintf(leaseSQL, marks(len(ids)))), args...)
	if err != nil {
		return nil, err
	}
	fs, err := collectFeeds(rows)
	if err != nil {
		return nil, err
	}
	// RETURNING keeps no order: interleave again, each host's feeds by
	// next poll.
	slices.SortFunc(fs, func(a, b news.Feed) int {
		if c := a.NextPoll.Compare(b.NextPoll); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	seen := map[string]int{}
	rank := make(map[int64]int, len(fs))
	for _, f := range fs {
		seen[f.Host]++
		rank[f.ID] = seen[f.Host]
	}
	slices.SortStableFunc(fs, func(a, b news.Feed) int { return rank[a.ID] - rank[b.ID] })
	return fs, nil
}

// scanIDs reads a column of ids as query arguments and closes rows.
func scanIDs(rows *sql.Rows) ([]any, error) {
	ids, err := column[int64](rows)
	if err != nil {
		return nil, err
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args, nil
}

// column reads a one-column result and closes rows.
func column[T any](rows *sql.Rows) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, rows.Close()
}

// ReleaseHosts hands back owner's hosts, recording the budget each leaves
// (the last request start and any hold) for the next owner; hosts of owner
// not listed are released as they are.
func (db *DB) ReleaseHosts(ctx context.Context, owner string, hosts []HostLease) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		for _, h := range hosts {
			_, err := tx.ExecContext(ctx, db.q(`UPDATE hosts SET owner = NULL, lease_until = NULL,
				last_start = ?, hold_until = ?, hold_code = ? WHERE host = ? AND owner = ?`),
				db.tv(h.LastStart), db.tv(h.Hold), h.HoldCode, h.Host, owner)
			if err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE hosts SET owner = NULL, lease_until = NULL WHERE owner = ?`), owner); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.q(`DELETE FROM pollers WHERE owner = ?`), owner)
		return err
	})
	if err != nil {
		return fmt.Errorf("release hosts of %s: %w", owner, err)
	}
	return nil
}

// HandOver gives one host up in the middle of a pass (another worker is
// short of its share): the leases of unstarted, the feeds of it owner
// leased and did not start, are freed (feeds being written keep theirs
// until their state is saved), and the host's budget is left for the next
// owner.
func (db *DB) HandOver(ctx context.Context, owner string, h HostLease, unstarted []int64) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range unstarted {
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE feeds SET lease_owner = NULL, lease_until = NULL
				WHERE id = ? AND lease_owner = ?`), id, owner); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, db.q(`UPDATE hosts SET owner = NULL, lease_until = NULL,
			last_start = ?, hold_until = ?, hold_code = ? WHERE host = ? AND owner = ?`),
			db.tv(h.LastStart), db.tv(h.Hold), h.HoldCode, h.Host, owner)
		return err
	})
	if err != nil {
		return fmt.Errorf("hand over host %s: %w", h.Host, err)
	}
	return nil
}

// ReleaseLeases frees every feed lease owner holds, returning how many
// there were: a pass's last word, so that no lease outlives it.
func (db *DB) ReleaseLeases(ctx context.Context, owner string) (int, error) {
	res, err := db.w.ExecContext(ctx, db.q(`UPDATE feeds SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?`), owner)
	if err != nil {
		return 0, fmt.Errorf("release leases of %s: %w", owner, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// DeferFeed puts off a leased feed that was not fetched because its host
// held us off (or the pass ended first): its next poll is until, its
// health (status, failures, error) stays as it was, and the lease is freed.
func (db *DB) DeferFeed(ctx context.Context, feedID int64, owner string, until time.Time) error {
	_, err := db.w.ExecContext(ctx, db.q(`UPDATE feeds SET next_poll = ?, deferred_until = ?,
		lease_until = CASE WHEN lease_owner = ? THEN NULL ELSE lease_until END,
		lease_owner = CASE WHEN lease_owner = ? THEN NULL ELSE lease_owner END
		WHERE id = ?`), db.tv(until), db.tv(until), owner, owner, feedID)
	if err != nil {
		return fmt.Errorf("defer feed %d: %w", feedID, err)
	}
	return nil
}

// fillHosts sets the host of feeds stored before the feeds had one.
func (db *DB) fillHosts(ctx context.Context) error {
	rows, err := db.w.QueryContext(ctx, `SELECT id, url FROM feeds WHERE host = ''`)
	if err != nil {
		return fmt.Errorf("feeds without host: %w", err)
	}
	type idURL struct {
		id  int64
		url string
	}
	var todo []idURL
	for rows.Next() {
		var r idURL
		if err := rows.Scan(&r.id, &r.url); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, r)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	if len(todo) == 0 {
		return nil
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		for _, r := range todo {
			if h := news.FeedHost(r.url); h != "" {
				if _, err := tx.ExecContext(ctx, db.q(`UPDATE feeds SET host = ? WHERE id = ?`), h, r.id); err != nil {
					return fmt.Errorf("fill host of feed %d: %w", r.id, err)
				}
				if err := addHost(ctx, db, tx, h); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// addHost makes sure host has its row in hosts.
func addHost(ctx context.Context, db *DB, tx *sql.Tx, host string) error {
	if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO hosts (host) VALUES (?) ON CONFLICT (host) DO NOTHING`), host); err != nil {
		return fmt.Errorf("add host %s: %w", host, err)
	}
	return nil
}
