#!/usr/bin/env bash
# Async vs sync against the simulator, side by side in one run (issue 11's benchmark).
#
#   bash Benchmarks/async-vs-sync.sh [ROWS] [ROUNDS]     # default 3000 1
#   BIN=.build/debug/leadsheet bash Benchmarks/async-vs-sync.sh   # skip the release build
#
# ROWS international contacts (Benchmarks/make-international-list.py), email only,
# simulator at 50/s with 1 s median / 5 s p99 latency. Three runs per round, each on
# a fresh simulator:
#   sync        --api sync  against /v2 (one call per contact, the result in the answer)
#   async       --api async against /api/v2, polls counted by the rate (the default)
#   async-free  --api async --free-polls against a simulator started with --free-polls
# Prints wall time, its ratio to sync, and polls per result (mean, p99).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-3000}
rounds=${2:-1}
data=Benchmarks/data
mkdir -p "$data"
if [ -z "${BIN:-}" ]; then
  swift build -c release --product leadsheet >/dev/null
  BIN=$(swift build -c release --show-bin-path)/leadsheet
fi
list="$data/international-$rows.csv"
[ -f "$list" ] || python3 Benchmarks/make-international-list.py "$rows" "$list" >/dev/null
work=$(mktemp -d /tmp/leadsheet-async-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

. "$(dirname "$0")/lib.sh"

run() { # name sim-flags -- enrich-flags
  local name=$1; shift
  local sim=()
  while [ "$1" != "--" ]; do sim+=("$1"); shift; done
  shift
  start_sim --rate 50 --latency-ms 1000,5000 "${sim[@]}"
  cp "$list" "$work/$name.csv"
  local t0 t1
  t0=$(date +%s.%N)
  PRONTO_API_KEY=benchkey "$BIN" enrich "$work/$name.csv" --db "$work/$name.sqlite" \
    --types email --json --quiet "${@/SIM/$SIM_URL}" > "$work/$name.json" || true
  t1=$(date +%s.%N)
  curl -s "$SIM_URL/__stats" > "$work/$name-stats.json"
  stop_sim
  python3 - "$work/$name.json" "$work/$name-stats.json" "$t0" "$t1" "$name" >> "$work/results" <<'PY'
import json, sys
run = json.load(open(sys.argv[1])); st = json.load(open(sys.argv[2]))
r = run["run"]
print(json.dumps({
    "name": sys.argv[5], "wall": float(sys.argv[4]) - float(sys.argv[3]),
    "end": run["end"], "sent": r["requests_sent"], "polls": r.get("polls", 0),
    "mean": r.get("polls_per_result_mean"), "p99": r.get("polls_per_result_p99"),
    "billed": st.get("billed"), "twice": st.get("contacts_billed_more_than_once"),
    "rate_limited": r["rate_limited"], "found": run["rows_by_status"].get("found", 0),
}))
PY
}

for round in $(seq 1 "$rounds"); do
  run sync -- --api sync --base-url SIM/v2
  run async -- --api async --base-url SIM/api/v2
  run async-free --free-polls -- --api async --free-polls --base-url SIM/api/v2
done
python3 - "$work/results" "$rows" <<'PY'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
sync = [r["wall"] for r in runs if r["name"] == "sync"]
base = sum(sync) / len(sync)
print(f"{sys.argv[2]} rows, email only, simulator 50/s, latency 1000,5000 ms")
print(f"{'run':<11} {'wall s':>7} {'x sync':>7} {'sent':>6} {'polls':>6} {'polls/result':>12} {'p99':>4} {'429s':>5} {'billed':>6} {'twice':>5} {'found':>6} end")
for r in runs:
    mean = f"{r['mean']:.2f}" if r["mean"] else "-"
    print(f"{r['name']:<11} {r['wall']:>7.1f} {r['wall']/base:>7.2f} {r['sent']:>6} {r['polls']:>6} {mean:>12} {str(r['p99'] or '-'):>4} {r['rate_limited']:>5} {r['billed']:>6} {r['twice']:>5} {r['found']:>6} {r['end']}")
PY
