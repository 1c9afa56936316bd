#!/usr/bin/env bash
# The browser tests, RUNS times in a row (default 3), with a CPU-bound process beside them:
# they wait for states, so a busy machine makes them slower, never red. Prints each run's
# pytest summary, its wall time and the load average. Run from the project root after
# `python3 tasks.py test-browser` has set up .venv and Chromium once.
set -u
cd "$(dirname "$0")/.."
runs=${1:-3}
python3 -c "while True: pass" &
hog=$!
trap 'kill $hog 2>/dev/null' EXIT
status=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  OPENBLAS_NUM_THREADS=1 .venv/bin/python -m pytest -m browser -q tests/browser 2>&1 | tail -1
  code=${PIPESTATUS[0]}
  [ "$code" -eq 0 ] || status=$code
  echo "run $i: exit $code, $(( $(date +%s) - start )) s, load $(cut -d' ' -f1-3 /proc/loadavg)"
done
exit $status
