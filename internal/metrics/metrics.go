// Package metrics holds wiredesk's Prometheus collectors. cmd creates one
// Metrics and hands it to the poller (which records) and to the web server
// (which exposes /metrics).
package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics is the set of collectors, registered on their own Registry.
// Every label set is bounded (outcomes, kinds, classes; never feeds, hosts
// or URLs), so /metrics stays the same size however long the feed list:
// per-feed detail is in the API and the logs.
type Metrics struct {
	Registry *prometheus.Registry

	Polls           *prometheus.CounterVec   // outcome: ok, not_modified, error
	FetchSeconds    *prometheus.HistogramVec // kind: feed, article
	Items           prometheus.Counter       // new items seen in feeds
	Articles        prometheus.Counter       // articles stored
	Stories         prometheus.Counter       // stories started
	Duplicates      *prometheus.CounterVec   // reason: url, hash, text, title
	ExtractFailures prometheus.Counter
	Revisions       prometheus.Counter // new versions of stored articles
	RefetchDeferred prometheus.Counter // changed items over a poll's refetch cap, left for the next poll
	// Entries counts what happened to feed entries beyond "new item,
	// stored": outcome recovered, empty, over_cap, stored_meanwhile,
	// title_capped, byline_capped.
	Entries       *prometheus.CounterVec
	RuleShort     prometheus.Counter     // pages where a per-site rule kept far less than the heuristics
	Throttled     *prometheus.CounterVec // status: 429 or 503 answers to feed requests
	FeedErrors    *prometheus.CounterVec // class
	DueBacklog    prometheus.Gauge       // feeds due and not yet polled
	LoginRefusals *prometheus.CounterVec // reason: wrong_token, throttled
	PagesLeft     prometheus.Counter     // article pages over their feed's time budget, tried next poll
}

// New creates and registers the collectors, plus the Go and process
// collectors.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wiredesk_polls_total", Help: "Feed polls by outcome.",
		}, []string{"outcome"}),
		FetchSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "wiredesk_fetch_duration_seconds",
			Help:    "Latency of HTTP fetches by kind.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20},
		}, []string{"kind"}),
		Items: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wiredesk_items_total", Help: "New feed items seen.",
		}),
		Articles: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wiredesk_articles_total", Help: "Articles stored.",
		}),
		Stories: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wiredesk_stories_total", Help: "Stories started.",
		}),
		Duplicates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wiredesk_duplicates_total", Help: "Articles folded into an existing story, by match reason.",
		}, []string{"reason"}),
		ExtractFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wiredesk_extract_failures_total", Help: "Article pages that could not be fetched or extracted.",
		}),
		Revisions: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wiredesk_revisions_total", Help: "Changed pages of stored articles kept as new revisions.",
		}),
		RefetchDeferred: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wiredesk_refetch_deferred_total", Help: "Changed feed items not fetched again this poll (over the per-feed cap); they are looked at next poll.",
		}),
		Entries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wiredesk_feed_entries_total",
			Help: "Feed entries by what happened to them besides being stored: recovered (read where the feed parser found none), empty (nothing to keep), over_cap (past the item cap, not read), stored_meanwhile (new, but its link was stored by another feed or worker first), title_capped and byline_capped (cut at the line cap).",
		}, []string{"outcome"}),
		RuleShort: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wiredesk_rule_short_total", Help: "Pages where a per-site rule kept far less text than the heuristics (the feed is in the log line).",
		}),
		Throttled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wiredesk_throttled_total", Help: "429 and 503 answers to feed requests, by status (the feed is in the API's deferred_until and the log).",
		}, []string{"status"}),
		FeedErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wiredesk_feed_errors_total", Help: "Failed feed polls by error class.",
		}, []string{"class"}),
		DueBacklog: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wiredesk_due_feeds", Help: "Feeds due for a poll and not yet polled.",
		}),
		LoginRefusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wiredesk_login_refusals_total", Help: "Dashboard logins refused, by reason (wrong_token, throttled).",
		}, []string{"reason"}),
		PagesLeft: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wiredesk_pages_left_total", Help: "Article pages not fetched within their feed's time budget; stored with the feed's text and tried next poll.",
		}),
	}
	m.Registry.MustRegister(m.LoginRefusals, m.PagesLeft, m.Polls, m.FetchSeconds, m.Items, m.Articles, m.Stories,
		m.Duplicates, m.ExtractFailures, m.Revisions, m.RefetchDeferred, m.Entries, m.RuleShort, m.Throttled, m.FeedErrors, m.DueBacklog,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
