// Command readeck runs readeck/go-readability v2.1.3 over a corpus of the
// shared extraction benchmark (scripts/bench-anchors.sh):
//
//	go run ./readeck DIR > pred.jsonl
package main

import (
	"bytes"
	"net/url"
	"os"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/wiredesk/wiredesk/scripts/anchors/corpus"
)

func main() {
	corpus.Main("readeck CORPUS_DIR", os.Args[1:], func(page []byte, u *url.URL) (string, error) {
		a, err := readability.FromReader(bytes.NewReader(page), u)
		if err != nil || a.Node == nil {
			return "", err
		}
		var sb strings.Builder
		if err := a.RenderText(&sb); err != nil {
			return "", err
		}
		return sb.String(), nil
	})
}
