#!/bin/bash
# end-timeline.sh OUTDIR [bench args]: one bench:import run (built dist/, run from the repo root) with the
# statement timeline, the thread sampler and vmstat; then the end's phases. Run under the bench lock.
T=$(cd "$(dirname "$0")" && pwd); O=$1; shift; mkdir -p "$O"
vmstat -n 1 > "$O/vmstat.txt" &
V=$!
TL_OUT="$O/timeline.json" /usr/bin/time -v node -r "$T/statement-timeline.cjs" --max-semi-space-size=64 dist/bench/import/run.js "$@" > "$O/out.txt" 2>&1 &
P=$!
sleep 0.2; NP=$(pgrep -P $P node | head -1)
python3 "$T/thread-sampler.py" "$NP" "$O/samples.jsonl" &
wait $P
kill $V
grep -E 'rows/s|Elapsed|Maximum resident|load' "$O/out.txt"
python3 "$T/end-phases.py" "$O/timeline.json" "$O/samples.jsonl"
