/**
 * The organiser's session form as plain data: the draft holds what is typed (text, so a half-typed number is
 * kept and named), `draftSettings` turns it into SessionSettings and files every problem of sessionErrors
 * (src/game/session.ts) under the field it concerns, worded with the field's label.
 */
import { DEFAULTS, DEFAULT_QUESTIONNAIRE, type QuestionnaireDefinition, type SessionSettings, sessionErrors, sessionId, randomId } from '../../../game';

export type Field =
  | 'name'
  | 'clipSetId'
  | 'seed'
  | 'roundsPerMatch'
  | 'voteSeconds'
  | 'excerptSeconds'
  | 'excerptOffsetSeconds'
  | 'catchRate'
  | 'seats'
  | 'questionnaire'
  | 'other';

export const FIELD_LABELS: Record<Field, string> = {
  name: 'Session name',
  clipSetId: 'Clip set',
  seed: 'Seed',
  roundsPerMatch: 'Rounds per match',
  voteSeconds: 'Seconds to vote',
  excerptSeconds: 'Excerpt length (s)',
  excerptOffsetSeconds: 'Excerpt starts at (s)',
  catchRate: 'Catch trials (% of rounds)',
  seats: 'Seats at a table',
  questionnaire: 'Questionnaire',
  other: 'Settings',
};

export interface SetupDraft {
  readonly name: string;
  readonly clipSetId: string;
  readonly seed: string;
  readonly roundsPerMatch: string;
  readonly voteSeconds: string;
  readonly excerptSeconds: string;
  readonly excerptOffsetSeconds: string;
  /** percent of rounds */
  readonly catchRate: string;
  readonly seats: string;
  readonly questionnaire: QuestionnaireDefinition;
}

/** A percentage as typed in the form (at most 2 decimals, no trailing zeros). */
export const percentText = (rate: number): string => String(Math.round(rate * 10000) / 100);

/** A fresh random seed: 6 characters, easy to read out. */
export function newSeed(): string {
  return randomId()
    .replace(/[^a-z0-9]/gi, '')
    .slice(0, 6)
    .toLowerCase();
}

export function draftOf(s: SessionSettings): SetupDraft {
  return {
    name: s.name,
    clipSetId: s.clipSetId,
    seed: s.seed,
    roundsPerMatch: String(s.roundsPerMatch),
    voteSeconds: String(s.voteSeconds),
    excerptSeconds: String(s.excerptSeconds),
    excerptOffsetSeconds: String(s.excerptOffsetSeconds),
    catchRate: percentText(s.catchRate),
    seats: String(s.seats),
    questionnaire: s.questionnaire,
  };
}

const DEFAULT_GROWTH = { coverage: DEFAULTS.coverage, minVotes: DEFAULTS.minVotes, batch: DEFAULTS.batch };

const num = (t: string): number => (t.trim() === '' ? Number.NaN : Number(t));

/** Which field a sessionErrors message concerns, and the message worded for the form. */
export function fieldOfError(message: string): { field: Field; text: string } {
  const m = /^(name|clipSetId|clipIds|seed|roundsPerMatch|voteSeconds|excerptSeconds|excerptOffsetSeconds|catchRate|seats)\b\s*(.*)$/.exec(message);
  if (m) {
    const field = (m[1] === 'clipIds' ? 'clipSetId' : m[1]) as Field;
    let text = m[2];
    if (field === 'catchRate') text = text.replace('from 0 to 0.5', 'from 0 % to 50 %');
    return { field, text: `${FIELD_LABELS[field]}: ${text}` };
  }
  if (message.startsWith('a session needs at least 3 clips')) return { field: 'clipSetId', text: `${FIELD_LABELS.clipSetId}: ${message}` };
  if (message.startsWith('questionnaire')) return { field: 'questionnaire', text: message };
  return { field: 'other', text: message };
}

export interface DraftResult {
  /** null while any field has a problem */
  readonly settings: SessionSettings | null;
  readonly errors: Partial<Record<Field, string[]>>;
}

/**
 * The settings of a draft for a session `base` (its id and growth rule are kept while the clip set stays;
 * a new clip set gets the default initial pool for its size). `clipIds`: the ids of the draft's clip set.
 */
export function draftSettings(d: SetupDraft, clipIds: readonly string[], base: SessionSettings | null): DraftResult {
  const sameClips = base !== null && base.clipSetId === d.clipSetId && base.clipIds.length === clipIds.length;
  const rate = base && d.catchRate.trim() === percentText(base.catchRate) ? base.catchRate : num(d.catchRate) / 100;
  const settings: SessionSettings = {
    version: 1,
    id: base?.id ?? sessionId(`s-${randomId()}`),
    name: d.name.trim(),
    clipSetId: d.clipSetId,
    clipIds: [...clipIds],
    seed: d.seed.trim(),
    roundsPerMatch: num(d.roundsPerMatch),
    voteSeconds: num(d.voteSeconds),
    excerptSeconds: num(d.excerptSeconds),
    excerptOffsetSeconds: num(d.excerptOffsetSeconds),
    catchRate: rate,
    seats: num(d.seats),
    growth: sameClips && base ? base.growth : { ...(base?.growth ?? DEFAULT_GROWTH), initialTriplets: Math.max(1, Math.ceil(clipIds.length / 3)) },
    questionnaire: d.questionnaire ?? DEFAULT_QUESTIONNAIRE,
  };
  const errors: Partial<Record<Field, string[]>> = {};
  for (const m of sessionErrors(settings)) {
    const { field, text } = fieldOfError(m);
    errors[field] = [...(errors[field] ?? []), text];
  }
  return { settings: Object.keys(errors).length ? null : settings, errors };
}

/** Settings that decide which triplets are played: changing them once votes exist starts a new session. */
export function scheduleChanged(a: SessionSettings, b: SessionSettings): boolean {
  return (
    a.clipSetId !== b.clipSetId ||
    a.seed !== b.seed ||
    a.clipIds.join('\u0000') !== b.clipIds.join('\u0000') ||
    a.catchRate !== b.catchRate ||
    a.seats !== b.seats ||
    JSON.stringify(a.growth) !== JSON.stringify(b.growth) ||
    JSON.stringify(a.questionnaire) !== JSON.stringify(b.questionnaire)
  );
}

/** A file-name-safe slug of the session name ("Workshop 3 – Tuesday" → "workshop-3-tuesday"). */
export function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return s || 'session';
}

/** `<slug>-<YYYY-MM-DD>-<what>` for downloads. */
export function exportName(sessionName: string, date: Date, what: string): string {
  const d = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  return `${slug(sessionName)}-${d}-${what}`;
}
