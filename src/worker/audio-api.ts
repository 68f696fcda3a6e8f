/** What the page and the audio worker (audio.worker.ts) exchange. */
import type { AnalysisWindow, ClipInfo } from '../audio/analyse';

/** Decoded samples, for a file the worker's decoders cannot read but the browser's decoder could. */
export interface DecodedPcm {
  readonly sampleRate: number;
  readonly channels: Float32Array[];
  /** how it was decoded, for the clip table ("decodeAudioData at 22050 Hz") */
  readonly format: string;
}

/** One file to analyse: its bytes (transferred), or samples the page decoded. */
export interface AudioJob {
  readonly file: string;
  readonly bytes?: ArrayBuffer;
  readonly pcm?: DecodedPcm;
}

export type AudioOutcome =
  | {
      readonly file: string;
      readonly ok: true;
      readonly values: Float64Array;
      readonly info: Omit<ClipInfo, 'id'>;
      readonly hash?: string;
      readonly ms: number;
    }
  | {
      readonly file: string;
      readonly ok: false;
      readonly error: string;
      /** none of the worker's decoders reads this format: the page may try the browser's decoder */
      readonly unsupported?: boolean;
      readonly hash?: string;
    };

export interface AudioProgress {
  readonly done: number;
  readonly total: number;
  /** the file being analysed now (empty when done) */
  readonly current: string;
}

export interface AudioWorkerApi {
  /** Analyse the files one at a time; resolves with one outcome per job, in order, or rejects with name AUDIO_CANCELLED. */
  analyse(jobs: AudioJob[], window: AnalysisWindow, onProgress: (p: AudioProgress) => void): Promise<AudioOutcome[]>;
  /** Stop after the current file (or between its decoding and its features). */
  cancel(): void;
}

export const AUDIO_CANCELLED = 'AudioCancelled';

/** Files decoded whole that are longer than this are refused (hours of samples would take the tab's memory); a decoder that stops at the window's end reads any length. */
export const MAX_CLIP_SECONDS = 20 * 60;
/** Files larger than this are refused before they are read. */
export const MAX_FILE_BYTES = 300 * 1024 * 1024;
