#!/usr/bin/env bash
# Runner benchmarks against the simulator, side by side with a naive Python asyncio/aiohttp
# script, in one run. Prints the figures recorded in docs/performance.md.
#
#   bash Benchmarks/runner.sh [ROWS_PACED] [ROWS_UNLIMITED]    # default 5000 20000
#
# 1. Paced: --rate 50 with 1 s median / 5 s p99 latency and 2 % transient faults; efficiency
#    = (ROWS/50 + slowest request) / actual wall time.
# 2. Unlimited: no rate limit, no latency: end-to-end rows/s and CPU seconds per 1,000 rows.
# 3. The naive Python script against the same paced simulator: throughput, 429s, duplicates.
set -euo pipefail
cd "$(dirname "$0")/.."
paced=${1:-5000}
unlimited=${2:-20000}
data=Benchmarks/data
mkdir -p "$data"
python3 -m pip install -q xlsxwriter aiohttp 2>/dev/null || true
swift build -c release --product leadsheet >/dev/null
bin=$(swift build -c release --show-bin-path)/leadsheet
for n in "$paced" "$unlimited"; do
  [ -f "$data/leads-$n.csv" ] || python3 Benchmarks/make-large-list.py "$n" "$data/leads-$n" >/dev/null
done
work=$(mktemp -d /tmp/leadsheet-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

BIN="$bin"
. "$(dirname "$0")/lib.sh"

echo "== 1. paced: $paced distinct contacts, --rate 50, latency 1000,5000 ms, 2 % faults"
start_sim --rate 50 --latency-ms 1000,5000 --fault-rate 0.02 --faults 500,502,503,reset
cp "$data/leads-$paced.csv" "$work/paced.csv"
t0=$(date +%s.%N)
PRONTO_API_KEY=benchkey "$bin" enrich "$work/paced.csv" --db "$work/jobs.sqlite" \
  --base-url "$SIM_URL/v2" --json --quiet > "$work/paced.json" || true
t1=$(date +%s.%N)
sim_stats > "$work/paced-stats.json"
stop_sim
python3 - "$work/paced.json" "$work/paced-stats.json" "$t0" "$t1" "$paced" <<'PY'
import json, sys
run = json.load(open(sys.argv[1])); st = json.load(open(sys.argv[2]))
t = float(sys.argv[4]) - float(sys.argv[3]); n = int(sys.argv[5])
slowest = run["run"].get("latency_ms_max", 0) / 1000
ideal = n / 50 + slowest
print(f"leadsheet: {t:.1f} s wall for {n} contacts; ideal {n/50:.0f} s + slowest request {slowest:.1f} s = {ideal:.1f} s; efficiency {ideal/t*100:.1f} %")
print(f"  rows by status {run['rows_by_status']}; retries {run['run']['retries']}; 429s {run['run']['rate_limited']}")
print(f"  simulator: requests {st.get('requests')}, billed {st.get('billed')}, 429s {st.get('rate_limited')}, peak rate {st.get('peak_rate')}/s, contacts billed twice {st.get('contacts_billed_more_than_once')}")
PY

echo "== 2. unlimited: $unlimited contacts, no rate limit, no latency"
start_sim --rate 0 --latency-ms 0,0
cp "$data/leads-$unlimited.csv" "$work/fast.csv"
/usr/bin/time -f "%e %U %S %M" -o "$work/fast.time" env PRONTO_API_KEY=benchkey "$bin" enrich \
  "$work/fast.csv" --db "$work/jobs2.sqlite" --base-url "$SIM_URL/v2" --rate 0 --json --quiet \
  > "$work/fast.json" || true
stop_sim
read -r wall user sys rss < <(tail -1 "$work/fast.time")
python3 - "$wall" "$user" "$sys" "$rss" "$unlimited" <<'PY'
import sys
wall, user, sys_, rss, n = map(float, sys.argv[1:])
print(f"leadsheet: {n/wall:,.0f} rows/s end to end ({wall:.1f} s, ingest + run + export); "
      f"CPU {(user+sys_)/n*1000:.2f} s per 1,000 rows; peak RSS {rss/1024:.0f} MB")
PY

echo "== 3. naive Python asyncio/aiohttp (semaphore 50, sleep pacing at 50/s) against the paced simulator"
start_sim --rate 50 --latency-ms 1000,5000 --fault-rate 0.02 --faults 500,502,503,reset
python3 Benchmarks/naive_aiohttp.py "$data/leads-$paced.csv" "$SIM_URL/v2" benchkey 50 50 > "$work/naive.json"
sim_stats > "$work/naive-stats.json"
stop_sim
python3 - "$work/naive.json" "$work/naive-stats.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); st = json.load(open(sys.argv[2]))
print(f"python: {r['seconds']:.1f} s wall for {r['rows']} contacts ({r['rows']/r['seconds']:.1f} contacts/s); "
      f"sent {r['sent']}, ok {r['ok']}, 429s {r['429']}, 5xx {r['5xx']}, errors {r['errors']}, gave up {r['gave_up']}")
print(f"  simulator: billed {st.get('billed')}, contacts billed twice {st.get('contacts_billed_more_than_once')}")
PY
