package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/wiredesk/wiredesk/internal/loadroom"
	"github.com/wiredesk/wiredesk/internal/push"
	"github.com/wiredesk/wiredesk/internal/push/natstest"
	"github.com/wiredesk/wiredesk/store/storetest"
)

// webhookRecorder is a loopback webhook that answers 500 to its first
// fail deliveries.
type webhookRecorder struct {
	mu    sync.Mutex
	fail  int
	calls []hookCall
}

type hookCall struct {
	id, sig string
	body    []byte
	at      time.Time
	status  int
}

func (h *webhookRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	c := hookCall{id: r.Header.Get("X-Wiredesk-Delivery"), sig: r.Header.Get("X-Wiredesk-Signature"), body: body,
		at: time.Now(), status: http.StatusOK}
	if len(h.calls) < h.fail {
		c.status = http.StatusInternalServerError
	}
	h.calls = append(h.calls, c)
	w.WriteHeader(c.status)
}

func (h *webhookRecorder) snapshot() []hookCall {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.calls)
}

// pushRig is serve over a live loopback newsroom of distinct outlets, with
// a webhook sink, a NATS sink and the NATS article stream.
type pushRig struct {
	bin, cfg, db, addr string
	live               *loadroom.Live
	hook               *webhookRecorder
	js                 jetstream.JetStream
	subject            string
	env                []string // for serve, beside WD_E2E_SECRET
}

const pushSecret = "e2e-secret"

func newPushRig(t testing.TB, feeds int, retry time.Duration) *pushRig {
	t.Helper()
	natsURL := natstest.URL(t)
	nc, err := nats.Connect(natsURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	r := &pushRig{bin: buildBinary(t), js: js, hook: &webhookRecorder{fail: 3},
		subject: fmt.Sprintf("wdtest.%d", time.Now().UnixNano())}
	t.Cleanup(func() {
		for _, s := range []string{r.subject + ".alerts", r.subject + ".articles"} {
			_ = js.DeleteStream(context.Background(), push.StreamName(s))
		}
	})
	hook := httptest.NewServer(r.hook)
	t.Cleanup(hook.Close)
	r.live = loadroom.NewLive(loadroom.LiveOptions{Feeds: feeds, Hosts: feeds, Items: 40, Backdate: time.Hour, Seed: 16})
	t.Cleanup(r.live.Close)
	dir := t.TempDir()
	r.db = filepath.Join(dir, "w.db")
	cfg := fmt.Sprintf(`store: sqlite:%s
http:
  allow_networks: [127.0.0.0/8]
poll:
  interval: 300ms
  min_interval: 200ms
  max_interval: 1s
  host_delay: 5ms
  lease: 2s
  concurrency: 8
alerts:
  retry: %s
  timeout: 2s
  sinks:
    - name: ops
      webhook: %s/hook
      secret: ${WD_E2E_SECRET}
    - name: bus
      nats: %s
      subject: %s.alerts
  rules:
    - name: wide
      min_outlets: 3
      within: 1h
      to: [ops, bus]
stream:
  nats: %s
  subject: %s.articles
`, r.db, retry, hook.URL, natsURL, r.subject, natsURL, r.subject)
	r.cfg = filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(r.cfg, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	seedFeeds(t, "sqlite:"+r.db, r.live.FeedURLs)
	return r
}

// serve starts `wiredesk serve` on addr ("": a free port) and returns it
// once it listens.
func (r *pushRig) serve(t testing.TB, addr string) *exec.Cmd {
	t.Helper()
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	cmd := exec.Command(r.bin, "serve", "-config", r.cfg, "-addr", addr, "-tick", "250ms")
	cmd.Env = append(append(os.Environ(), "WD_E2E_SECRET="+pushSecret), r.env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("serve: %v", err)
	}
	r.addr = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(line), "wiredesk: serving http://"), "/")
	go io.Copy(io.Discard, out)
	return cmd
}

// sseEvent is an event read from /api/events.
type sseEvent struct {
	id   int64
	kind string
	data string
}

// followEvents reads /api/events after lastID (Last-Event-ID) into ch
// until the connection ends.
func followEvents(t *testing.T, addr string, lastID int64, ch chan<- sseEvent) {
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+"/api/events", nil)
	if err != nil {
		t.Error(err)
		return
	}
	req.Header.Set("Last-Event-ID", strconv.FormatInt(lastID, 10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("events: %v", err)
		close(ch)
		return
	}
	go func() {
		defer close(ch)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 8<<20)
		var e sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "id: "):
				e.id, _ = strconv.ParseInt(line[4:], 10, 64)
			case strings.HasPrefix(line, "event: "):
				e.kind = line[7:]
			case strings.HasPrefix(line, "data: "):
				e.data = line[6:]
			case line == "" && e.id != 0:
				ch <- e
				e = sseEvent{}
			}
		}
	}()
}

func (r *pushRig) sqlDB(t testing.TB) *sql.DB {
	db, err := sql.Open("sqlite", "file:"+r.db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// wideStories returns the stories on 3 or more outlets.
func wideStories(t testing.TB, db *sql.DB) map[int64]bool {
	rows, err := db.Query(`SELECT story_id FROM articles GROUP BY story_id HAVING count(DISTINCT outlet) >= 3`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out[id] = true
	}
	return out
}

func countRows(t testing.TB, db *sql.DB, q string) int {
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// queryIDs returns the one-column integer result of q.
func queryIDs(t testing.TB, db *sql.DB, q string) []int64 {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return ids
}

// streamMessages returns the messages of a JetStream stream.
func streamMessages(t *testing.T, js jetstream.JetStream, name string) []*jetstream.RawStreamMsg {
	ctx := context.Background()
	s, err := js.Stream(ctx, name)
	if err != nil {
		t.Fatalf("stream %s: %v", name, err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []*jetstream.RawStreamMsg
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("stream %s message %d: %v", name, seq, err)
		}
		out = append(out, m)
	}
	return out
}

// TestPushKillServe is issue 16's end to end: `serve` over a live
// loopback newsroom, killed with SIGKILL once and started again. Every
// story reaching 3 outlets reaches the webhook (which answers 500 to its
// first 3 deliveries) once per alert id, and the same ids are on NATS;
// every webhook body's signature verifies; every stored article is on the
// NATS article stream; /api/events resumed with Last-Event-ID continues
// with the very next event.
func TestPushKillServe(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child serve; skipped with -short")
	}
	const feeds, stories = 6, 24
	r := newPushRig(t, feeds, 100*time.Millisecond)
	db := r.sqlDB(t)

	cmd := r.serve(t, "")
	addr := r.addr
	events := make(chan sseEvent, 100000)
	followEvents(t, addr, 0, events)
	// The newsroom's items are stored before copies push the first ones
	// off its feeds.
	waitStored(t, db, feeds*40)
	spreadStories(r, feeds, 0, stories/2)
	// Kill once an alert went through the webhook's failures.
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if len(r.hook.snapshot()) > 4 {
			break
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	var seen []sseEvent
	for e := range events {
		seen = append(seen, e)
	}
	if len(seen) == 0 {
		t.Fatal("no event on /api/events before the kill")
	}
	last := seen[len(seen)-1].id
	t.Logf("killed serve after %d webhook calls, %d events (last id %d)", len(r.hook.snapshot()), len(seen), last)

	cmd = r.serve(t, addr)
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	resumed := make(chan sseEvent, 100000)
	followEvents(t, addr, last, resumed)
	spreadStories(r, feeds, stories/2, stories)
	wide := waitPushed(t, db, stories*3/4, feeds*40+stories*7/4)
	checkPushWebhook(t, r, db, wide)
	checkPushNATS(t, r, db)
	checkResumed(t, db, last, resumed)
}

// spreadStories makes stories k in [from, to) reach other outlets: story
// k starts on feed k%feeds (an item it listed from the start) and is
// copied by two other feeds (three outlets: an alert), or, one in four,
// by one.
func spreadStories(r *pushRig, feeds, from, to int) {
	for k := from; k < to; k++ {
		n := k % feeds
		src := fmt.Sprintf("%d/%d", n, k)
		others := []int{(n + 1) % feeds, (n + 2) % feeds}
		if k%4 == 3 {
			others = others[:1]
		}
		for _, o := range others {
			r.live.Republish(src, o)
			time.Sleep(60 * time.Millisecond)
		}
	}
}

// waitStored waits until db holds n articles.
func waitStored(t testing.TB, db *sql.DB, n int) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); countRows(t, db, `SELECT count(*) FROM articles`) < n; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d articles not stored within 60s", n)
		}
	}
}

// waitPushed waits until the stories on 3 outlets, their alerts, the
// deliveries and the NATS stream are all there, and returns the stories.
func waitPushed(t testing.TB, db *sql.DB, wantWide, wantStored int) map[int64]bool {
	var wide map[int64]bool
	var pending, alerts, stored, streamed int
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		wide = wideStories(t, db)
		pending = countRows(t, db, `SELECT count(*) FROM alert_deliveries WHERE status != 'delivered'`)
		alerts = countRows(t, db, `SELECT count(*) FROM alerts`)
		stored = countRows(t, db, `SELECT count(*) FROM articles`)
		streamed = countRows(t, db, `SELECT count(*) FROM push_cursors WHERE seq = (SELECT max(seq) FROM push_events)`)
		if len(wide) == wantWide && alerts == len(wide) && pending == 0 && stored == wantStored && streamed == 1 {
			return wide
		}
	}
	t.Logf("after 90s: %d of %d articles stored, %d stories on 3 outlets, %d alerts, %d deliveries pending, stream caught up: %v",
		stored, wantStored, len(wide), alerts, pending, streamed == 1)
	return wide
}

// TestPushWorkersPostgres runs two serve workers on one PostgreSQL store
// over a live newsroom: each alert reaches the webhook once (the workers
// claim deliveries FOR UPDATE SKIP LOCKED), the same ids are on NATS, and
// every article is on the NATS article stream once.
func TestPushWorkersPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two serve workers; skipped with -short")
	}
	dsn := storetest.PostgresDSN(t)
	const feeds, stories = 6, 24
	r := newPushRig(t, feeds, 100*time.Millisecond)
	r.hook.fail = 0
	r.env = []string{"WIREDESK_STORE=" + dsn}
	seedFeeds(t, dsn, r.live.FeedURLs)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for range 2 {
		cmd := r.serve(t, "")
		defer func() {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			_ = cmd.Wait()
		}()
	}
	waitStored(t, db, feeds*40)
	spreadStories(r, feeds, 0, stories)
	wide := waitPushed(t, db, stories*3/4, feeds*40+stories*7/4)
	checkPushWebhook(t, r, db, wide)
	checkPushNATS(t, r, db)
	workers := countRows(t, db, `SELECT count(DISTINCT claimed_by) FROM alert_deliveries`)
	t.Logf("deliveries claimed by %d workers", workers)
}

func checkPushWebhook(t *testing.T, r *pushRig, db *sql.DB, wide map[int64]bool) {
	if len(wide) != 18 {
		t.Errorf("%d stories on 3 outlets; the newsroom made 18", len(wide))
	}
	calls := r.hook.snapshot()
	ok := map[string]int{}
	storyOf := map[string]int64{}
	for i, c := range calls {
		if c.sig != push.Sign(pushSecret, c.body) {
			t.Errorf("call %d (alert %s): signature %q does not verify", i, c.id, c.sig)
		}
		var e struct {
			ID    string `json:"id"`
			Story struct {
				ID int64 `json:"id"`
			} `json:"story"`
		}
		if err := json.Unmarshal(c.body, &e); err != nil || e.ID != c.id {
			t.Errorf("call %d: body %s, header id %s: %v", i, c.body, c.id, err)
		}
		if prev, dup := storyOf[c.id]; dup && prev != e.Story.ID {
			t.Errorf("alert %s came with stories %d and %d", c.id, prev, e.Story.ID)
		}
		storyOf[c.id] = e.Story.ID
		if c.status == http.StatusOK {
			ok[c.id]++
		}
	}
	alerted := map[int64]bool{}
	for id, n := range ok {
		if n != 1 {
			t.Errorf("alert %s delivered %d times", id, n)
		}
		alerted[storyOf[id]] = true
	}
	for i := range min(3, len(calls)) {
		if ok[calls[i].id] != 1 {
			t.Errorf("alert %s (answered 500) was not delivered again", calls[i].id)
		}
	}
	for s := range wide {
		if !alerted[s] {
			t.Errorf("story %d reached 3 outlets; no alert reached the webhook", s)
		}
	}
	if len(alerted) != len(wide) {
		t.Errorf("%d stories alerted, %d reached 3 outlets", len(alerted), len(wide))
	}
	var lat []int64
	rows, err := db.Query(`SELECT latency_ms FROM alert_deliveries WHERE status = 'delivered' AND sink = 'bus'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var l int64
		if err := rows.Scan(&l); err != nil {
			t.Fatal(err)
		}
		lat = append(lat, l)
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		t.Logf("%d webhook calls for %d alerts; NATS sink latency median %d ms, max %d ms", len(calls), len(ok), lat[len(lat)/2], lat[len(lat)-1])
	}
}

func checkPushNATS(t *testing.T, r *pushRig, db *sql.DB) {
	var alertIDs []string
	for _, id := range queryIDs(t, db, `SELECT id FROM alerts ORDER BY id`) {
		alertIDs = append(alertIDs, push.AlertID(id))
	}
	var onNATS []string
	for _, m := range streamMessages(t, r.js, push.StreamName(r.subject+".alerts")) {
		onNATS = append(onNATS, m.Header.Get("Nats-Msg-Id"))
	}
	slices.Sort(onNATS)
	slices.SortFunc(alertIDs, func(a, b string) int { return strings.Compare(a, b) })
	if !slices.Equal(onNATS, alertIDs) {
		t.Errorf("alert ids on NATS %v; in the store %v", onNATS, alertIDs)
	}
	stored := map[int64]bool{}
	for _, id := range queryIDs(t, db, `SELECT id FROM articles`) {
		stored[id] = true
	}
	onStream := map[int64]int{}
	for _, m := range streamMessages(t, r.js, push.StreamName(r.subject+".articles")) {
		if m.Header.Get("Wiredesk-Event") != "article" {
			continue
		}
		var a struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal(m.Data, &a); err != nil {
			t.Fatal(err)
		}
		onStream[a.ID]++
	}
	for id := range stored {
		if onStream[id] != 1 {
			t.Errorf("article %d is %d times on the NATS article stream", id, onStream[id])
		}
	}
	t.Logf("%d articles stored, %d on the NATS article stream; %d alerts on NATS", len(stored), len(onStream), len(onNATS))
}

func checkResumed(t *testing.T, db *sql.DB, last int64, resumed <-chan sseEvent) {
	var next int64
	if err := db.QueryRow(`SELECT min(seq) FROM push_events WHERE seq > ?`, last).Scan(&next); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-resumed:
		if e.id != next {
			t.Errorf("resumed after %d with event %d; the next event is %d", last, e.id, next)
		}
		prev := e.id
		for {
			select {
			case e, ok := <-resumed:
				if !ok {
					return
				}
				if e.id != prev+1 {
					t.Errorf("resumed stream skips from %d to %d", prev, e.id)
				}
				prev = e.id
			case <-time.After(200 * time.Millisecond):
				t.Logf("resumed stream: %d..%d", next, prev)
				return
			}
		}
	case <-time.After(5 * time.Second):
		t.Errorf("no event after resuming at %d", last)
	}
}
