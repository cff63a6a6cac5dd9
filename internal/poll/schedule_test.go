package poll

import (
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

var testSchedule = Schedule{Start: 30 * time.Minute, Min: 5 * time.Minute, Max: 6 * time.Hour}

func TestNextInterval(t *testing.T) {
	cases := []struct {
		name     string
		cur      time.Duration
		newItems int
		gap      time.Duration
		want     time.Duration
	}{
		{"busy feed polls at half its gap", 30 * time.Minute, 5, 20 * time.Minute, 10 * time.Minute},
		{"very busy feed is held at min", 30 * time.Minute, 20, time.Minute, 5 * time.Minute},
		{"quiet feed slows down", 30 * time.Minute, 0, 0, 45 * time.Minute},
		{"quiet feed is held at max", 5 * time.Hour, 0, 0, 6 * time.Hour},
		{"unknown interval starts at start", 0, 0, 0, 45 * time.Minute},
		{"new items without times speed up", 40 * time.Minute, 3, 0, 30 * time.Minute},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := testSchedule.nextInterval(c.cur, c.newItems, c.gap); got != c.want {
				t.Errorf("nextInterval = %v, want %v", got, c.want)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	prev := time.Duration(0)
	for n := 1; n <= 12; n++ {
		d := testSchedule.backoff(42, n)
		base := min(testSchedule.Min<<(n-1), testSchedule.Max)
		if d < base*8/10 || d > base*12/10 {
			t.Errorf("failure %d: backoff %v outside ±20%% of %v", n, d, base)
		}
		if d != testSchedule.backoff(42, n) {
			t.Errorf("failure %d: backoff not deterministic", n)
		}
		if n < 5 && d <= prev {
			t.Errorf("failure %d: backoff %v did not grow from %v", n, d, prev)
		}
		prev = d
	}
	if testSchedule.backoff(1, 3) == testSchedule.backoff(2, 3) {
		t.Error("jitter does not spread feeds apart")
	}
}

func TestHonourAndStale(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	next := now.Add(10 * time.Minute)
	if got := honour(next, now, time.Hour); !got.Equal(now.Add(time.Hour)) {
		t.Errorf("max-age 1h: next = %v", got)
	}
	if got := honour(next, now, time.Minute); !got.Equal(next) {
		t.Errorf("short max-age must not poll sooner: %v", got)
	}
	if got := honour(next, now, 30*24*time.Hour); !got.Equal(now.Add(24 * time.Hour)) {
		t.Errorf("hint is capped at a day: %v", got)
	}
	cases := []struct {
		name string
		last time.Time
		gap  time.Duration
		want bool
	}{
		{"never published", time.Time{}, 0, false},
		{"hourly feed silent 3 days", now.Add(-72 * time.Hour), time.Hour, true},
		{"hourly feed silent 1 day", now.Add(-24 * time.Hour), time.Hour, false},
		{"weekly feed silent 10 days", now.Add(-240 * time.Hour), 7 * 24 * time.Hour, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := isStale(c.last, now, c.gap); got != c.want {
				t.Errorf("isStale = %v, want %v", got, c.want)
			}
		})
	}
}

func TestRhythm(t *testing.T) {
	base := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	items := []news.Item{{Published: base.Add(2 * time.Hour)}, {Published: base}, {Published: base.Add(time.Hour)}, {}}
	if got := rhythm(items); got != time.Hour {
		t.Errorf("rhythm = %v, want 1h", got)
	}
	if got := rhythm(items[:1]); got != 0 {
		t.Errorf("rhythm of one item = %v, want 0", got)
	}
}

func TestPlainText(t *testing.T) {
	cases := map[string]string{
		"<p>One <b>two</b></p><p>Three</p>":             "One two\n\nThree",
		"plain\n\n\n  text  here ":                      "plain\n\ntext here",
		"<div>a<br>b</div><script>x()</script><p>c</p>": "a\n\nb\n\nc",
		"Tom &amp; Jerry":                               "Tom & Jerry",
	}
	for in, want := range cases {
		if got := plainText(in); got != want {
			t.Errorf("plainText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPlainTextSpaces(t *testing.T) {
	cases := map[string]string{
		"":                                       "",
		"  \n\n  ":                               "",
		"<p> </p><p>\u00a0x\u2003 y </p><p></p>": "x y",
		"<p>a</p>\n\n<p>b</p>":                   "a\n\nb",
		"عربي  نص\n\nفقرة":                       "عربي نص\n\nفقرة",
		"one<b>two</b> three":                    "onetwo three",
	}
	for in, want := range cases {
		if got := plainText(in); got != want {
			t.Errorf("plainText(%q) = %q, want %q", in, got, want)
		}
	}
}
