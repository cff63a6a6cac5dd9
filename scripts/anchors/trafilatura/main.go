// Command trafilatura runs go-trafilatura v1.12.2 over a corpus of the
// shared extraction benchmark (scripts/bench-anchors.sh):
//
//	go run ./trafilatura [-fallback] DIR > pred.jsonl
//
// -fallback turns on its readability and dom-distiller fallback.
package main

import (
	"bytes"
	"flag"
	"net/url"

	trafilatura "github.com/markusmobius/go-trafilatura"
	"github.com/wiredesk/wiredesk/scripts/anchors/corpus"
)

func main() {
	fallback := flag.Bool("fallback", false, "use the readability and dom-distiller fallback")
	flag.Parse()
	corpus.Main("trafilatura [-fallback] CORPUS_DIR", flag.Args(), func(page []byte, u *url.URL) (string, error) {
		r, err := trafilatura.Extract(bytes.NewReader(page), trafilatura.Options{
			OriginalURL:     u,
			EnableFallback:  *fallback,
			ExcludeComments: true,
		})
		if err != nil {
			return "", err
		}
		return r.ContentText, nil
	})
}
