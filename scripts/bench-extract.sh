#!/bin/sh
# bench-extract.sh: build wiredesk, run `wiredesk extract` over each corpus of
# the shared extraction benchmark, and print the shared scorer's line, pages/s
# and peak RSS. Run from the repository root:
#
#     scripts/bench-extract.sh [BENCH_DIR]
#
# BENCH_DIR defaults to ../shared/bench/extraction. One goroutine (-j 1).
# Set RUNS=N to repeat each corpus N times and report the median pages/s.
# pages/s is wall clock (process start, gunzip and JSON included); cpu_pages/s
# divides by user+sys CPU time instead, which is steadier on a shared machine.
#
# Each known corpus has an F1 floor (see floor below; the same floors as
# TestCorpusQuality): the script fails when a corpus scores below it. Without
# the benchmark data it says so and skips (exit 0).
set -eu

# floor prints the F1 floor of a corpus, empty when it has none.
floor() {
	case $1 in
	scrapinghub-dev) echo 0.975 ;;
	mozilla-readability) echo 0.977 ;;
	wcxb-dev-articles) echo 0.958 ;; # WCXB development articles (2025-26); 0.912 before the modern-layout work, 0.947 before the third round, 0.951 before the fourth, 0.952 before the fifth, 0.954 before the sixth
	esac
}

bench=${1:-../shared/bench/extraction}
runs=${RUNS:-3}
if [ ! -d "$bench" ]; then
	echo "bench-extract: benchmark data not found at $bench: skipped" >&2
	exit 0
fi
bench=$(cd "$bench" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/wiredesk" ./cmd/wiredesk
timer=""
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
	timer="/usr/bin/time -v -o $tmp/time.txt"
fi

printf '%-20s %-58s %8s %12s %9s\n' corpus score pages/s cpu_pages/s peak_rss
failed=""
for dir in "$bench"/*/; do
	corpus=$(basename "$dir")
	[ -f "$dir/ground-truth.jsonl" ] || continue
	pages=$(ls "$dir" | grep -c '\.html\.gz$' || true)
	rates=""
	cpurates=""
	rss="n/a"
	i=0
	while [ "$i" -lt "$runs" ]; do
		start=$(date +%s%N)
		# shellcheck disable=SC2086 # $timer is a command prefix
		$timer "$tmp/wiredesk" extract -j 1 "$dir" >"$tmp/pred.jsonl"
		end=$(date +%s%N)
		rates="$rates $(awk -v p="$pages" -v ns=$((end - start)) 'BEGIN { printf "%.0f", p / (ns / 1e9) }')"
		if [ -n "$timer" ]; then
			r=$(awk -F': ' '/Maximum resident set size/ { printf "%.1fMB", $2 / 1024 }' "$tmp/time.txt")
			rss=$(printf '%s\n%s\n' "$rss" "$r" | grep MB | sort -n | tail -1)
			cpurates="$cpurates $(awk -F': ' -v p="$pages" '/User time|System time/ { t += $2 } END { printf "%.0f", p / t }' "$tmp/time.txt")"
		fi
		i=$((i + 1))
	done
	median=$(printf '%s\n' $rates | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	cpumedian=n/a
	if [ -n "$cpurates" ]; then
		cpumedian=$(printf '%s\n' $cpurates | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	fi
	score=$(cd "$bench/score" && go run . -gt "$dir/ground-truth.jsonl" -pred "$tmp/pred.jsonl" | grep '^corpus ')
	score=${score#corpus "$corpus": }
	printf '%-20s %-58s %8s %12s %9s\n' "$corpus" "${score% missing=*}" "$median" "$cpumedian" "$rss"
	min=$(floor "$corpus")
	f1=$(printf '%s\n' "$score" | sed -n 's/.*F1=\([0-9.]*\).*/\1/p')
	if [ -n "$min" ] && awk -v f="$f1" -v m="$min" 'BEGIN { exit !(f < m) }'; then
		failed="$failed $corpus (F1 $f1 < $min)"
	fi
done
if [ -n "$failed" ]; then
	echo "bench-extract: below the floor:$failed" >&2
	exit 1
fi
