#!/usr/bin/env bash
# The one test command (README quick start and .ci/run): typecheck, unit tests (incl. Node WebGPU via
# Dawn/SwiftShader where available), then the browser tests in Debian Chromium (webgpu + webgl projects).
set -euo pipefail
cd "$(dirname "$0")/.."
# Dawn (the `webgpu` package) finds SwiftShader's Vulkan from Debian's Chromium; must be set at process start.
if [ -d /usr/lib/chromium ]; then
  export LD_LIBRARY_PATH="/usr/lib/chromium${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export VK_ICD_FILENAMES="${VK_ICD_FILENAMES:-/usr/lib/chromium/vk_swiftshader_icd.json}"
fi
echo "== typecheck"
npx tsc --noEmit -p tsconfig.json
echo "== unit tests"
npx vitest run
echo "== browser tests"
bash scripts/ensure-chromium.sh
# re-export after a fresh Chromium install
if [ -d /usr/lib/chromium ]; then
  export LD_LIBRARY_PATH="/usr/lib/chromium${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export VK_ICD_FILENAMES="${VK_ICD_FILENAMES:-/usr/lib/chromium/vk_swiftshader_icd.json}"
fi
npx playwright test
