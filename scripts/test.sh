#!/usr/bin/env bash
# Installs what the tests need, builds Starling, and runs every test through CTest:
#   debug  - unit, integration and lint (clang-tidy, clang-format), warnings as errors
#   fuzz   - every libFuzzer target for a bounded time (clang, ASan+UBSan)
#   asan   - unit and integration tests again under ASan+UBSan
# Ends with one line that adds up all three: "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-debian.sh || exit 1

# Paths relative to the checkout, so that a clone in another folder (as CI makes) reuses the
# objects ccache kept from an earlier build of the same sources.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1

passed=0
failed=0
status=0
# What failed, stage by stage, repeated at the very end: CI keeps only the tail of the log.
failures=()

run_suite() {
  local preset=$1
  echo "=== ${preset}: build"
  if ! cmake --preset "$preset" -DSTARLING_WERROR=ON >/dev/null || ! cmake --build --preset "$preset"; then
    echo "=== ${preset}: build failed"
    failures+=("${preset}: the build")
    failed=$((failed + 1))
    status=1
    return
  fi
  echo "=== ${preset}: test"
  local log
  log=$(mktemp)
  ctest --preset "$preset" 2>&1 | tee "$log"
  local code=${PIPESTATUS[0]}
  # CTest's summary: "100% tests passed, 0 tests failed out of 62".
  local summary
  summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
  # CTest lists failures after "The following tests FAILED:" as "  12 - name (Failed)".
  local test_failures
  mapfile -t test_failures < <(sed -n '/^The following tests FAILED:/,$p' "$log" | grep -E '^[[:space:]]+[0-9]+ - ')
  for line in "${test_failures[@]}"; do
    failures+=("${preset}: ${line#"${line%%[![:space:]]*}"}")
  done
  rm -f "$log"
  if [[ -z "$summary" ]]; then
    failures+=("${preset}: CTest printed no summary")
    failed=$((failed + 1))
    status=1
    return
  fi
  local failed_here total
  failed_here=$(sed -E 's/.*passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$summary")
  total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$summary")
  passed=$((passed + total - failed_here))
  failed=$((failed + failed_here))
  [[ $code -eq 0 ]] || status=1
}

run_suite debug
run_suite fuzz
run_suite asan

for failure in "${failures[@]}"; do
  echo "failed in ${failure}"
done
echo "tests: ${passed} passed, ${failed} failed"
exit $status
