package extract

import (
	"strings"
	"testing"
)

// shapeCase is a synthetic page and what its extract must hold: lines it
// must show (want), lines it must not (not), lines a number of times
// (count).
type shapeCase struct {
	name      string
	page      string
	want, not []string
	count     map[string]int
}

// prosePara is a paragraph of prose that opens with s.
func prosePara(s string) string {
	return "<p>" + s + ", and the council heard from residents, engineers and the treasurer before it voted on the plan for the coming years.</p>"
}

// runShapes extracts each case's page and checks its text.
func runShapes(t *testing.T, tests []shapeCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Extract([]byte(tt.page), "text/html; charset=utf-8", Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.Text, w) {
					t.Errorf("missing %q in:\n%s", w, p.Text)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(p.Text, n) {
					t.Errorf("kept %q in:\n%s", n, p.Text)
				}
			}
			for w, n := range tt.count {
				if c := strings.Count(p.Text, w); c != n {
					t.Errorf("%q %d times, want %d, in:\n%s", w, c, n, p.Text)
				}
			}
		})
	}
}
