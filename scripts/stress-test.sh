#!/usr/bin/env bash
# Run the README's test command while busy processes load the CPU: the suite must pass on a
# busy machine too (issue 14). Usage: scripts/stress-test.sh [-n N] [pytest args...]
#   -n N   busy processes (default 2, or $STRESS_LOAD); stress-ng when installed, else
#          stdlib Python busy loops. They are killed when the tests end, however they end.
# Exits with the test command's status.
set -u
load=${STRESS_LOAD:-2}
if [ "${1:-}" = "-n" ]; then load=$2; shift 2; fi
cd "$(dirname "$0")/.." || exit 2

pids=()
stop_load() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
}
trap stop_load EXIT
trap 'exit 130' INT TERM

if command -v stress-ng >/dev/null; then
    stress-ng --cpu "$load" --quiet &
    pids+=($!)
else
    for _ in $(seq "$load"); do
        python3 -c 'while True: pass' &
        pids+=($!)
    done
fi
echo "stress-test: $load busy processes (${pids[*]}); running python3 dev.py test $*" >&2
start=$(date +%s)
python3 dev.py test "$@"
status=$?
echo "stress-test: exit $status after $(( $(date +%s) - start )) s under $load busy processes" >&2
exit $status
