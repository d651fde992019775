#!/usr/bin/env bash
# Two builds of leadsheet creating the same 1M-row job, alternately, side by side:
# the job's own creation time (created_at -> ingested_at), the process's wall and CPU
# (user + system) and peak RSS, and the database size. For before/after figures of a change
# to the ingest on a shared machine: CPU is the steadier figure.
#
#   bash Benchmarks/job-create-compare.sh OLD_BIN NEW_BIN [ROWS] [REPEAT]
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1; new=$2; rows=${3:-1000000}; repeat=${4:-2}
. Benchmarks/lib.sh
csv=$(large_csv "$rows")
work=$(mktemp -d)
BIN=$new
trap 'stop_sim 2>/dev/null || true; rm -rf "$work"' EXIT
start_sim --rate 0 --latency-ms 0,0
url=$SIM_URL
echo "rows: $rows, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$repeat"); do
  for label in old new; do
    bin=$old; [ "$label" = new ] && bin=$new
    db="$work/$label.sqlite"; rm -f "$db"*
    PRONTO_API_KEY=benchkey /usr/bin/time -o "$work/time" -f "%e %U %S %M" "$bin" enrich "$csv" \
      --limit 1 --rate 0 --base-url "$url/v2" --db "$db" --output "$work/out.csv" -q \
      >/dev/null 2>&1 || true
    created=$(sqlite3 "$db" "SELECT ingested_at - created_at FROM jobs")
    read -r wall user sys kb < <(tail -1 "$work/time")
    size=$(stat -c %s "$db")
    awk -v l="$label" -v r="$round" -v c="$created" -v w="$wall" -v u="$user" -v s="$sys" \
      -v kb="$kb" -v sz="$size" -v n="$rows" 'BEGIN { printf "%s #%d: creation %6.2f s (%7.0f rows/s), process %6.2f s wall %6.2f s CPU, %6.1f MB peak RSS, database %.1f MB\n", l, r, c, n/c, w, u+s, kb/1024, sz/1e6 }'
  done
done
