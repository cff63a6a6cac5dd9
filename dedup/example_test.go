package dedup_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/wiredesk/wiredesk/dedup"
)

// Two outlets run one wire story under other headlines and credit lines;
// the index folds the second into the first's story and says why.
func Example() {
	wire := strings.Repeat("The central bank raised its main interest rate by half a point on Thursday, "+
		"citing inflation that has stayed above its target for a third year. ", 3)
	ix := dedup.NewIndex(dedup.Options{})
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	first := ix.Add(&dedup.Doc{ID: "1", Outlet: "Daily Post", URL: "https://post.example/a/1",
		Title: "Bank raises rates again", Text: wire + "\n\n(Reuters)", Published: at})
	copyOf := ix.Add(&dedup.Doc{ID: "2", Outlet: "Evening Star", URL: "https://star.example/world/77",
		Title: "Rates up half a point as inflation lingers", Text: "By Star staff\n\n" + wire, Published: at.Add(time.Hour)})
	fmt.Println("first starts story", first.Cluster, "duplicate of:", first.DuplicateOf == "")
	fmt.Println("copy joins story", copyOf.Cluster, "duplicate of", copyOf.DuplicateOf)
	// Output:
	// first starts story 1 duplicate of: true
	// copy joins story 1 duplicate of 1
}
