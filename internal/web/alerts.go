package web

import (
	"context"
	"net/http"
	"time"
)

// AlertRule is a configured alert rule, as the dashboard lists it.
type AlertRule struct {
	Name string   `json:"name"`
	When string   `json:"when"` // the rule in words
	To   []string `json:"to"`
}

// Delivery is a line of the alert delivery log.
type Delivery struct {
	AlertID   int64     `json:"alert"`
	Rule      string    `json:"rule"`
	Kind      string    `json:"kind"`
	Sink      string    `json:"sink"`
	Status    string    `json:"status"` // pending, delivered, failed
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error"`
	Created   time.Time `json:"created"`
	Delivered time.Time `json:"delivered"`
	LatencyMS int64     `json:"latency_ms"`
}

// AlertSource lists the alert rules and the delivery log.
type AlertSource interface {
	Rules() []AlertRule
	Deliveries(ctx context.Context, limit int) ([]Delivery, error)
}

func (s *Server) pushRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /api/events", s.api(s.apiEvents))
	m.HandleFunc("GET /alerts", s.page(s.handleAlerts))
	m.HandleFunc("GET /api/alerts", s.api(s.apiAlerts))
}

type alertsView struct {
	base
	Rules      []AlertRule
	Deliveries []Delivery
}

const alertLogLen = 200

func (s *Server) alerts(ctx context.Context) ([]AlertRule, []Delivery, error) {
	if s.opt.Alerts == nil {
		return nil, nil, nil
	}
	ds, err := s.opt.Alerts.Deliveries(ctx, alertLogLen)
	return s.opt.Alerts.Rules(), ds, err
}

func (s *Server) handleAlerts(w http.ResponseWriter, r *http.Request, sess string) {
	rules, ds, err := s.alerts(r.Context())
	if err != nil {
		s.log.Error("alert log", "err", err)
		s.pageError(w, r, http.StatusInternalServerError, "could not read the alert log")
		return
	}
	s.render(w, r, http.StatusOK, "alerts", alertsView{base: s.base("alerts", sess), Rules: rules, Deliveries: ds})
}

// apiAlerts is {"rules": [...], "deliveries": [...]}, the newest alerts
// first.
func (s *Server) apiAlerts(w http.ResponseWriter, r *http.Request) {
	rules, ds, err := s.alerts(r.Context())
	if err != nil {
		s.log.Error("alert log", "err", err)
		writeError(w, http.StatusInternalServerError, "could not read the alert log")
		return
	}
	if rules == nil {
		rules = []AlertRule{}
	}
	if ds == nil {
		ds = []Delivery{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"rules": rules, "deliveries": ds})
}
