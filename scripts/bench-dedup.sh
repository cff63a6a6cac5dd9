#!/bin/sh
# bench-dedup.sh: the project benchmark for deduplication. Run from the
# repository root. Builds wiredesk, runs `wiredesk dedup` on the shared dev
# stream, prints the shared scorer's report and the throughput.
#
#   scripts/bench-dedup.sh [STREAM_DIR]     (default ../shared/bench/dedup/dev)
#
# docs/s is given twice: per wall-clock second and per CPU second of the
# process (user+sys, JSON decoding and gzip included), because the machine
# may be shared with other work.
set -eu

dir=${1:-../shared/bench/dedup/dev}
score=../shared/bench/dedup/score
if [ ! -f "$dir/articles.jsonl.gz" ] || [ ! -d "$score" ]; then
	echo "bench-dedup: $dir/articles.jsonl.gz or $score not found (needs ../shared/bench)" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
go build -o "$tmp/wiredesk" ./cmd/wiredesk

docs=$(gzip -dc "$dir/articles.jsonl.gz" | wc -l | tr -d ' ')
# GNU time is not everywhere: take wall and CPU times from the shell.
start=$(date +%s.%N)
( time -p "$tmp/wiredesk" dedup "$dir/articles.jsonl.gz" >"$tmp/pred.jsonl" ) 2>"$tmp/time"
end=$(date +%s.%N)

labels=$(cd "$dir" && pwd)/labels.jsonl
(cd "$score" && go run . -labels "$labels" -pred "$tmp/pred.jsonl")

awk -v docs="$docs" -v start="$start" -v end="$end" '
	$1 == "user" { cpu += $2 } $1 == "sys" { cpu += $2 }
	END {
		wall = end - start
		printf "throughput: docs=%d wall=%.2fs cpu=%.2fs docs/s=%.0f docs/cpu-s=%.0f\n", docs, wall, cpu, docs / wall, docs / cpu
	}' "$tmp/time"
