#!/usr/bin/env bash
# Time to the first request, two builds alternately: `enrich` of a new 1M-row job, and
# `resume` of that job interrupted (Ctrl-C) while it was still being stored.
#
#   bash Benchmarks/first-request-compare.sh OLD NEW [ROWS] [REPEAT]
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1; new=$2; rows=${3:-1000000}; repeat=${4:-3}
. Benchmarks/lib.sh
csv=$(large_csv "$rows")
work=$(mktemp -d)
BIN=$new
trap 'stop_sim 2>/dev/null || true; rm -rf "$work"' EXIT
start_sim --rate 0 --latency-ms 0,0

requests() { curl -sf "$SIM_URL/__stats" | tr -d ' \n' | sed -n 's/.*"requests":\([0-9]*\).*/\1/p'; }
first_request() { # COMMAND...: prints seconds from start to the simulator's next request
  local before t0 t1 pid
  before=$(requests)
  t0=$(date +%s.%N)
  PRONTO_API_KEY=benchkey "$@" >/dev/null 2>"$work/first.err" &
  pid=$!
  while [ "$(requests)" -le "$before" ]; do
    kill -0 $pid 2>/dev/null || { echo "ended before a request: $(cat "$work/first.err")" >&2; return 1; }
    sleep 0.01
  done
  t1=$(date +%s.%N)
  kill -INT $pid; wait $pid 2>/dev/null || true
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}

echo "rows: $rows, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$repeat"); do
  for label in old new; do
    bin=${!label}
    db="$work/$label.sqlite"; rm -f "$db"*
    api=(--base-url "$SIM_URL/v2" --rate 20 --db "$db" -q)
    e=$(first_request "$bin" enrich "$csv" "${api[@]}" --output "$work/o1.csv")
    job=$(sqlite3 "$db" "SELECT id FROM jobs ORDER BY created_at DESC LIMIT 1")
    stored=$(sqlite3 "$db" "SELECT row_count FROM jobs WHERE id='$job'")
    sync
    r=$(first_request "$bin" resume "$job" "${api[@]}" --output "$work/o2.csv")
    printf "%-3s #%d: enrich %s s to the first request; resume (interrupted at %s rows) %s s\n" \
      "$label" "$round" "$e" "$stored" "$r"
  done
done
