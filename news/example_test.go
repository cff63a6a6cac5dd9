package news_test

import (
	"fmt"

	"github.com/wiredesk/wiredesk/news"
)

// A title from a feed is made one line and capped before it is stored.
func ExampleSingleLine() {
	title, cut := news.SingleLine("Ceasefire talks\nresume in Cairo\x00", news.MaxLine)
	fmt.Printf("%q %v\n", title, cut)
	// Output: "Ceasefire talks resume in Cairo" false
}

// Politeness is keyed by host: http and https on default ports share one
// budget, another port is another host.
func ExampleHostKey() {
	fmt.Println(news.HostKey("https", "News.Example.COM:443"))
	fmt.Println(news.HostKey("http", "news.example.com:8080"))
	// Output:
	// news.example.com
	// news.example.com:8080
}
