#!/usr/bin/env bash
# The one test command (README quick start and .ci/run): Chromium, typecheck, lint (when the project has a
# `lint` script), then the unit tests (vitest: src/ and test/, incl. the golden experiments and Node WebGPU via
# Dawn/SwiftShader) and the browser tests (Playwright in Debian Chromium: cpu, webgpu and webgl projects).
# vitest and Playwright run side by side: on a 2-core machine each leaves a core mostly idle (the golden
# experiments are one long single-threaded test each; the browser tests run one at a time), so together they
# take about as long as the longer of the two. TEST_SERIAL=1 runs them one after the other instead.
# TEST_LONG=1 (npm run test:long) adds the full-size runs. Each stage's wall time is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

T0=$(date +%s)
TIMES=()
stage_done() { TIMES+=("$(printf '%-28s %4ds' "$1" "$2")"); }
now() { date +%s; }

# Chromium first: the browser tests need it, and Dawn (the `webgpu` package) finds SwiftShader's Vulkan
# in Debian's Chromium for the Node WebGPU tests. The variables must be set at process start.
t=$(now); bash scripts/ensure-chromium.sh; stage_done "chromium" $(($(now) - t))
if [ -d /usr/lib/chromium ]; then
  export LD_LIBRARY_PATH="/usr/lib/chromium${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export VK_ICD_FILENAMES="${VK_ICD_FILENAMES:-/usr/lib/chromium/vk_swiftshader_icd.json}"
fi

echo "== typecheck"
t=$(now); npx tsc --noEmit -p tsconfig.json; stage_done "typecheck" $(($(now) - t))

echo "== lint"
t=$(now); npm run --silent --if-present lint; stage_done "lint (if present)" $(($(now) - t))

report() {
  echo
  echo "== stage wall times"
  for line in "${TIMES[@]}"; do echo "   $line"; done
  echo "   $(printf '%-28s %4ds' total $(($(now) - T0)))"
}

VITEST_LOG=$(mktemp -t vitest-XXXXXX.log)
run_vitest() { npx vitest run --maxWorkers=2; }
run_playwright() { npx playwright test; }

if [ "${TEST_SERIAL:-}" = "1" ]; then
  echo "== unit tests (vitest)"
  t=$(now); run_vitest; stage_done "unit tests (vitest)" $(($(now) - t))
  echo "== browser tests (Playwright: cpu, webgpu, webgl)"
  t=$(now); run_playwright; stage_done "browser tests (playwright)" $(($(now) - t))
  report
  exit 0
fi

echo "== unit tests (vitest, in the background: output below when done) and browser tests (Playwright: cpu, webgpu, webgl)"
t=$(now)
( s=$(now); rc=0; run_vitest >"$VITEST_LOG" 2>&1 || rc=$?; echo "$rc $(($(now) - s))" >"$VITEST_LOG.done" ) &
VITEST_PID=$!
pw_rc=0; run_playwright || pw_rc=$?
stage_done "browser tests (playwright)" $(($(now) - t))
wait "$VITEST_PID" || true
read -r vt_rc vt_s <"$VITEST_LOG.done"
stage_done "unit tests (vitest, parallel)" "$vt_s"
echo
echo "== unit tests (vitest) output"
cat "$VITEST_LOG"
rm -f "$VITEST_LOG" "$VITEST_LOG.done"
report
if [ "$vt_rc" != "0" ]; then echo "vitest failed (exit $vt_rc)" >&2; fi
if [ "$pw_rc" != "0" ]; then echo "playwright failed (exit $pw_rc)" >&2; fi
[ "$vt_rc" = "0" ] && [ "$pw_rc" = "0" ]
