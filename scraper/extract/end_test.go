package extract

import (
	"os"
	"path/filepath"
	"testing"
)

// TestEndIsSubtree: end(i) bounds exactly the nodes isAncestor says are
// under i, on every node of the fixture pages, strict and not.
func TestEndIsSubtree(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixture pages: %v", err)
	}
	for _, f := range files {
		page, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		root, err := parseHTML(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, strict := range []bool{true, false} {
			d := buildDOM(root, buildOpts{strict: strict})
			for i := range d.nodes {
				j := int32(i) + 1
				for j < int32(len(d.nodes)) && d.isAncestor(int32(i), j) {
					j++
				}
				if e := d.end(int32(i)); e != j {
					t.Fatalf("%s node %d: end %d, want %d", f, i, e, j)
				}
			}
		}
	}
}
