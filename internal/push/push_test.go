package push

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/wiredesk/wiredesk/internal/push/natstest"
	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/store"
	"github.com/wiredesk/wiredesk/store/storetest"
)

// hook is a loopback webhook receiver that answers fail to its first
// failFirst deliveries.
type hook struct {
	mu        sync.Mutex
	failFirst int
	status    int // after the first failures (0: 200)
	calls     []call
}

type call struct {
	id, sig string
	body    []byte
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, call{r.Header.Get("X-Wiredesk-Delivery"), r.Header.Get("X-Wiredesk-Signature"), body})
	switch {
	case len(h.calls) <= h.failFirst:
		w.WriteHeader(http.StatusInternalServerError)
	case h.status != 0:
		w.WriteHeader(h.status)
	}
}

func (h *hook) snapshot() []call {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]call(nil), h.calls...)
}

func TestWebhook(t *testing.T) {
	env := Envelope{ID: "7", Rule: "wide", Kind: "story", At: time.Unix(1e9, 0).UTC(),
		Story: json.RawMessage(`{"id":3,"title":"Bank holds","outlets":["a","b","c"],"url":"https://a/1"}`)}
	cases := map[string]struct {
		status    int
		format    string
		closed    bool
		permanent bool
		ok        bool
		text      string
	}{
		"2xx delivers":      {status: 204, ok: true},
		"5xx retries":       {status: 503},
		"429 retries":       {status: 429},
		"4xx gives up":      {status: 410, permanent: true},
		"refused retries":   {closed: true},
		"slack text format": {status: 200, format: "slack", ok: true, text: "[wide] Bank holds: on 3 outlets (a, b, c) https://a/1"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			h := &hook{status: c.status}
			srv := httptest.NewServer(h)
			if c.closed {
				srv.Close()
			} else {
				defer srv.Close()
			}
			w := &Webhook{URL: srv.URL, Secret: "k", Format: c.format, Client: &http.Client{Timeout: time.Second}}
			err := w.Deliver(context.Background(), env)
			var perm *PermanentError
			if (err == nil) != c.ok || errors.As(err, &perm) != c.permanent {
				t.Fatalf("err %v; want ok %v permanent %v", err, c.ok, c.permanent)
			}
			if c.closed {
				return
			}
			got := h.snapshot()[0]
			if got.id != "7" || got.sig != Sign("k", got.body) {
				t.Errorf("delivery %q signature %q; want 7 and %s", got.id, got.sig, Sign("k", got.body))
			}
			if c.text != "" {
				var m map[string]string
				if err := json.Unmarshal(got.body, &m); err != nil || m["text"] != c.text {
					t.Errorf("slack body %s; want text %q", got.body, c.text)
				}
			} else if !strings.HasPrefix(string(got.body), `{"id":"7","rule":"wide","kind":"story","at":"2001-09-09T01:46:40Z","story":{"id":3`) {
				t.Errorf("body %s", got.body)
			}
		})
	}
}

// pushStore is a SQLite store deciding rule "any" (every new story) to
// sink "ops".
func pushStore(t testing.TB, rules ...store.AlertRule) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), storetest.SQLiteDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if len(rules) == 0 {
		rules = []store.AlertRule{{Name: "any", To: []string{"ops"}}}
	}
	db.SetPush(store.PushOptions{Events: true, Rules: rules})
	return db
}

func addStory(t *testing.T, db *store.DB, n int) news.Article {
	t.Helper()
	now := time.Now()
	a := news.Article{Outlet: "a.example", GUID: fmt.Sprint(n), URL: fmt.Sprintf("https://a.example/%d", n),
		CanonicalURL: fmt.Sprintf("https://a.example/%d", n), Title: fmt.Sprintf("Story %d", n), Text: "text", Lang: "en",
		Published: now, Fetched: now}
	if err := db.Ingest(context.Background(), func(b *store.Batch) error { return b.SaveArticle(&a, store.Assignment{}) }); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestDispatcher(t *testing.T) {
	cases := map[string]struct {
		failFirst, status int
		giveUp            time.Duration
		want              string
		attempts          int
	}{
		"retried until delivered": {failFirst: 3, giveUp: time.Minute, want: store.DeliveryDelivered, attempts: 4},
		"given up":                {failFirst: 1000, giveUp: 100 * time.Millisecond, want: store.DeliveryFailed},
		"permanent":               {status: 400, giveUp: time.Minute, want: store.DeliveryFailed, attempts: 1},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			db := pushStore(t)
			h := &hook{failFirst: c.failFirst, status: c.status}
			srv := httptest.NewServer(h)
			defer srv.Close()
			m := NewMetrics(nil)
			d := NewDispatcher(db, map[string]Sink{"ops": &Webhook{URL: srv.URL, Secret: "k", Client: srv.Client()}},
				Options{Owner: "t", Retry: 5 * time.Millisecond, GiveUp: c.giveUp, Timeout: time.Second, Metrics: m,
					Look: 5 * time.Millisecond})
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { defer close(done); d.Run(ctx) }()
			addStory(t, db, 1)
			var log []store.DeliveryStatus
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
				var err error
				if log, err = db.DeliveryLog(ctx, 10); err != nil {
					t.Fatal(err)
				}
				if len(log) == 1 && log[0].Status != store.DeliveryPending {
					break
				}
			}
			cancel()
			<-done
			if len(log) != 1 || log[0].Status != c.want || (c.attempts > 0 && log[0].Attempts != c.attempts) {
				t.Fatalf("log %+v; want %s after %d attempts", log, c.want, c.attempts)
			}
			calls := h.snapshot()
			for _, cl := range calls {
				if cl.id != calls[0].id || string(cl.body) != string(calls[0].body) || cl.sig != Sign("k", cl.body) {
					t.Errorf("redelivery differs: %+v vs %+v", cl, calls[0])
				}
			}
			if c.want == store.DeliveryFailed && log[0].LastError == "" {
				t.Error("given up without a recorded error")
			}
		})
	}
}

func TestNATS(t *testing.T) {
	url := natstest.URL(t)
	var conns Conns
	defer conns.Close()
	js, err := conns.JetStream(url)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	subject := fmt.Sprintf("wiredesk.test.%d", time.Now().UnixNano())
	name := StreamName(subject)
	t.Cleanup(func() { _ = js.DeleteStream(context.Background(), name) })

	db := pushStore(t)
	sink := NATSSink{&Subject{JS: js, Subject: subject + ".alerts"}}
	t.Cleanup(func() { _ = js.DeleteStream(context.Background(), StreamName(subject+".alerts")) })
	d := NewDispatcher(db, map[string]Sink{"ops": sink}, Options{Owner: "t", Retry: time.Millisecond, GiveUp: time.Minute, Timeout: 5 * time.Second})
	for i := range 3 {
		addStory(t, db, i)
	}
	if err := d.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	// A redelivery (a crash before the outcome was recorded) is dropped by
	// the server: same Nats-Msg-Id.
	a, err := db.Alert(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := sink.Deliver(ctx, NewEnvelope(a)); err != nil {
		t.Fatal(err)
	}
	if n := streamMsgs(t, js, StreamName(subject+".alerts")); n != 3 {
		t.Errorf("alert stream holds %d messages; want 3", n)
	}

	st := &Streamer{Events: &Events{St: db}, Cursors: db, Subject: &Subject{JS: js, Subject: subject}, Owner: "t",
		Logger: nil, Metrics: NewMetrics(nil)}
	if err := st.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	// 3 articles, 3 story changes; the alerts go to their sinks only.
	if n := streamMsgs(t, js, name); n != 6 {
		t.Errorf("article stream holds %d messages; want 6", n)
	}
	// A second publisher from the start republishes; the server drops it.
	if err := db.SaveCursor(ctx, "nats:"+subject, "t", 0); err != nil {
		t.Fatal(err)
	}
	st2 := *st
	st2.Owner = "t"
	if _, err := st2.pass(ctx, "other:"+subject); err != nil {
		t.Fatal(err)
	}
	if n := streamMsgs(t, js, name); n != 6 {
		t.Errorf("after republishing, %d messages; want 6", n)
	}
}

func streamMsgs(t *testing.T, js jetstream.JetStream, name string) uint64 {
	t.Helper()
	s, err := js.Stream(context.Background(), name)
	if err != nil {
		t.Fatalf("stream %s: %v", name, err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}
