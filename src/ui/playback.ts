/**
 * Playing clips in the lab (issue 13): one shared AudioContext, created or resumed on the user's click (the
 * play click is the gesture), the clip's bytes decoded with decodeAudioData (a few decoded clips are cached),
 * an AudioBufferSourceNode playing the analysis window. One clip plays at a time. Nothing here needs a secure
 * context. `window.__similarityLabPlayback` counts started sources (a test hook).
 */
import { useSyncExternalStore } from 'react';

let ctx: AudioContext | null = null;
let current: { key: string; source: AudioBufferSourceNode } | null = null;
let loadingKey: string | null = null;
const listeners = new Set<() => void>();
const cache = new Map<string, AudioBuffer>();
const CACHE_SIZE = 8;

interface Hook {
  started: number;
  last: string | null;
}
const hook = (): Hook => {
  const g = globalThis as unknown as { __similarityLabPlayback?: Hook };
  g.__similarityLabPlayback ??= { started: 0, last: null };
  return g.__similarityLabPlayback;
};

function emit(): void {
  for (const l of listeners) l();
}

function context(): AudioContext {
  if (!ctx) {
    const Ctx = globalThis.AudioContext ?? (globalThis as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) throw new Error('this browser cannot play audio (no Web Audio API)');
    ctx = new Ctx();
  }
  return ctx;
}

export function stopClip(): void {
  const c = current;
  current = null;
  loadingKey = null;
  if (c) {
    c.source.onended = null;
    try {
      c.source.stop();
    } catch {
      /* already stopped */
    }
  }
  emit();
}

async function decoded(key: string, bytes: () => Promise<ArrayBuffer>): Promise<AudioBuffer> {
  const hit = cache.get(key);
  if (hit) return hit;
  const buf = await context().decodeAudioData(await bytes());
  cache.set(key, buf);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return buf;
}

/**
 * Play the window [from, to) seconds of a clip; `key` names it (one playing at a time: playing another stops
 * this one). Call it from a click handler: the context is created / resumed there.
 */
export async function playClip(key: string, bytes: () => Promise<ArrayBuffer>, from = 0, to = Number.POSITIVE_INFINITY): Promise<void> {
  const ac = context();
  const resumed = ac.state === 'suspended' ? ac.resume() : Promise.resolve();
  stopClip();
  loadingKey = key;
  emit();
  try {
    const [buf] = await Promise.all([decoded(key, bytes), resumed]);
    if (loadingKey !== key) return; // another clip was asked for meanwhile
    const source = ac.createBufferSource();
    source.buffer = buf;
    source.connect(ac.destination);
    const start = Math.min(Math.max(0, from), buf.duration);
    source.start(0, start, Math.max(0, Math.min(to, buf.duration) - start));
    current = { key, source };
    source.onended = () => {
      if (current?.source === source) stopClip();
    };
    const h = hook();
    h.started++;
    h.last = key;
  } finally {
    if (loadingKey === key) loadingKey = null;
    emit();
  }
}

export type PlayState = 'idle' | 'loading' | 'playing';

function stateOf(key: string): PlayState {
  if (current?.key === key) return 'playing';
  return loadingKey === key ? 'loading' : 'idle';
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** Whether the clip `key` plays (re-renders when it starts and stops). */
export function usePlayState(key: string): PlayState {
  return useSyncExternalStore(subscribe, () => stateOf(key));
}
