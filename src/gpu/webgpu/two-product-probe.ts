/**
 * WGSL probe of the device's error-free product: for probe pairs (a, b) it writes the error term of a
 * fused multiply-add and of Veltkamp/Dekker splitting; `probeTwoProduct` runs it once per device (raw
 * WebGPU, outside tfjs) and compares with float64 on the CPU.
 */
import { PROBE_PAIRS, probeErrorsExact, twoProductSrc, type TwoProductMode } from '../common';

/** A WGSL probe: for pairs (a, b) in buf[2k], buf[2k+1], writes the error terms of both product modes. */
function twoProductProbeWgsl(n: number): string {
  return `${twoProductSrc('wgsl', 'split', 'twoProdSplit')}
${twoProductSrc('wgsl', 'fma', 'twoProdFma')}
@group(0) @binding(0) var<storage, read_write> buf : array<f32>;
@compute @workgroup_size(1) fn main() {
  for (var k = 0; k < ${n}; k++) {
    let a = buf[2 * k];
    let b = buf[2 * k + 1];
    buf[${2 * n} + 2 * k] = twoProdFma(a, b).y;
    buf[${2 * n} + 2 * k + 1] = twoProdSplit(a, b).y;
  }
}`;
}

/**
 * Find out, on this device, which error-free product is exact: a fused multiply-add (most real GPUs)
 * or Veltkamp/Dekker splitting (SwiftShader does not fuse `fma`). Compares against float64 on the CPU.
 */
export async function probeTwoProduct(device: GPUDevice): Promise<TwoProductMode> {
  const n = PROBE_PAIRS.length / 2;
  const input = Float32Array.from([...PROBE_PAIRS, ...new Array(2 * n).fill(0)]);
  // numeric usage flags: Node's Dawn does not always install the GPUBufferUsage globals
  const STORAGE = 0x80,
    COPY_SRC = 0x4,
    COPY_DST = 0x8,
    MAP_READ = 0x1;
  const buf = device.createBuffer({ size: input.byteLength, usage: STORAGE | COPY_SRC | COPY_DST });
  const rb = device.createBuffer({ size: input.byteLength, usage: MAP_READ | COPY_DST });
  try {
    device.queue.writeBuffer(buf, 0, input);
    const module = device.createShaderModule({ code: twoProductProbeWgsl(n) });
    const pipe = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipe);
    pass.setBindGroup(0, device.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: buf } }] }));
    pass.dispatchWorkgroups(1);
    pass.end();
    enc.copyBufferToBuffer(buf, 0, rb, 0, input.byteLength);
    device.queue.submit([enc.finish()]);
    await rb.mapAsync(1);
    const out = new Float32Array(rb.getMappedRange().slice(0));
    rb.unmap();
    // the probe writes (fma error, split error) for each pair after the 2n inputs
    return probeErrorsExact(out, 2 * n, 2) ? 'fma' : probeErrorsExact(out, 2 * n + 1, 2) ? 'split' : 'none';
  } finally {
    buf.destroy();
    rb.destroy();
  }
}
