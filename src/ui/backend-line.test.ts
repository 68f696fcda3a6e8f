import { describe, expect, it } from 'vitest';
import { backendLine } from './backend-line';
import { noGpuReason } from '../worker/backend';

const wasm = { id: 'wasm', precision: 'float64', description: 'WebAssembly float64' } as const;
const gpu = { id: 'webgpu', precision: 'float32', description: 'SwiftShader Device (Subzero)' } as const;

describe('backend line', () => {
  it('Automatic on a machine whose only GPU adapter is a software one: WASM, one plain sentence, not a warning', () => {
    const noGpu = noGpuReason([
      'WebGPU runs on a software adapter (google / swiftshader; W̃ as float32 pairs (split products)), slower than WASM',
      'webgl is not available here',
    ]);
    expect(noGpu.kind).toBe('software');
    const l = backendLine('auto', { info: wasm, noGpu });
    expect(l.tone).toBe('ok');
    expect(l.text).toMatch(/^Computing with WASM float64 — no hardware GPU found \(only the software adapter SwiftShader\)\.$/);
    expect(l.text).not.toMatch(/CPU/);
  });
  it('Automatic without any GPU says so plainly', () => {
    const l = backendLine('auto', { info: wasm, noGpu: noGpuReason(['webgpu is not available here: navigator.gpu is missing']) });
    expect(l).toMatchObject({ tone: 'ok', text: 'Computing with WASM float64 — no GPU backend available here.' });
  });
  it('a GPU backend chosen by hand on a software adapter warns that it will be slow', () => {
    const l = backendLine('webgpu', { info: gpu, softwareAdapter: gpu.description });
    expect(l.tone).toBe('warn');
    expect(l.text).toContain('will be slow');
  });
  it('a backend that did not start names the one that really runs', () => {
    const l = backendLine('webgl', { info: { id: 'cpu-f64', precision: 'float64', description: 'x' }, fallbackReason: 'no WebGL2' });
    expect(l).toMatchObject({ tone: 'warn', text: 'WebGL did not start, so the lab computes with CPU float64 (reference) instead.', detail: 'no WebGL2' });
    expect(backendLine('wasm', { info: wasm }).text).toBe('Computing with WASM float64.');
  });
});
