#!/usr/bin/env bash
# The one test command (README quick start and .ci/run): typecheck, unit tests (incl. Node WebGPU via
# Dawn/SwiftShader where available), then the browser tests in Debian Chromium (webgpu + webgl projects).
set -euo pipefail
cd "$(dirname "$0")/.."
# Chromium first: the browser tests need it, and Dawn (the `webgpu` package) finds SwiftShader's Vulkan
# in Debian's Chromium for the Node WebGPU tests. The variables must be set at process start.
bash scripts/ensure-chromium.sh
if [ -d /usr/lib/chromium ]; then
  export LD_LIBRARY_PATH="/usr/lib/chromium${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export VK_ICD_FILENAMES="${VK_ICD_FILENAMES:-/usr/lib/chromium/vk_swiftshader_icd.json}"
fi
echo "== typecheck"
npx tsc --noEmit -p tsconfig.json
echo "== unit tests"
npx vitest run
echo "== browser tests (Chromium: webgpu and webgl projects)"
npx playwright test
