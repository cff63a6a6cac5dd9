package demo

import (
	"strings"
	"testing"
	"time"
)

// TestDevelop: the UrduPoint copy of the Sputnik story gets its later
// version, in its page and its feed entry (a new headline, so that even an
// RSS reader sees the change); the other outlets do not change, and a
// second call changes nothing.
func TestDevelop(t *testing.T) {
	n := startRoom(t)
	var feed, page string
	for _, o := range n.Outlets() {
		if o.Name == "UrduPoint Arabic" {
			feed = o.FeedURL
		}
	}
	for _, u := range n.SputnikURLs() {
		if strings.Contains(u, "nato-chief-ready") {
			page = u
		}
	}
	if feed == "" || page == "" {
		t.Fatalf("feed %q, page %q", feed, page)
	}
	others := map[string]string{}
	for _, o := range n.Outlets() {
		if o.FeedURL != feed {
			resp, _ := get(t, o.FeedURL, nil)
			others[o.FeedURL] = resp.Header.Get("ETag")
		}
	}
	before, oldFeed := get(t, feed, nil)
	_, oldPage := get(t, page, nil)
	changed, err := n.Develop(time.Now())
	if err != nil || changed != 1 {
		t.Fatalf("Develop = %d, %v; want 1 article", changed, err)
	}
	after, newFeed := get(t, feed, nil)
	_, newPage := get(t, page, nil)
	const later = "قنوات الاتصال مع موسكو ستبقى مفتوحة"
	if before.Header.Get("ETag") == after.Header.Get("ETag") || !strings.Contains(string(newFeed), "(محدث)") ||
		strings.Contains(string(oldFeed), "(محدث)") {
		t.Errorf("feed did not change its entry: etag %s → %s", before.Header.Get("ETag"), after.Header.Get("ETag"))
	}
	if strings.Contains(string(oldPage), later) || !strings.Contains(string(newPage), later) {
		t.Error("page did not get its later paragraph")
	}
	for u, etag := range others {
		if resp, _ := get(t, u, nil); resp.Header.Get("ETag") != etag {
			t.Errorf("%s changed", u)
		}
	}
	if changed, err := n.Develop(time.Now()); err != nil || changed != 0 {
		t.Errorf("second Develop = %d, %v; want nothing", changed, err)
	}
}
