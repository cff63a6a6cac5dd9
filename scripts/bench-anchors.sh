#!/bin/sh
# bench-anchors.sh: measure wiredesk side by side with other Go extractors
# (go-trafilatura v1.12.2 with and without its fallback, readeck/go-readability
# v2.1.3) on each corpus of the shared extraction benchmark, in one run, with
# the shared scorer. Run from the repository root:
#
#     scripts/bench-anchors.sh [BENCH_DIR]
#
# BENCH_DIR defaults to ../shared/bench/extraction. The other extractors are
# commands of scripts/anchors, a module of its own, so wiredesk never depends
# on them; each process links only its own extractor. One process per extractor and corpus, one run each; cpu_pages/s is
# pages per user+sys CPU-second (steadier than wall clock on a shared machine)
# and peak_rss the process's maximum resident set. Without the benchmark data
# it says so and skips (exit 0).
set -eu

bench=${1:-../shared/bench/extraction}
if [ ! -d "$bench" ]; then
	echo "bench-anchors: benchmark data not found at $bench: skipped" >&2
	exit 0
fi
bench=$(cd "$bench" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/wiredesk" ./cmd/wiredesk
(cd scripts/anchors && go build -o "$tmp/trafilatura" ./trafilatura && go build -o "$tmp/readeck" ./readeck)
timer=""
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
	timer="/usr/bin/time -v -o $tmp/time.txt"
fi

printf '%-20s %-22s %-44s %12s %9s\n' corpus extractor score cpu_pages/s peak_rss
for dir in "$bench"/*/; do
	corpus=$(basename "$dir")
	[ -f "$dir/ground-truth.jsonl" ] || continue
	pages=$(ls "$dir" | grep -c '\.html\.gz$' || true)
	for x in wiredesk trafilatura-fallback trafilatura readeck; do
		case $x in
		wiredesk) cmd="$tmp/wiredesk extract -j 1" ;;
		trafilatura-fallback) cmd="$tmp/trafilatura -fallback" ;;
		*) cmd="$tmp/$x" ;;
		esac
		# shellcheck disable=SC2086 # $timer and $cmd are words
		$timer $cmd "$dir" >"$tmp/pred.jsonl" 2>"$tmp/err.txt" || {
			cat "$tmp/err.txt" >&2
			exit 1
		}
		rate=n/a
		rss=n/a
		if [ -n "$timer" ]; then
			rate=$(awk -F': ' -v p="$pages" '/User time|System time/ { t += $2 } END { printf "%.0f", p / t }' "$tmp/time.txt")
			rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1fMB", $2 / 1024 }' "$tmp/time.txt")
		fi
		score=$(cd "$bench/score" && go run . -gt "$dir/ground-truth.jsonl" -pred "$tmp/pred.jsonl" | grep '^corpus ')
		score=${score#corpus "$corpus": }
		score=${score% accuracy=*}
		printf '%-20s %-22s %-44s %12s %9s\n' "$corpus" "$x" "$score" "$rate" "$rss"
	done
done
