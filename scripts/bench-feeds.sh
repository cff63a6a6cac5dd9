#!/bin/sh
# bench-feeds.sh: feed parity and big-feed memory. Run from the repository
# root:
#
#     scripts/bench-feeds.sh [CORPUS_DIR]
#
# 1. TestFeedCorpus serves CORPUS_DIR/dev (default ../shared/bench/feeds)
#    on loopback, polls every file through `wiredesk poll` with
#    scrape.articles false, and prints the share of the files where the
#    reference parser finds substantive entries that yield a stored item,
#    and the share that store as many entries and the reference links
#    stored; it fails under 95% or when an encoding test's title holds
#    U+FFFD.
# 2. BenchmarkBigFeeds polls eight 8 MB feeds of 150,000 items in one pass
#    and prints the child's peak RSS; over MAX_PEAK_MB (default 300) fails.
set -eu

corpus=${1:-../shared/bench/feeds}
if [ ! -f "$corpus/dev.reference.jsonl" ]; then
	echo "bench-feeds: feed corpus not found at $corpus" >&2
	exit 1
fi
corpus=$(cd "$corpus" && pwd)
max_peak=${MAX_PEAK_MB:-300}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! WIREDESK_FEED_CORPUS="$corpus" go test -count=1 -run '^TestFeedCorpus$' -v ./cmd/wiredesk/ >"$tmp/corpus.txt" 2>&1; then
	cat "$tmp/corpus.txt"
	echo "bench-feeds: feed corpus parity failed" >&2
	exit 1
fi
grep '^feed corpus:' "$tmp/corpus.txt"

go test -run '^$' -bench '^BenchmarkBigFeeds$' -benchtime 1x ./cmd/wiredesk/ >"$tmp/big.txt" 2>&1 || {
	cat "$tmp/big.txt"
	exit 1
}
peak=$(awk '/^BenchmarkBigFeeds/ { for (i = 1; i < NF; i++) if ($(i + 1) == "peak-MB") print $i }' "$tmp/big.txt")
if [ -z "$peak" ]; then
	cat "$tmp/big.txt"
	echo "bench-feeds: no peak RSS reported" >&2
	exit 1
fi
echo "big feeds: eight 8 MB feeds of 150,000 items in one pass, peak RSS ${peak} MB (bar ${max_peak} MB)"
awk -v p="$peak" -v m="$max_peak" 'BEGIN { exit !(p <= m) }' || {
	echo "bench-feeds: peak RSS ${peak} MB over ${max_peak} MB" >&2
	exit 1
}
