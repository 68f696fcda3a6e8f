import { describe, expect, it } from 'vitest';
import { autoBackend, createBackend, isSoftwareAdapter } from './select';

describe('backend selection', () => {
  it('recognises software adapters by their description', () => {
    expect(isSoftwareAdapter('google / swiftshader')).toBe(true);
    expect(isSoftwareAdapter('WebGL2: ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareAdapter('WebGL2: llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareAdapter('nvidia / hopper / NVIDIA H100 80GB HBM3')).toBe(false);
    expect(isSoftwareAdapter('WebGL2: ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)')).toBe(false);
  });

  it('auto without any GPU (Node, no navigator.gpu, no WebGL) lands on WASM float64 and says why', async () => {
    const { backend, skipped } = await autoBackend();
    expect(backend.info).toMatchObject({ id: 'wasm', precision: 'float64' });
    expect(skipped.length).toBe(2);
    expect(skipped[0]).toMatch(/webgpu is not available here/);
  });

  it('a forced backend that cannot start is an error, never a silent fallback', async () => {
    await expect(createBackend('webgpu')).rejects.toThrow(/webgpu is not available here/);
    await expect(createBackend('bogus' as never)).rejects.toThrow(/unknown backend preference 'bogus'/);
    expect((await createBackend('wasm')).info.id).toBe('wasm');
    expect((await createBackend('cpu')).info.id).toBe('cpu-f64');
  });
});
