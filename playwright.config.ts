import { defineConfig } from '@playwright/test';

// Browser tests run in Debian's Chromium (Playwright's own browser download cannot work here). Three projects:
// - cpu: the lab on its WebAssembly float64 backend (?backend=wasm). Every UI behaviour spec runs here, once,
//   and the default notebook's experiment is compared with the golden JSON (test/golden) exactly.
// - webgpu (SwiftShader via --enable-unsafe-webgpu) and webgl (WebGL2 on ANGLE / SwiftShader): the GPU
//   conformance checks (gpu.spec.ts) and one small notebook through every phase of an experiment.
// Each spec asserts the backend that really ran. TEST_LONG=1 (npm run test:long) adds the full-size runs
// (the default notebook's Run all on both GPU engines, the big GPU batches); `npm test` leaves them out.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const baseArgs = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PORT = Number(process.env.E2E_PORT ?? 5199);
const GPU_SPECS = ['gpu.spec.ts', 'gpu-notebook.spec.ts', 'default-notebook.spec.ts'];

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { baseURL: `http://127.0.0.1:${PORT}/`, trace: 'off' },
  webServer: {
    command: `npx vite --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
  projects: [
    {
      name: 'cpu',
      metadata: { backend: 'wasm' },
      testMatch: ['lab.spec.ts', 'static-site.spec.ts', 'default-notebook.spec.ts', 'progressive.spec.ts'],
      use: { launchOptions: { executablePath, args: baseArgs } },
    },
    {
      name: 'webgpu',
      metadata: { backend: 'webgpu' },
      testMatch: GPU_SPECS,
      use: { launchOptions: { executablePath, args: [...baseArgs, '--enable-unsafe-webgpu'] } },
    },
    {
      name: 'webgl',
      metadata: { backend: 'webgl' },
      testMatch: GPU_SPECS,
      use: { launchOptions: { executablePath, args: [...baseArgs, '--use-angle=swiftshader', '--enable-unsafe-swiftshader'] } },
    },
  ],
});
