package scraper_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"

	"github.com/wiredesk/wiredesk/scraper"
)

// A feed document becomes plain items, whatever its format.
func ExampleParseFeed() {
	rss := `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Coast Times</title><link>https://coast.example/</link>
<item><title>Harbour wall to be rebuilt</title><link>https://coast.example/news/harbour-wall</link>
<guid>hw-1</guid><pubDate>Mon, 30 Nov 2026 09:00:00 GMT</pubDate></item>
</channel></rss>`
	f, err := scraper.ParseFeed([]byte(rss), "https://coast.example/feed.xml", 1000)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Format, f.Title, len(f.Items))
	fmt.Println(f.Items[0].Title, f.Items[0].URL, f.Items[0].Published.Format("2006-01-02"))
	// Output:
	// rss Coast Times 1
	// Harbour wall to be rebuilt https://coast.example/news/harbour-wall 2026-11-30
}

// The fetcher refuses private and loopback addresses unless they are
// allowed, and sends the conditional validators it is given.
func ExampleFetcher() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprint(w, "<rss version=\"2.0\"><channel><title>t</title></channel></rss>")
	}))
	defer srv.Close()
	ctx := context.Background()

	strict, _ := scraper.New(scraper.Options{})
	defer strict.Close()
	_, err := strict.Fetch(ctx, scraper.Request{URL: srv.URL, Kind: "feed"})
	fmt.Println("default:", scraper.Class(err))

	f, _ := scraper.New(scraper.Options{AllowNetworks: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	defer f.Close()
	resp, err := f.Fetch(ctx, scraper.Request{URL: srv.URL, Kind: "feed"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("allowed:", resp.StatusCode, resp.ETag)
	_, err = f.Fetch(ctx, scraper.Request{URL: srv.URL, Kind: "feed", ETag: resp.ETag})
	fmt.Println("again:", scraper.Class(err))
	// Output:
	// default: blocked
	// allowed: 200 "v1"
	// again: not_modified
}
