/**
 * One clip from decoded audio to its feature row, and a set of clips to the lab's feature table: the pipeline
 * the CLI's `features` command runs (and the page's audio source will run). Mono mix → ANALYSIS_RATE →
 * the analysis window (default the first 30 s, as the seed's clips) → clipFeatures.
 */
import type { FeatureSet } from '../core/types';
import { asFeatureMatrix } from '../core/matrix';
import { clipFeatures, FEATURE_COLUMNS } from './features';
import { ANALYSIS_RATE, resample, toMono } from './resample';
import type { DecodedAudio } from './wav';

export interface AnalysisWindow {
  /** start, seconds from the beginning of the clip */
  readonly offset: number;
  /** length in seconds (a shorter clip is analysed to its end) */
  readonly length: number;
}
export const DEFAULT_WINDOW: AnalysisWindow = Object.freeze({ offset: 0, length: 30 });

/** What the clip table shows of a clip. */
export interface ClipInfo {
  readonly id: string;
  readonly file: string;
  readonly duration: number;
  readonly sampleRate: number;
  readonly channels: number;
  readonly format: string;
  /** the window analysed, after clipping it to the clip */
  readonly from: number;
  readonly to: number;
}

/** Feature values of one decoded clip and what was analysed; throws an Error naming `file`. */
export function analyseClip(audio: DecodedAudio, file: string, window: AnalysisWindow = DEFAULT_WINDOW): { values: Float64Array; info: Omit<ClipInfo, 'id'> } {
  if (!(window.offset >= 0 && window.length > 0))
    throw new Error(`analysis window: offset must be ≥ 0 and length > 0 (got ${window.offset}, ${window.length})`);
  const mono = resample(toMono(audio.channels), audio.sampleRate, ANALYSIS_RATE);
  const duration = audio.channels[0].length / audio.sampleRate;
  if (window.offset >= duration) throw new Error(`${file}: the analysis window starts at ${window.offset} s but the clip is ${duration.toFixed(2)} s long`);
  const from = Math.round(window.offset * ANALYSIS_RATE);
  const to = Math.min(mono.length, from + Math.round(window.length * ANALYSIS_RATE));
  try {
    const { values } = clipFeatures(mono.subarray(from, to));
    return {
      values,
      info: {
        file,
        duration,
        sampleRate: audio.sampleRate,
        channels: audio.channels.length,
        format: audio.format,
        from: from / ANALYSIS_RATE,
        to: to / ANALYSIS_RATE,
      },
    };
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

/** Clip ids from file names: the name without folder and extension, made unique with -2, -3 … in order. */
export function clipIds(files: readonly string[]): string[] {
  const used = new Set<string>();
  return files.map((f) => {
    const base =
      f
        .split(/[\\/]/)
        .pop()!
        .replace(/\.[^.]*$/, '') || 'clip';
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  });
}

/** The lab's feature table from analysed clips (rows in the given order). */
export function featureTable(ids: readonly string[], rows: readonly Float64Array[], source: string): FeatureSet {
  const d = FEATURE_COLUMNS.length;
  const data = new Float64Array(ids.length * d);
  rows.forEach((r, i) => data.set(r, i * d));
  return { ids: [...ids], names: [...FEATURE_COLUMNS], X: asFeatureMatrix({ rows: ids.length, cols: d, data }), source };
}
