import { defineConfig } from '@playwright/test';

// Browser tests run in Debian's Chromium (Playwright's own browser download cannot work here),
// once with WebGPU (SwiftShader via --enable-unsafe-webgpu) and once with WebGL2 (ANGLE on
// SwiftShader). Each spec asserts the backend that really ran.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const baseArgs = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PORT = Number(process.env.E2E_PORT ?? 5199);

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
      name: 'webgpu',
      metadata: { backend: 'webgpu' },
      use: { launchOptions: { executablePath, args: [...baseArgs, '--enable-unsafe-webgpu'] } },
    },
    {
      name: 'webgl',
      metadata: { backend: 'webgl' },
      use: { launchOptions: { executablePath, args: [...baseArgs, '--use-angle=swiftshader', '--enable-unsafe-swiftshader'] } },
    },
  ],
});
