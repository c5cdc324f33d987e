#!/bin/bash
# A (main) and B (branch) at once on copies of the same shop, rounds alternating which starts first.
N=$1; SHOP=$2; R=$3
for r in $(seq 1 $R); do
  L=$(cut -d' ' -f1 /proc/loadavg)
  if [ $((r % 2)) = 1 ]; then
    (cd /work/wt/d11j-base && node --max-semi-space-size=64 /tmp/d11j/sim.mjs /work/wt/d11j-base $SHOP $N | head -1 | sed "s/^/r$r A load=$L /") &
    sleep 0.2; (cd /work/wt/d11j && node --max-semi-space-size=64 /tmp/d11j/sim.mjs /work/wt/d11j $SHOP $N | head -1 | sed "s/^/r$r B load=$L /") &
  else
    (cd /work/wt/d11j && node --max-semi-space-size=64 /tmp/d11j/sim.mjs /work/wt/d11j $SHOP $N | head -1 | sed "s/^/r$r B load=$L /") &
    sleep 0.2; (cd /work/wt/d11j-base && node --max-semi-space-size=64 /tmp/d11j/sim.mjs /work/wt/d11j-base $SHOP $N | head -1 | sed "s/^/r$r A load=$L /") &
  fi
  wait
done
