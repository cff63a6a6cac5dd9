package store

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// testLeaseFrontier: rounds interleave hosts and cap feeds per host; a
// worker takes a few new hosts a round and never another's; a held host's
// due feeds are deferred to the hold; a host's budget is carried to its
// next owner.
func testLeaseFrontier(t *testing.T, db *DB) {
	ctx := context.Background()
	for _, h := range []string{"a", "b", "c"} {
		for i := range 3 {
			id := addFeed(t, db, fmt.Sprintf("https://%s.example/f%d", h, i), h)
			f, err := db.Feed(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			f.NextPoll = t0.Add(-time.Duration(3-i) * time.Minute)
			if err := db.SaveFeedState(ctx, f, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	round := func(owner string, newHosts int) Leased {
		t.Helper()
		l, err := db.LeaseFrontier(ctx, LeaseSpec{Now: t0, Owner: owner, Lease: time.Minute, Limit: 6, PerHost: 2, NewHosts: newHosts})
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	// w2 is present already: w1 does not take every host.
	if _, err := db.w.ExecContext(ctx, db.q(`INSERT INTO pollers (owner, seen_until) VALUES (?, ?)`), "w2", db.tv(t0.Add(time.Minute))); err != nil {
		t.Fatal(err)
	}
	w1 := round("w1", 2)
	if got := hostsOf(w1.Hosts); fmt.Sprint(got) != "[a.example b.example]" {
		t.Errorf("w1 claimed %v; want a and b", got)
	}
	if len(w1.Feeds) != 4 || w1.Feeds[0].Host == w1.Feeds[1].Host || w1.Feeds[2].Host == w1.Feeds[3].Host {
		t.Errorf("w1 leased %v; want 2 of each host, interleaved", feedHosts(w1.Feeds))
	}
	w2 := round("w2", 2)
	if got := hostsOf(w2.Hosts); fmt.Sprint(got) != "[c.example]" || len(w2.Feeds) != 2 {
		t.Errorf("w2 claimed %v and leased %v; want c and 2 of its feeds", got, feedHosts(w2.Feeds))
	}
	again := round("w1", 2)
	if len(again.Feeds) != 2 || len(again.Hosts) != 2 {
		t.Errorf("w1's next round: hosts %v feeds %v; want its two hosts' last feeds", hostsOf(again.Hosts), feedHosts(again.Feeds))
	}
	// w2 is held off by c and stops; c's feeds are deferred to the hold.
	hold := t0.Add(time.Hour)
	if err := db.ReleaseHosts(ctx, "w2", []HostLease{{Host: "c.example", LastStart: t0, Hold: hold, HoldCode: 429}}); err != nil {
		t.Fatal(err)
	}
	if n, err := db.ReleaseLeases(ctx, "w2"); err != nil || n != 2 {
		t.Errorf("ReleaseLeases(w2) = %d, %v; want 2", n, err)
	}
	w3 := round("w3", 2)
	if w3.Deferred != 3 || len(w3.Feeds) != 0 {
		t.Errorf("w3: deferred %d, leased %v; want c's 3 feeds deferred, nothing leased", w3.Deferred, feedHosts(w3.Feeds))
	}
	fs, err := db.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Host == "c.example" && (!f.DeferredUntil.Equal(hold) || !f.NextPoll.Equal(hold) || f.Failures != 0) {
			t.Errorf("feed %s: deferred until %v, next %v, failures %d; want the hold %v", f.URL, f.DeferredUntil, f.NextPoll, f.Failures, hold)
		}
	}
	// w1 hands a over with its last start; the next owner gets it.
	var ofA []int64
	for _, f := range append(w1.Feeds, again.Feeds...) {
		if f.Host == "a.example" {
			ofA = append(ofA, f.ID)
		}
	}
	if err := db.HandOver(ctx, "w1", HostLease{Host: "a.example", LastStart: t0.Add(-time.Second)}, ofA); err != nil {
		t.Fatal(err)
	}
	w4 := round("w4", 2)
	if len(w4.Hosts) != 1 || w4.Hosts[0].Host != "a.example" || !w4.Hosts[0].LastStart.Equal(t0.Add(-time.Second)) || len(w4.Feeds) != 2 {
		t.Errorf("w4: hosts %+v, feeds %v; want a with its last start and 2 feeds", w4.Hosts, feedHosts(w4.Feeds))
	}
}

func hostsOf(hs []HostLease) []string {
	out := []string{}
	for _, h := range hs {
		out = append(out, h.Host)
	}
	sort.Strings(out)
	return out
}

func feedHosts(fs []news.Feed) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Host)
	}
	return out
}
