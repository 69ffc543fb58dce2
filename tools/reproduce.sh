#!/usr/bin/env bash
# Reproduces the zones reward-vs-k table of docs/reproduction.md (docs/reference-benchmark.md's reference numbers beside ours).
# Usage: tools/reproduce.sh [OUT_DIR]   (env PRESETS="reference default", KS="1 2 5 10 20 30 40 50")
# Writes OUT_DIR/table.txt, one line per (preset, k):
#   preset k wall_s peak_rss_kB mean_ref_timing std_ref_timing mean_design_timing std_design_timing rounds stop final_round
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build host/EdgeMarl.Cli -c Release -v quiet -nologo >/dev/null
cli="dotnet host/EdgeMarl.Cli/bin/Release/net10.0/edgemarl.dll"
out=${1:-runs/reproduction}
mkdir -p "$out"
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(f'{d[\"mean\"]:.2f} {d[\"stdOverSeeds\"]:.2f}')"; }
for preset in ${PRESETS:-reference default}; do
  for k in ${KS:-1 2 5 10 20 30 40 50}; do
    run="$out/$preset-k$k"
    # --kmin k: the table for k alone (what docs/reference-benchmark.md measured); export tables for k' < k are not needed here.
    /usr/bin/time -f "%e %M" -o "$run.time" $cli train --game zones --k "$k" --kmin "$k" --preset "$preset" --seed 0 --out "$run" >/dev/null 2>"$run.log"
    ref=$($cli eval --run "$run" --timing reference --json | field)
    des=$($cli eval --run "$run" --timing design --json | field)
    rec=$(python3 -c "import json; r=json.load(open('$run/record.json')); print(len(r['rounds']), r['stopReason'], r['finalRound'])")
    echo "$preset $k $(cat "$run.time") $ref $des $rec" | tee -a "$out/table.txt"
  done
done
