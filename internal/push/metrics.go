package push

import "github.com/prometheus/client_golang/prometheus"

// Metrics are push's collectors. Labels are bounded: rule and sink names
// come from the configuration.
type Metrics struct {
	Alerts    *prometheus.CounterVec   // rule, outcome: decided, delivered, retried, failed
	Latency   *prometheus.HistogramVec // sink: from the commit that decided an alert to its delivery
	Streamed  *prometheus.CounterVec   // kind: events published on the NATS stream
	StreamErr prometheus.Counter       // failed stream publishes (retried)
}

// NewMetrics creates push's collectors and registers them on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Alerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wiredesk_alerts_total", Help: "Alerts by rule and outcome (decided; per sink: delivered, retried, failed).",
		}, []string{"rule", "outcome"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "wiredesk_alert_delivery_seconds",
			Help:    "Time from the commit that decided an alert to its delivery, by sink.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 3600},
		}, []string{"sink"}),
		Streamed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wiredesk_stream_published_total", Help: "Events published on the NATS stream, by kind.",
		}, []string{"kind"}),
		StreamErr: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wiredesk_stream_errors_total", Help: "Failed NATS stream publishes (retried).",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.Alerts, m.Latency, m.Streamed, m.StreamErr)
	}
	return m
}
