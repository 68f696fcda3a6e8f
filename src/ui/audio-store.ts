/**
 * The Data cell's audio analysis state (issue 13), kept apart from the lab store: per cell the analysis window,
 * the running analysis (progress, cancel) and the report of the last one. When an analysis ends its features
 * file joins the cell's own files through the lab store's loadDataFiles (with the data files dropped with it),
 * so undo, autosave and notebook files work as for any file; a file that fails is only reported, and a run
 * that produced nothing (or was cancelled) leaves the data as it was.
 */
import { create } from 'zustand';
import { DEFAULT_WINDOW, type AnalysisWindow } from '../audio/analyse';
import { analyseFiles, audioWorker, type AnalysisProgress } from './audio-analysis';
import type { ClipEntry } from './audio-manifest';
import type { PathedFile } from './audio-files';
import { ClipCollector, idbClips, type ClipBackend } from './clip-store';
import type { FileText, Slot } from './data';
import { loadDataFiles, useLab } from './store';

export interface AudioReport {
  readonly clips: ClipEntry[];
  readonly files: number;
  readonly ok: number;
  readonly ms: number;
  readonly cancelled: boolean;
  /** the features file was loaded into the cell (else the data stayed as it was) */
  readonly loaded: boolean;
  /** the analysis itself failed (the worker stopped) */
  readonly error?: string;
}

interface AudioState {
  window: Record<string, AnalysisWindow>;
  progress: Record<string, AnalysisProgress | undefined>;
  report: Record<string, AudioReport | undefined>;
}

export const useAudio = create<AudioState>(() => ({ window: {}, progress: {}, report: {} }));

export const clipBackend: ClipBackend = idbClips;
const collector = new ClipCollector(clipBackend);
const controls = new Map<string, { cancelled: boolean }>();

export const windowOf = (s: AudioState, cellId: string): AnalysisWindow => s.window[cellId] ?? DEFAULT_WINDOW;

export function setAnalysisWindow(cellId: string, w: Partial<AnalysisWindow>): void {
  useAudio.setState((s) => ({ window: { ...s.window, [cellId]: { ...windowOf(s, cellId), ...w } } }));
}

export function dismissAudioReport(cellId: string): void {
  useAudio.setState((s) => ({ report: { ...s.report, [cellId]: undefined } }));
}

export function cancelAnalysis(cellId: string): void {
  const c = controls.get(cellId);
  if (!c) return;
  c.cancelled = true;
  void audioWorker()
    .cancel()
    .catch(() => {});
}

/** Analyse `audio` in the cell; the data files dropped with them are loaded with the result, as one change. */
export async function analyseInCell(cellId: string, audio: readonly PathedFile[], data: readonly { slot: Slot; file: FileText }[]): Promise<void> {
  if (controls.has(cellId) || !audio.length) return;
  const releases: (() => void)[] = [];
  const stored: string[] = [];
  const control = {
    cancelled: false,
    hold: (hs: readonly string[]) => {
      stored.push(...hs);
      releases.push(collector.hold(hs));
    },
  };
  controls.set(cellId, control);
  const setProgress = (p: AnalysisProgress | undefined) => useAudio.setState((s) => ({ progress: { ...s.progress, [cellId]: p } }));
  setProgress({ done: 0, total: audio.length, current: audio[0].path, secondsLeft: null });
  dismissAudioReport(cellId);
  try {
    const r = await analyseFiles(audio, windowOf(useAudio.getState(), cellId), setProgress, control, clipBackend);
    const items = r.features && !r.cancelled ? [...data, { slot: 'features' as const, file: r.features }] : data;
    if (items.length) loadDataFiles(cellId, items);
    const ok = r.clips.filter((c) => c.id).length;
    const report: AudioReport = { clips: r.clips, files: audio.length, ok, ms: r.ms, cancelled: r.cancelled, loaded: !!r.features && !r.cancelled };
    useAudio.setState((s) => ({ report: { ...s.report, [cellId]: report } }));
  } catch (e) {
    const report: AudioReport = { clips: [], files: audio.length, ok: 0, ms: 0, cancelled: false, loaded: false, error: (e as Error)?.message ?? String(e) };
    useAudio.setState((s) => ({ report: { ...s.report, [cellId]: report } }));
    if (data.length) loadDataFiles(cellId, data);
  } finally {
    controls.delete(cellId);
    setProgress(undefined);
    // the set refers to the stored clips now, or never will: those it does not are deleted
    for (const r of releases) r();
    const l = useLab.getState();
    void collector.sweep(stored, { data: l.data, previousData: l.previousData, previous: l.previous });
  }
}

/** Delete stored clips no notebook refers to any more (after changes settle: a notebook being replaced is briefly empty). */
function watchReferences(): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const check = () => {
    timer = null;
    const s = useLab.getState();
    void collector.update({ data: s.data, previousData: s.previousData, previous: s.previous });
  };
  useLab.subscribe((s, prev) => {
    if (s.data === prev.data && s.previousData === prev.previousData && s.previous === prev.previous) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, 1500);
  });
}

if (typeof window !== 'undefined') watchReferences();
