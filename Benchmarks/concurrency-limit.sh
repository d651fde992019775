#!/usr/bin/env bash
# The latency window against a server that works on 5 requests at once, and against the
# default simulator, side by side with the fixed window (--no-latency-window), in one run.
# Prints the figures recorded in docs/performance.md ("Concurrency-limited server").
#
#   bash Benchmarks/concurrency-limit.sh [ROWS_LIMITED] [ROWS_DEFAULT]    # default 500 5000
#   BIN=.build/release/leadsheet bash Benchmarks/concurrency-limit.sh   # another build
#   PARTS=1 MODES=fixed-window bash Benchmarks/concurrency-limit.sh      # one part, one way
#
# 1. --max-concurrent 5, 1 s per request (1000,1000), --timeout 15, --rate 50: throughput of
#    rows with a result as a share of the server's limit (rows answered / 5 + 1 s, over the
#    enrich command's wall time), attempts timed out, billings, contacts billed twice; each way.
# 2. The default simulator (--rate 50, 1 s median / 5 s p99, no concurrency limit): requests/s
#    each way.
set -euo pipefail
cd "$(dirname "$0")/.."
limited=${1:-500}
default=${2:-5000}
data=Benchmarks/data
mkdir -p "$data"
if [ -z "${BIN:-}" ]; then
  swift build --product leadsheet >/dev/null
  BIN=$(swift build --show-bin-path)/leadsheet
fi
for n in "$limited" "$default"; do
  [ -f "$data/leads-$n.csv" ] || python3 Benchmarks/make-large-list.py "$n" "$data/leads-$n" csv >/dev/null
done
work=$(mktemp -d /tmp/leadsheet-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
echo "binary: $BIN"

. "$(dirname "$0")/lib.sh"

# run NAME ROWS FLAGS... : enrich against $SIM_URL, then print the figures.
run() {
  local name=$1 rows=$2
  shift 2
  cp "$data/leads-$rows.csv" "$work/$name.csv"
  local t0 t1
  t0=$(date +%s.%N)
  PRONTO_API_KEY=benchkey "$BIN" enrich "$work/$name.csv" --db "$work/$name.sqlite" \
    --base-url "$SIM_URL/v2" --json --quiet "$@" > "$work/$name.json" || true
  t1=$(date +%s.%N)
  curl -s "$SIM_URL/__stats" > "$work/$name-stats.json"
  python3 - "$work/$name.json" "$work/$name-stats.json" "$name" "${LIMIT:-0}" "$t0" "$t1" <<'PY'
import json, sys
run = json.load(open(sys.argv[1])); st = json.load(open(sys.argv[2])); name = sys.argv[3]
limit = float(sys.argv[4]); wall = float(sys.argv[6]) - float(sys.argv[5])
r = run["run"]; n = r["finished"]; t = r["seconds"]; rows = run["rows_by_status"]
answered = rows["found"] + rows["not_found"]
line = (f"{name}: {n} rows in {wall:.1f} s wall, {r['requests_sent']} requests sent "
        f"({r['requests_sent']/wall:.2f} requests/s, {answered/wall:.2f} answered rows/s; "
        f"run's own first request to last answer {t:.1f} s)")
if limit:
    ideal = answered / limit + 1
    line += f"; {ideal/wall*100:.0f} % of the server's {limit:g}/s"
print(line)
print(f"  timed out (possibly billed) {r.get('timed_out_possibly_billed')}, retries {r['retries']}, failed {r['failed']}, "
      f"latency p50 {r.get('latency_ms_p50', 0):.0f} ms, p99 {r.get('latency_ms_p99', 0):.0f} ms; rows {run['rows_by_status']}")
print(f"  simulator: requests {st.get('requests')}, billed {st.get('billed')}, contacts billed twice "
      f"{st.get('contacts_billed_more_than_once')}, peak working {st.get('peak_working')}, peak queued {st.get('peak_queued')}")
PY
}

parts=${PARTS:-1 2}
modes=${MODES:-latency-window fixed-window}
if [[ " $parts " == *" 1 "* ]]; then
echo "== 1. --max-concurrent 5, latency 1000,1000 ms, --timeout 15, $limited rows"
for mode in $modes; do
  flags=()
  [ "$mode" = fixed-window ] && flags=(--no-latency-window)
  start_sim --rate 0 --latency-ms 1000,1000 --max-concurrent 5
  LIMIT=5 run "limited-$mode" "$limited" --rate 50 --timeout 15 "${flags[@]}"
  stop_sim
done
fi

if [[ " $parts " == *" 2 "* ]]; then
echo "== 2. default simulator (--rate 50, latency 1000,5000 ms, no concurrency limit), $default rows"
for mode in $modes; do
  flags=()
  [ "$mode" = fixed-window ] && flags=(--no-latency-window)
  start_sim --rate 50 --latency-ms 1000,5000
  run "default-$mode" "$default" --rate 50 "${flags[@]}"
  stop_sim
done
fi
