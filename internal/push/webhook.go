package push

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Webhook posts alerts to a URL, signed with HMAC-SHA256 of the body.
type Webhook struct {
	URL    string
	Secret string
	Format string // json (default) or slack
	Client *http.Client
}

// PermanentError is a delivery that retrying cannot fix (a 4xx answer).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Sign returns the X-Wiredesk-Signature value of body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Body returns what the webhook posts for e.
func (w *Webhook) Body(e Envelope) ([]byte, error) {
	if w.Format != "slack" {
		return json.Marshal(e)
	}
	return json.Marshal(map[string]string{"text": slackText(e)})
}

// slackText is an alert as a Slack or Mattermost incoming-webhook message.
func slackText(e Envelope) string {
	if e.Kind == "feed" {
		var f struct {
			Name, URL, Condition, LastError string
			On                              bool
		}
		_ = json.Unmarshal(e.Feed, &f) // written by the store; a broken body still alerts by rule
		state := "ended"
		if f.On {
			state = "began"
		}
		return fmt.Sprintf("[%s] feed %s (%s): %s %s %s", e.Rule, f.Name, f.URL, f.Condition, state, f.LastError)
	}
	var s struct {
		Title, URL string
		Outlets    []string
	}
	_ = json.Unmarshal(e.Story, &s) // as above
	return fmt.Sprintf("[%s] %s: on %d outlets (%s) %s", e.Rule, s.Title, len(s.Outlets), strings.Join(s.Outlets, ", "), s.URL)
}

// Deliver posts e. A 5xx, 408 or 429 answer and transport errors
// (timeouts, refused connections) are worth a retry; other non-2xx answers
// are a *PermanentError.
func (w *Webhook) Deliver(ctx context.Context, e Envelope) error {
	body, err := w.Body(e)
	if err != nil {
		return &PermanentError{fmt.Errorf("webhook body: %w", err)}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return &PermanentError{fmt.Errorf("webhook request: %w", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "wiredesk")
	req.Header.Set("X-Wiredesk-Delivery", e.ID)
	req.Header.Set("X-Wiredesk-Signature", Sign(w.Secret, body))
	resp, err := w.Client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // drain for reuse; the answer's body is not ours
	if err := resp.Body.Close(); err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return nil
	case c >= 500 || c == http.StatusRequestTimeout || c == http.StatusTooManyRequests:
		return fmt.Errorf("webhook: HTTP %d", c)
	default:
		return &PermanentError{fmt.Errorf("webhook: HTTP %d", c)}
	}
}
