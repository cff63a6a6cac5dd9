// Package anchors holds the other Go extractors wiredesk is measured
// beside (scripts/bench-anchors.sh), each a command of its own so that each
// process links only its extractor: go-trafilatura (./trafilatura, with
// -fallback for its fallback) and readeck/go-readability (./readeck). It is
// a module of its own: wiredesk never depends on them.
package anchors
