#!/usr/bin/env bash
# Soak test: a long job against the simulator with mixed faults and a SIGKILL every few seconds.
#
#   scripts/soak.sh ROWS KILL_EVERY_SECONDS          e.g. scripts/soak.sh 3000 20 (short)
#                                                        scripts/soak.sh 50000 180 (the long one)
#
# Generates a fictional lead list (5 % duplicates, 3 % rows without a last name), starts
# `leadsheet simulate` at 50 requests/s with 5 % faults of every kind (hang included; leadsheet
# runs with --timeout 5), runs `leadsheet enrich --rate 50` and SIGKILLs it every
# KILL_EVERY_SECONDS (±50 %), resuming each time, until the job is done. Then checks and prints:
#   1. every input row is in the output once, in order, with one final status (rows lost: 0);
#   2. the output equals an uninterrupted run's (same seed, no faults, no kills);
#   3. billed twice ≤ requests in flight at the kills (`resent_after_crash`) + the simulator's
#      `reset-after-billing` faults (a billed attempt the client must retry).
# Exit 0 when all hold. CONFIG=release uses a release build (default debug); KEEP=1 keeps
# the folder. The figures of the last run are in docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:?usage: scripts/soak.sh ROWS KILL_EVERY_SECONDS}
KILL_EVERY=${2:?usage: scripts/soak.sh ROWS KILL_EVERY_SECONDS}
CONFIG=${CONFIG:-debug}
KEY=soak-key-4be1d0c9a7
swift build -c "$CONFIG" --product leadsheet > /dev/null
BIN=$(swift build -c "$CONFIG" --show-bin-path)/leadsheet
DIR=$(mktemp -d /tmp/leadsheet-soak-XXXXXX)
SIM_PID=""
REF_PID=""
RUN_PID=""
cleanup() {
  for p in $RUN_PID $SIM_PID $REF_PID; do kill "$p" 2>/dev/null || true; done
  [[ -n ${KEEP:-} ]] && echo "kept $DIR" || rm -rf "$DIR"
}
trap cleanup EXIT
export PRONTO_API_KEY=$KEY XDG_STATE_HOME=$DIR
unset LEADSHEET_DB LEADSHEET_BASE_URL

python3 - "$ROWS" "$DIR/leads.csv" <<'PY'
import csv, random, sys
rows, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20261128)
firsts = ["Ada", "Bruno", "Chloé", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Inès", "Jonas"]
lasts = ["Martin", "Dubois", "Schmidt", "Rossi", "García", "Novak", "Müller", "Moreau"]
companies = ["Kiwi Mobility", "Nordwind Labs", "Vega Retail", "Blue Fjord", "Cobalt Health"]
out = []
for i in range(rows):
    if i > 10 and rng.random() < 0.05:
        out.append(out[rng.randrange(len(out))]); continue
    c = rng.choice(companies)
    last = "" if rng.random() < 0.03 else f"{rng.choice(lasts)}-{i}"
    domain = c.lower().replace(" ", "") + ".example" if rng.random() < 0.8 else ""
    li = f"https://www.linkedin.com/in/soak-{i}" if rng.random() < 0.7 else ""
    out.append([rng.choice(firsts), last, c, domain, li])
with open(path, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["First Name", "Last Name", "Company", "Website", "LinkedIn URL"])
    w.writerows(out)
PY
mkdir -p "$DIR/ref"
cp "$DIR/leads.csv" "$DIR/ref/leads.csv"

start_sim() { # OUTFILE ARGS… ; echoes the pid, waits for the address
  local out=$1; shift
  "$BIN" simulate --port 0 --keys "$KEY" --seed 7 "$@" > "$out" 2> "$out.err" &
  local pid=$!
  for _ in $(seq 1 200); do grep -q '^listening on' "$out" 2>/dev/null && break; sleep 0.05; done
  echo "$pid"
}
SIM_PID=$(start_sim "$DIR/sim.out" --rate 50 --latency-ms 300,1500 --fault-rate 0.05 \
  --faults 500,502,503,reset,hang,garbage,reset-after-billing --ledger "$DIR/ledger.jsonl")
REF_PID=$(start_sim "$DIR/ref-sim.out" --rate 0 --latency-ms 0,0)
SIM=$(sed -n 's/^listening on //p' "$DIR/sim.out")
REF=$(sed -n 's/^listening on //p' "$DIR/ref-sim.out")

# The uninterrupted reference: same outcomes (they depend on the contact and the seed only).
"$BIN" enrich "$DIR/ref/leads.csv" --db "$DIR/ref/jobs.sqlite" --base-url "$REF/v2" --rate 0 \
  --quiet > "$DIR/ref/run.log" 2>&1 &
REF_RUN=$!

T0=$SECONDS
kills=0
in_flight_total=0
in_flight_list=""
job=""
run=0
while :; do
  run=$((run + 1))
  log="$DIR/run$run.log"
  if [[ -z $job ]]; then
    "$BIN" enrich "$DIR/leads.csv" --db "$DIR/jobs.sqlite" --base-url "$SIM/v2" --rate 50 \
      --timeout 5 > "$log" 2>&1 &
  else
    "$BIN" resume "$job" --db "$DIR/jobs.sqlite" --base-url "$SIM/v2" --rate 50 --timeout 5 \
      > "$log" 2>&1 &
  fi
  RUN_PID=$!
  if [[ -z $job ]]; then # the kill clock starts once the ingest is committed
    while kill -0 "$RUN_PID" 2>/dev/null && [[ -z $job ]]; do
      job=$(sed -n 's/^job \([A-Za-z0-9]\{6\}\): .*/\1/p' "$log" | head -1); sleep 0.1
    done
  fi
  wait_ms=$(python3 -c "import random; print(int($KILL_EVERY * 1000 * random.uniform(0.5, 1.5)))")
  deadline=$((SECONDS * 1000 + wait_ms))
  while kill -0 "$RUN_PID" 2>/dev/null && (( SECONDS * 1000 < deadline )); do sleep 0.2; done
  if kill -0 "$RUN_PID" 2>/dev/null; then
    kill -KILL "$RUN_PID"; wait "$RUN_PID" 2>/dev/null || true
    kills=$((kills + 1))
    n=$(sqlite3 -readonly "$DIR/jobs.sqlite" \
      "SELECT count(*) FROM requests WHERE job_id = '$job' AND state = 'inFlight'")
    in_flight_total=$((in_flight_total + n)); in_flight_list+="$n "
    echo "soak: kill $kills after $((SECONDS - T0)) s: $n in flight"
    continue
  fi
  rc=0; wait "$RUN_PID" || rc=$?
  RUN_PID=""
  [[ -n $job ]] || { echo "soak: enrich ended before creating a job:"; tail "$log"; exit 1; }
  [[ $rc -eq 0 ]] && break
  echo "soak: run $run ended with exit $rc (resuming):"; tail -2 "$log"
  [[ $rc -eq 75 || $rc -eq 130 ]] || exit 1
done
ELAPSED=$((SECONDS - T0))
wait "$REF_RUN" || { echo "soak: the reference run failed:"; tail "$DIR/ref/run.log"; exit 1; }

resent=$(sqlite3 -readonly "$DIR/jobs.sqlite" "SELECT resent_after_crash FROM jobs WHERE id = '$job'")
curl -s "$SIM/__stats" > "$DIR/stats.json"
python3 - "$DIR" "$resent" "$in_flight_total" "$kills" "$ELAPSED" "$in_flight_list" <<'PY'
import csv, json, sys, collections
d, resent, in_flight, kills, elapsed, in_flight_list = sys.argv[1:7]
resent, in_flight, kills, elapsed = int(resent), int(in_flight), int(kills), int(elapsed)
read = lambda p: list(csv.reader(open(p, newline="", encoding="utf-8-sig")))
inp, out, ref = read(f"{d}/leads.csv"), read(f"{d}/leads.enriched.csv"), read(f"{d}/ref/leads.enriched.csv")
h, rows, refrows = out[0], out[1:], ref[1:]
n_in = len(inp) - 1
col = lambda name: h.index(name)
final = {"found", "not_found", "invalid", "failed", "skipped"}
same_order = all(r[:len(inp[0])] == i for r, i in zip(rows, inp[1:]))
lost = n_in - sum(1 for r in rows if r[col("status")] in final)
statuses = collections.Counter(r[col("status")] for r in rows)
cmp = ["email", "email_status", "phones", "phone_status", "status", "enrichment_id"]
differ = sum(1 for a, b in zip(rows, refrows)
             if any(a[col(c)] != b[col(c)] for c in cmp) and a[col("status")] != "failed")
failed = statuses.get("failed", 0)
stats = json.load(open(f"{d}/stats.json"))
ledger = collections.Counter()
for line in open(f"{d}/ledger.jsonl"):
    o = json.loads(line); ledger[o["contact"] + "|" + ",".join(o["types"])] += 1
extra = sum(v - 1 for v in ledger.values())
after_billing = stats["faults"].get("reset-after-billing", 0)
bound = resent + after_billing
checks = [
    (f"every row once, in order, with a final status (rows lost: {lost})",
     len(rows) == n_in and same_order and lost == 0),
    (f"output equal to an uninterrupted run ({differ} rows differ, {failed} failed rows)",
     len(rows) == len(refrows) and differ == 0),
    (f"billed twice {extra} <= resent after crash {resent} + reset-after-billing {after_billing}"
     f" = {bound}", extra <= bound),
    (f"resent after crash {resent} <= in flight at the kills {in_flight}", resent <= in_flight),
]
print(f"soak: {n_in} rows in {elapsed} s, {kills} kills (in flight at each: {in_flight_list.strip()})")
print(f"soak: simulator: {stats['requests']} requests, {stats['billed']} billed, "
      f"{stats['distinct_contacts_billed']} distinct, faults {stats['faults']}, "
      f"429s {stats['rate_limited']}, peak rate {stats['peak_rate']}/s")
print(f"soak: statuses {dict(statuses)}")
ok = True
for text, good in checks:
    print(("PASS " if good else "FAIL ") + text); ok &= good
sys.exit(0 if ok else 1)
PY
