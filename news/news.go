// Package news holds wiredesk's domain types: feeds, items, articles and
// stories. It imports only the standard library; every other package speaks
// in these types.
package news

import "time"

// Rules are per-site extraction rules from config: a CSS selector for the
// article body and selectors of blocks to remove before extraction.
type Rules struct {
	Body   string   `json:"body,omitempty" yaml:"body"`
	Remove []string `json:"remove,omitempty" yaml:"remove"`
}

// Feed status values.
const (
	StatusNew     = "new"     // never polled
	StatusOK      = "ok"      // last poll succeeded
	StatusError   = "error"   // last poll failed
	StatusFailing = "failing" // several polls in a row failed; flagged, still polled
)

// Feed is a polled URL and what wiredesk knows about its health.
type Feed struct {
	ID    int64    `json:"id"`
	URL   string   `json:"url"`
	Name  string   `json:"name"`
	Tags  []string `json:"tags"`
	Rules *Rules   `json:"rules,omitempty"`

	// Conditional GET validators from the last 200 response.
	ETag         string `json:"-"`
	LastModified string `json:"-"`

	Status     string        `json:"status"`
	ErrorClass string        `json:"error_class,omitempty"` // "dns", "timeout", "http_404", "parse", ...
	LastError  string        `json:"last_error,omitempty"`
	Failures   int           `json:"failures"` // consecutive failed polls
	LastPolled time.Time     `json:"last_polled"`
	NextPoll   time.Time     `json:"next_poll"`
	Interval   time.Duration `json:"interval_ns"` // current adaptive interval
	LatencyMS  int64         `json:"latency_ms"`
	LastItemAt time.Time     `json:"last_item_at"` // newest item publication seen
	Gap        bool          `json:"possible_gap"` // last poll's items were all new
	Stale      bool          `json:"stale"`        // silent for much longer than its rhythm
	ItemCount  int64         `json:"items"`        // items stored from this feed
	Created    time.Time     `json:"created"`
	// Host is the feed's politeness key (HostKey of its URL).
	Host string `json:"host"`
	// DeferredUntil is set when the last pass did not fetch the feed
	// because its host held us off (Retry-After) or the pass ended first:
	// its next poll, with its health left as it was. Deferred is not
	// failed.
	DeferredUntil time.Time `json:"deferred_until,omitzero"`
}

// Item is one entry of a feed, as the feed gave it.
type Item struct {
	GUID      string    `json:"guid"`
	URL       string    `json:"url"` // link exactly as the feed gave it
	Title     string    `json:"title"`
	Summary   string    `json:"summary,omitempty"` // description / summary (HTML allowed)
	Content   string    `json:"content,omitempty"` // full content when the feed carries it (HTML allowed)
	Author    string    `json:"author,omitempty"`
	Image     string    `json:"image,omitempty"`
	Published time.Time `json:"published"`
	// Updated is the entry's own change date (Atom updated, JSON Feed
	// date_modified), zero when the feed gives none.
	Updated    time.Time `json:"updated,omitzero"`
	Categories []string  `json:"categories,omitempty"`
}

// ParsedFeed is a feed document after parsing.
type ParsedFeed struct {
	Title    string        `json:"title"`
	SiteURL  string        `json:"site_url"`
	Language string        `json:"language"`
	Format   string        `json:"format"` // "rss", "atom", "json"
	TTL      time.Duration `json:"ttl"`    // RSS <ttl>, 0 when absent
	Items    []Item        `json:"items"`
	// What the parse did beyond mapping entries: Recovered counts the
	// entries read by the recovery scanner where the feed parser found
	// none (RecoveredFrom says why: the parser's error, or an unknown
	// format); Empty the entries with nothing to keep (no link, id, title
	// or text); OverCap those past the item cap, not read.
	Recovered     int    `json:"recovered,omitempty"`
	RecoveredFrom string `json:"recovered_from,omitempty"`
	Empty         int    `json:"empty,omitempty"`
	OverCap       int    `json:"over_cap,omitempty"`
}

// Article is an item's page, extracted, with the story it belongs to.
type Article struct {
	ID           int64     `json:"id"`
	FeedID       int64     `json:"feed"`
	Outlet       string    `json:"outlet"` // feed name, or the host
	GUID         string    `json:"guid"`
	URL          string    `json:"url"`           // link exactly as the feed gave it
	CanonicalURL string    `json:"canonical_url"` // after canonicalization
	Title        string    `json:"title"`
	Byline       string    `json:"byline"`
	Text         string    `json:"text"` // paragraphs separated by a blank line
	Lang         string    `json:"lang"`
	Image        string    `json:"image"`
	Published    time.Time `json:"published"` // the outlet's date
	// Seen is when wiredesk first stored the article: the dedup window,
	// "first seen" and every "since" run on it.
	Seen time.Time `json:"seen"`
	// Updated is when the latest revision was seen; zero when the
	// article never changed.
	Updated time.Time `json:"updated"`
	// Revisions is how many versions are kept (1 when it never changed);
	// Title, Text and ContentHash are the latest version's.
	Revisions   int       `json:"revisions"`
	Fetched     time.Time `json:"fetched"`
	ContentHash string    `json:"content_hash"`
	// ItemHash is the hash of the feed entry the article was last
	// fetched for (title, summary, content, Atom updated, JSON Feed
	// date_modified): a known item whose hash changes is fetched again.
	ItemHash string `json:"-"`

	// Story membership, filled by dedup.
	StoryID     int64   `json:"story"`
	DuplicateOf int64   `json:"duplicate_of"` // 0 for the first article of a story
	Score       float64 `json:"score"`
	Reason      string  `json:"reason"`
	Origin      string  `json:"origin"` // wire agency named by a credit line
}

// Revision is one version of an article: the previous ones as they were
// first seen, and the current one (the article's own title and text),
// numbered from 1, oldest first.
type Revision struct {
	ArticleID   int64     `json:"article"`
	Rev         int       `json:"rev"`
	Seen        time.Time `json:"seen"` // when this version was first seen
	Title       string    `json:"title"`
	Text        string    `json:"text"`
	ContentHash string    `json:"content_hash"`
}

// Story is a set of articles carrying the same news text.
type Story struct {
	ID             int64     `json:"id"`
	Title          string    `json:"title"` // the representative's title
	Lang           string    `json:"lang"`
	Origin         string    `json:"origin"`         // wire agency, if a credit line named one
	Representative int64     `json:"representative"` // article id
	FirstOutlet    string    `json:"first_outlet"`
	FirstSeen      time.Time `json:"first_seen"` // earliest member publication
	LastSeen       time.Time `json:"last_seen"`
	Articles       int       `json:"articles"` // member count
	Outlets        []string  `json:"outlets"`
	Members        []Article `json:"members,omitempty"` // filled by detail queries
}

// RepresentativeArticle returns the member that represents the story: the
// one Representative names (the store chooses it, with the dedup.prefer
// outlets), or the first member when Representative is not among Members.
// It is false when Members is empty (a list query leaves it so).
func (s Story) RepresentativeArticle() (Article, bool) {
	for _, m := range s.Members {
		if m.ID == s.Representative {
			return m, true
		}
	}
	if len(s.Members) > 0 {
		return s.Members[0], true
	}
	return Article{}, false
}

// StoryQuery selects stories, newest first.
type StoryQuery struct {
	Lang   string
	Tag    string // feed tag of any member
	Search string // words in title or text
	Since  time.Time
	Limit  int
	Offset int
}

// ArticleQuery selects articles, newest first.
type ArticleQuery struct {
	FeedID int64
	Lang   string
	Tag    string
	Search string
	Since  time.Time
	Limit  int
	Offset int
}
