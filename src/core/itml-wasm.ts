/**
 * The WebAssembly float64 ITML engine: the sweep of src/core/wasm/itml-sweep.as.ts (AssemblyScript,
 * compiled into itml-wasm.generated.ts), with the same operations in the same order as the JavaScript
 * reference — results are bit-identical, only faster. One module instance per thread (the main thread,
 * a Web Worker or a worker_thread); `itml` is synchronous, so fits in a thread never share its memory.
 */
import type { ItmlBuffers, ItmlEngine } from './itml';
import type { FeatureMatrix, PairConstraints } from './types';
import { ITML_SWEEP_WASM_BASE64 } from './wasm/itml-wasm.generated';

interface SweepExports {
  memory: WebAssembly.Memory;
  sweep(
    d: number,
    pX: number,
    pI: number,
    pJ: number,
    pDelta: number,
    pOrder: number,
    active: number,
    pW: number,
    pLam: number,
    pB: number,
    pGp: number,
    pIg: number,
    gpC: number,
    igC: number,
    perC: number,
    pV: number,
    pU: number,
    zeroBound: number,
  ): number;
}

let instance: SweepExports | null = null;

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let k = 0; k < bin.length; k++) out[k] = bin.charCodeAt(k);
  return out;
}

/** Whether this environment can run the WebAssembly engine (instantiates the module once). */
export function wasmAvailable(): boolean {
  try {
    load();
    return true;
  } catch {
    return false;
  }
}

function load(): SweepExports {
  if (instance) return instance;
  if (typeof WebAssembly === 'undefined') throw new Error('wasm: WebAssembly is not available in this environment');
  const mod = new WebAssembly.Module(decodeBase64(ITML_SWEEP_WASM_BASE64));
  const inst = new WebAssembly.Instance(mod, {
    env: {
      abort: () => {
        throw new Error('wasm: ITML sweep aborted');
      },
    },
  });
  instance = inst.exports as unknown as SweepExports;
  return instance;
}

/** Byte layout of one fit in linear memory (8-byte aligned blocks). */
function layout(n: number, d: number, m: number, perC: boolean) {
  let off = 1024; // below: AssemblyScript's (empty) static data
  const take = (bytes: number) => {
    const o = off;
    off += (bytes + 7) & ~7;
    return o;
  };
  return {
    pX: take(8 * n * d),
    pI: take(4 * m),
    pJ: take(4 * m),
    pDelta: take(m),
    pOrder: take(4 * m),
    pW: take(8 * d * d),
    pLam: take(8 * m),
    pB: take(8 * m),
    pGp: perC ? take(8 * m) : 0,
    pIg: perC ? take(8 * m) : 0,
    pV: take(8 * d),
    pU: take(8 * d),
    end: off,
  };
}

export const WASM_ENGINE: ItmlEngine = {
  name: 'wasm',
  prepare(X: FeatureMatrix, C: PairConstraints, perC: boolean): ItmlBuffers {
    const ex = load();
    const n = X.rows;
    const d = X.cols;
    const m = C.count;
    const L = layout(n, d, m, perC);
    const have = ex.memory.buffer.byteLength;
    if (L.end > have) ex.memory.grow(Math.ceil((L.end - have) / 65536));
    const buf = ex.memory.buffer; // after growing: views made now stay valid for this fit
    new Float64Array(buf, L.pX, n * d).set(X.data);
    new Int32Array(buf, L.pI, m).set(C.i.subarray(0, m));
    new Int32Array(buf, L.pJ, m).set(C.j.subarray(0, m));
    new Int8Array(buf, L.pDelta, m).set(C.delta.subarray(0, m));
    const W = new Float64Array(buf, L.pW, d * d);
    W.fill(0);
    const lambda = new Float64Array(buf, L.pLam, m);
    lambda.fill(0);
    // itml() is synchronous: no other fit in this thread can use the memory before this one returns
    return {
      W,
      order: new Int32Array(buf, L.pOrder, m),
      lambda,
      bhat: new Float64Array(buf, L.pB, m),
      gProj: perC ? new Float64Array(buf, L.pGp, m) : null,
      invGamma: perC ? new Float64Array(buf, L.pIg, m) : null,
      sweep: (active, gpC, igC, zeroBound) =>
        ex.sweep(d, L.pX, L.pI, L.pJ, L.pDelta, L.pOrder, active, L.pW, L.pLam, L.pB, L.pGp, L.pIg, gpC, igC, perC ? 1 : 0, L.pV, L.pU, zeroBound),
    };
  },
};
