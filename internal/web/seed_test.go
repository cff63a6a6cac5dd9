package web

import (
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// The demo newsroom: an Arabic wire story with copies, English wire
// stories with their followers, a lone story, a hostile page, a sick and a
// stale feed.
const (
	arText = "أعلن الأمين العام لحلف شمال الأطلسي اليوم الجمعة أن الحلف مستعد للجلوس إلى طاولة المفاوضات مع روسيا لإجراء مفاوضات موضوعية.\n\n" +
		"وقال في مقابلة إذاعية: نحن على استعداد للاستماع إلى المخاوف الروسية وإيجاد حلول سياسية.\n\n" +
		"وأضاف أن لدى الطرفين تاريخا طويلا في مراقبة التسلح والحد من الأسلحة النووية."
	arCopy = "الأمين العام للناتو: مستعدون للمفاوضات مع روسيا\n\n" +
		"(سبوتنيك) أعلن الأمين العام لحلف شمال الأطلسي اليوم الجمعة أن الحلف مستعد للجلوس إلى طاولة المفاوضات مع روسيا لإجراء مفاوضات موضوعية.\n\n" +
		"وقال في مقابلة إذاعية: نحن على استعداد للاستماع إلى المخاوف الروسية وإيجاد حلول سياسية.\n\n(تستمر)\n\nأفكارك وتعليقاتك"
	enText = "LONDON (Reuters) - Oil prices rose on Monday after producers agreed to extend output cuts into next year.\n\n" +
		"Brent crude futures gained 2% to $84 a barrel by 0900 GMT, while U.S. crude rose 1.8%.\n\n" +
		"Analysts said the decision would tighten supply through the winter."
	enCopy = "Oil prices rose on Monday after producers agreed to extend output cuts into next year, Reuters reported.\n\n" +
		"Brent crude futures gained 2% to $84 a barrel by 0900 GMT, while U.S. crude rose 1.8%.\n\n" +
		"Local motorists are bracing for higher prices at the pump."
	apText = "WASHINGTON (AP) - The Senate passed a stopgap spending bill late Friday, averting a government shutdown hours before the deadline."
)

// seedArticle is an article plus how it joined its story.
type seedArticle struct {
	news.Article
	dupOf int // index in the seed list of the article it matched; -1 for none
}

func demoFeeds() []news.Feed {
	t := testNow
	ok := func(name, url string, tags ...string) news.Feed {
		return news.Feed{URL: url, Name: name, Tags: tags, Status: news.StatusOK, LastPolled: t.Add(-4 * time.Minute),
			NextPoll: t.Add(26 * time.Minute), LatencyMS: 180, LastItemAt: t.Add(-time.Hour), Interval: 30 * time.Minute}
	}
	feeds := []news.Feed{
		ok("سبوتنيك عربي", "http://sputnik.test/ar/rss", "wire", "ar"),
		ok("UrduPoint Arabic", "http://urdupoint.test/ar/rss", "ar"),
		ok("Reuters World", "http://reuters.test/world.rss", "wire", "en"),
		ok("Daily Ledger", "http://ledger.test/feed", "en"),
		ok("AP Top News", "http://ap.test/top.atom", "wire", "en"),
	}
	broken := ok("Broken Gazette", "http://broken.test/rss", "en")
	broken.Status, broken.ErrorClass, broken.LastError, broken.Failures = news.StatusFailing, "dns", "lookup broken.test: no such host", 5
	stale := ok("Quiet Courier", "http://quiet.test/rss", "en")
	stale.Stale, stale.Gap = true, true
	return append(feeds, broken, stale)
}

// demoArticles refers to feeds by index in demoFeeds.
func demoArticles() []seedArticle {
	t := testNow
	a := func(feed int, title, text, lang string, ago time.Duration, dup int, score float64, reason, origin string) seedArticle {
		return seedArticle{Article: news.Article{FeedID: int64(feed), Title: title, Text: text, Lang: lang,
			URL: "http://example.test/" + lang + "/" + title, Published: t.Add(-ago), Fetched: t.Add(-ago + time.Minute),
			Score: score, Reason: reason, Origin: origin}, dupOf: dup}
	}
	return []seedArticle{
		a(4, "Senate passes stopgap bill, averting shutdown", apText, "en", 30*time.Hour, -1, 0, "", "AP"),
		a(2, "Oil rises as producers extend output cuts", enText, "en", 3*time.Hour, -1, 0, "", "Reuters"),
		a(3, "Oil prices climb on supply deal", enCopy, "en", 3*time.Hour-12*time.Minute, 1, 0.81, "text", "Reuters"),
		a(0, "الناتو مستعد للمفاوضات مع روسيا", arText, "ar", 2*time.Hour, -1, 0, "", "Sputnik"),
		a(1, "الأمين العام للناتو: مستعدون للمفاوضات مع روسيا", arCopy, "ar", 2*time.Hour-25*time.Minute, 3, 0.87, "text", "Sputnik"),
		a(3, `Markets <script>alert("x")</script> wobble`, "Shares <b>fell</b> & then <i>rose</i>.\n\n<img src=x onerror=alert(1)>", "en",
			time.Hour, -1, 0, "", ""),
		a(6, "Quiet town holds annual fair", "The annual fair opened on Saturday with a parade.", "en", 20*time.Minute, -1, 0, "", ""),
	}
}

// fill seeds a store through addFeed and addArticle (which returns the
// article with its id and story).
func fill(addFeed func(news.Feed) int64, addArticle func(news.Article) news.Article) {
	var feedIDs []int64
	for _, f := range demoFeeds() {
		feedIDs = append(feedIDs, addFeed(f))
	}
	var saved []news.Article
	for _, sa := range demoArticles() {
		art := sa.Article
		art.FeedID = feedIDs[sa.FeedID]
		art.Outlet = demoFeeds()[sa.FeedID].Name
		if sa.dupOf >= 0 {
			art.DuplicateOf = saved[sa.dupOf].ID
		}
		saved = append(saved, addArticle(art))
	}
}

// Revisions of the demo newsroom: the Reuters oil story gains an UPDATE
// paragraph and a corrected figure, then a new headline; the UrduPoint
// copy of the Arabic story gets its continuation in place of "(تستمر)".
const (
	enText2 = "LONDON (Reuters) - Oil prices rose on Monday after producers agreed to extend output cuts into next year.\n\n" +
		"Brent crude futures gained 2.4% to $84.30 a barrel by 0900 GMT, while U.S. crude rose 1.8%.\n\n" +
		"Analysts said the decision would tighten supply through the winter.\n\n" +
		"UPDATE 1: Prices pared gains in afternoon trade as the dollar firmed."
	enText3 = "LONDON (Reuters) - Oil prices rose on Monday after producers agreed to extend output cuts into next year.\n\n" +
		"Brent crude futures gained 2.4% to $84.30 a barrel by 0900 GMT, while U.S. crude rose 1.8%.\n\n" +
		"UPDATE 1: Prices pared gains in afternoon trade as the dollar firmed.\n\n" +
		"UPDATE 2: <b>Brent</b> settled at $83.90 & U.S. crude at $79.10."
	arCopy2 = "الأمين العام للناتو: مستعدون للمفاوضات مع روسيا\n\n" +
		"(سبوتنيك) أعلن الأمين العام لحلف شمال الأطلسي اليوم الجمعة أن الحلف مستعد للجلوس إلى طاولة المفاوضات مع روسيا لإجراء مفاوضات موضوعية.\n\n" +
		"وقال في مقابلة إذاعية: نحن على استعداد للاستماع إلى المخاوف الروسية وإيجاد حلول سياسية.\n\n" +
		"وأضاف أن لدى الطرفين تاريخا طويلا في مراقبة التسلح.\n\nأفكارك وتعليقاتك"
)

// revise applies the demo revisions to a filled fake store (article ids
// follow demoArticles).
func revise(f *fakeStore) {
	t := testNow
	f.revise(2, t.Add(-2*time.Hour), "Oil rises as producers extend output cuts", enText2)
	f.revise(2, t.Add(-50*time.Minute), "Oil rises then pares gains as producers extend cuts", enText3)
	f.revise(5, t.Add(-90*time.Minute), "الأمين العام للناتو: مستعدون للمفاوضات مع روسيا", arCopy2)
}
