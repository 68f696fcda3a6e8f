#!/usr/bin/env bash
# Packs the CLI and the GPU benchmark into .device/ (git-ignored) for a machine that has a GPU but no
# Node.js and no network: self-contained ESM bundles, Dawn's native module, and an xz-compressed copy of
# this machine's node binary. On that machine:
#   xz -dc .device/node.xz > /tmp/node && chmod +x /tmp/node
#   /tmp/node .device/cli.mjs experiment ... --threads 16      # float64 reference on all cores
#   /tmp/node .device/bench-gpu.mjs --B=1,10,100,1000             # WebGPU (Dawn → Vulkan) vs float64
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .device/node_modules/webgpu/dist/linux-x64
common=(--bundle --platform=node --format=esm --target=node20 --external:webgpu --log-level=warning
  "--banner:js=import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);")
npx esbuild src/cli/main.ts --outfile=.device/cli.mjs "${common[@]}"
npx esbuild src/cli/cpu-pool-worker.ts --outfile=.device/cpu-pool-worker.js "${common[@]}"
[ -f bench/gpu.ts ] && npx esbuild bench/gpu.ts --outfile=.device/bench-gpu.mjs "${common[@]}"
cp node_modules/webgpu/index.js node_modules/webgpu/package.json .device/node_modules/webgpu/
cp node_modules/webgpu/dist/linux-x64/dawn.node .device/node_modules/webgpu/dist/linux-x64/
[ -f .device/node.xz ] || xz -T2 -3 -c "$(command -v node)" > .device/node.xz
du -sh .device
