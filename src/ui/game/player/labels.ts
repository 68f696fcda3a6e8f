/** Short texts shared by the player views. */
import type { Player, SessionSettings } from '../../../game';
import { bundledClipSet } from '../clip-source';

/** The part of an anonymous id a person can read out: p-3f2a9c1e… → 3f2a9c1e. */
export const shortId = (id: string): string => id.replace(/^p-/, '').slice(0, 8);

/** "Player 2 · 3f2a9c1e" (numbered in the order players joined on this device). */
export function playerLabel(players: readonly Player[], id: string): string {
  const i = players.findIndex((p) => p.id === id);
  return `${i >= 0 ? `Player ${i + 1}` : 'Player'} · ${shortId(id)}`;
}

export function clipSetLabel(id: string): string {
  return bundledClipSet(id)?.label ?? (id.startsWith('own:') ? `your audio from the lab (${id})` : `own clips "${id}"`);
}

export function settingsLine(s: SessionSettings): string {
  return `${s.roundsPerMatch} rounds · ${s.voteSeconds} s to vote · excerpts of ${s.excerptSeconds} s · ${s.clipIds.length} clips · seed ${s.seed}`;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
