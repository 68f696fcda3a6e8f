/**
 * Mono mix and sample-rate conversion in plain TypeScript (issue 13), so the page and the CLI analyse the
 * same samples whatever rate a file has.
 *
 * `resample` is band-limited interpolation (Smith's windowed-sinc method): each output sample is Σ x[k]·h(t − k)
 * with h a sinc low-pass at `CUTOFF` × the lower Nyquist frequency, windowed by a Blackman window over
 * ±`ZERO_CROSSINGS` zero crossings of the sinc (stretched when downsampling, so the filter follows the output's
 * Nyquist), tabulated at `TABLE_STEPS` points per input sample and interpolated linearly. Samples outside the
 * signal count as 0. Float64 arithmetic, one fixed order of summation: the same input gives the same output
 * on every platform (up to the last bit of Math.sin, which the table is built from once per call). Integer
 * rates (every audio file's) go through a polyphase form: with the ratio in lowest terms M / L, output j sits
 * exactly at q + r/L input samples, so each of the L phases' taps is computed once (44.1 → 22.05 kHz: 1 phase,
 * 48 → 22.05 kHz: 147); ≈ 0.2 s per minute of audio instead of 0.8 s.
 */

/** the analysis rate of the lab's audio features (Hz): the lower half of the spectrum holds what timbre needs */
export const ANALYSIS_RATE = 22050;
/** half-width of the interpolation kernel in zero crossings of the sinc */
export const ZERO_CROSSINGS = 32;
/** pass band edge as a share of the lower Nyquist frequency (the rest is the transition band) */
export const CUTOFF = 0.95;

/** The average of the channels (a mono file is returned as it is). */
export function toMono(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 0) throw new Error('toMono: no channels');
  if (channels.length === 1) return channels[0];
  const n = channels[0].length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const c of channels) s += c[i];
    out[i] = s / channels.length;
  }
  return out;
}

function blackman(x: number): number {
  // x ∈ [−1, 1] → window value; 0 outside
  if (x <= -1 || x >= 1) return 0;
  const t = Math.PI * (x + 1);
  return 0.42 - 0.5 * Math.cos(t) + 0.08 * Math.cos(2 * t);
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** `x` at `from` Hz as samples at `to` Hz; round(n · to / from) samples. */
export function resample(x: Float32Array, from: number, to: number): Float32Array {
  if (!(from > 0 && to > 0 && Number.isFinite(from) && Number.isFinite(to))) throw new Error(`resample: rates must be positive, got ${from} → ${to}`);
  if (from === to) return Float32Array.from(x);
  const m = Math.round((x.length * to) / from);
  // the filter's cutoff in input samples⁻¹: the lower of the two Nyquist frequencies, times CUTOFF
  const fc = (CUTOFF * Math.min(1, to / from)) / 2;
  const half = ZERO_CROSSINGS / (2 * fc); // kernel half-width in input samples
  const table = kernelTable(fc, half);
  const g = Number.isInteger(from) && Number.isInteger(to) ? gcd(from, to) : 0;
  return g && to / g <= MAX_PHASES ? polyphase(x, m, from / g, to / g, half, table) : direct(x, m, from / to, half, table);
}

/** the most filter phases kept (integer rates whose ratio in lowest terms has a denominator up to this) */
export const MAX_PHASES = 4096;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** h(|d|) from the table, linearly interpolated */
function tap(table: Float64Array, d: number): number {
  const a = Math.abs(d) * TABLE_STEPS;
  const i = Math.floor(a);
  return table[i] + (a - i) * (table[i + 1] - table[i]);
}

/**
 * Rational ratio M / L in lowest terms: output j sits at t = j·M/L = q + r/L input samples, exactly, and there
 * are only L fractions r/L, so each phase's taps are computed once (L × ≈ 2·half numbers) and every output
 * sample is one dot product.
 */
function polyphase(x: Float32Array, m: number, M: number, L: number, half: number, table: Float64Array): Float32Array {
  const lo = new Int32Array(L);
  const taps: Float64Array[] = [];
  for (let r = 0; r < L; r++) {
    const f = r / L;
    const o0 = Math.ceil(f - half);
    const o1 = Math.floor(f + half);
    lo[r] = o0;
    taps.push(Float64Array.from({ length: o1 - o0 + 1 }, (_, i) => tap(table, f - (o0 + i))));
  }
  const n = x.length;
  const out = new Float32Array(m);
  let q = 0;
  let r = 0;
  for (let j = 0; j < m; j++) {
    const c = taps[r];
    const base = q + lo[r];
    const i0 = Math.max(0, -base);
    const i1 = Math.min(c.length - 1, n - 1 - base);
    let s = 0;
    for (let i = i0; i <= i1; i++) s += x[base + i] * c[i];
    out[j] = s;
    r += M;
    q += Math.floor(r / L);
    r %= L;
  }
  return out;
}

/** Any other ratio: the taps are computed for every output sample. */
function direct(x: Float32Array, m: number, ratio: number, half: number, table: Float64Array): Float32Array {
  const n = x.length;
  const out = new Float32Array(m);
  for (let j = 0; j < m; j++) {
    const t = j * ratio;
    const k0 = Math.max(0, Math.ceil(t - half));
    const k1 = Math.min(n - 1, Math.floor(t + half));
    let s = 0;
    for (let k = k0; k <= k1; k++) s += x[k] * tap(table, t - k);
    out[j] = s;
  }
  return out;
}

/** table points per input sample of the kernel (linear interpolation between them, as in Smith's resampler) */
export const TABLE_STEPS = 512;

/** h(d) = 2fc·sinc(2fc·d)·blackman(d / half) at d = i / TABLE_STEPS, 0 ≤ d ≤ half (and one point past it, 0) */
function kernelTable(fc: number, half: number): Float64Array {
  const size = Math.ceil(half * TABLE_STEPS) + 2;
  const table = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const d = i / TABLE_STEPS;
    table[i] = 2 * fc * sinc(2 * fc * d) * blackman(d / half);
  }
  return table;
}
