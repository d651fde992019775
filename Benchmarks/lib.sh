# Shared by the benchmark scripts: the simulator started and stopped as a process.
# Source it after setting $work (a scratch folder) and $BIN (the leadsheet binary).

start_sim() { # simulate flags... ; sets SIM_PID and SIM_URL
  : > "$work/sim.out"
  "$BIN" simulate --port 0 --keys benchkey "$@" > "$work/sim.out" 2> "$work/sim.err" &
  SIM_PID=$!
  for _ in $(seq 1 100); do
    if grep -q "listening on" "$work/sim.out" 2>/dev/null; then break; fi
    sleep 0.1
  done
  SIM_URL="$(sed -n 's/^listening on //p' "$work/sim.out" | head -1)"
  [ -n "$SIM_URL" ] || { echo "the simulator did not start: $(cat "$work/sim.err")" >&2; exit 1; }
}

sim_stats() { curl -s "$SIM_URL/__stats"; }

stop_sim() { kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null || true; }

large_csv() { # ROWS: the make-large-list.py CSV of ROWS rows (made once), its path on stdout
  mkdir -p Benchmarks/data
  local csv="Benchmarks/data/leads-$1.csv"
  [ -f "$csv" ] || python3 Benchmarks/make-large-list.py "$1" "Benchmarks/data/leads-$1" csv >&2
  echo "$csv"
}
