package web

import (
	"context"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// shotStory is a story of the screenshot newsroom: the first outlet, then
// the followers with their lag.
type shotStory struct {
	title, lang, origin, text string
	ago                       time.Duration
	outlets                   []string
	lags                      []time.Duration
}

// screenshotStore is the demo newsroom plus a busier wire morning, so that
// docs/dashboard.png looks like a working desk.
func screenshotStore() (*fakeStore, int) {
	f := demoStore()
	ctx := context.Background()
	ids := map[string]int64{}
	for i, name := range []string{"AFP عربي", "Gulf Times", "Asharq Daily", "Metro Wire", "Harbor Post", "Capital Herald"} {
		tags := []string{"en"}
		if i == 0 || i == 2 {
			tags = []string{"ar", "wire"}
		}
		ids[name], _ = f.UpsertFeed(ctx, news.Feed{URL: "http://outlet" + string(rune('a'+i)) + ".test/rss", Name: name, Tags: tags,
			Status: news.StatusOK, LastPolled: testNow.Add(-time.Duration(i+2) * time.Minute), LatencyMS: int64(90 + 40*i),
			NextPoll: testNow.Add(20 * time.Minute)})
	}
	for _, fd := range []string{"Reuters World", "AP Top News", "Daily Ledger", "سبوتنيك عربي", "UrduPoint Arabic"} {
		feeds, _ := f.Feeds(ctx)
		for _, x := range feeds {
			if x.Name == fd {
				ids[fd] = x.ID
			}
		}
	}
	m := time.Minute
	stories := []shotStory{
		{"EU leaders agree new sanctions package after all-night talks", "en", "Reuters", enText, 8 * m,
			[]string{"Reuters World", "Metro Wire", "Harbor Post", "Capital Herald", "Daily Ledger"}, []time.Duration{0, 3 * m, 9 * m, 27 * m, 70 * m}},
		{"زلزال بقوة 5.8 درجات يضرب جنوب تركيا ولا أنباء عن إصابات", "ar", "AFP", arText, 35 * m,
			[]string{"AFP عربي", "Asharq Daily", "UrduPoint Arabic", "سبوتنيك عربي"}, []time.Duration{0, 6 * m, 14 * m, 41 * m}},
		{"Central bank holds rates steady, signals cuts in spring", "en", "AP", apText, 50 * m,
			[]string{"AP Top News", "Gulf Times", "Metro Wire"}, []time.Duration{0, 11 * m, 19 * m}},
		{"وزير الخارجية يستقبل نظيره الفرنسي ويبحثان العلاقات الثنائية", "ar", "SPA", arText, 75 * m,
			[]string{"Asharq Daily", "AFP عربي"}, []time.Duration{0, 22 * m}},
		{"Wildfire forces evacuations near Athens as winds pick up", "en", "AFP", enText, 95 * m,
			[]string{"Harbor Post", "Capital Herald", "Gulf Times"}, []time.Duration{0, 4 * m, 2*time.Hour + 5*m}},
	}
	for _, s := range stories {
		var first int64
		for i, o := range s.outlets {
			a := f.add(news.Article{FeedID: ids[o], Outlet: o, Title: s.title, Text: s.text, Lang: s.lang, Origin: s.origin,
				URL: "http://example.test/shot/" + o + "/" + s.title, Published: testNow.Add(-s.ago + s.lags[i]),
				DuplicateOf: first, Score: 0.8 + 0.03*float64(i%5), Reason: []string{"", "text", "hash", "text", "title"}[i%5]})
			if i == 0 {
				first = a.ID
			}
		}
	}
	// Earlier days, so the sparklines have a rhythm.
	feeds, _ := f.Feeds(ctx)
	for d := 1; d < 14; d++ {
		for i, fd := range feeds {
			if fd.Status == news.StatusFailing && d < 4 {
				continue
			}
			for k := 0; k < (i*7+d*3)%6+1; k++ {
				f.addHistory(news.Article{FeedID: fd.ID, Published: testNow.Add(-time.Duration(d) * 24 * time.Hour)})
			}
		}
	}
	return f, 5 + len(stories)
}
