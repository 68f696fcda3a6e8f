/**
 * Session settings with the defaults, and their validation (used when a session is created, loaded
 * from a file or decoded from a join link).
 */
import { DEFAULT_QUESTIONNAIRE, definitionErrors } from './questionnaire';
import { type GrowthRule, randomId, type SessionSettings, sessionId } from './types';

/** CASimIR's defaults: 45 s to vote (BasicoooCaller::$latestEntryTime), 4 players a match, a red herring one time in 15. */
export const DEFAULTS = {
  roundsPerMatch: 10,
  voteSeconds: 45,
  excerptSeconds: 15,
  excerptOffsetSeconds: 0,
  catchRate: 1 / 15,
  seats: 4,
  /** XpercentVotedNTimes(70, 2) in MainServer::addingTripletStrategy */
  coverage: 0.7,
  minVotes: 2,
  batch: 1,
} as const;

export type SessionInput = Partial<Omit<SessionSettings, 'growth' | 'version'>> & {
  readonly clipSetId: string;
  readonly clipIds: readonly string[];
  readonly growth?: Partial<GrowthRule>;
};

/** Settings with every unset field at its default; throws with all problems when the result is invalid. */
export function createSession(input: SessionInput): SessionSettings {
  const s: SessionSettings = {
    version: 1,
    id: input.id ?? sessionId(`s-${randomId()}`),
    name: input.name ?? 'Spot the odd song out',
    clipSetId: input.clipSetId,
    clipIds: [...input.clipIds],
    seed: input.seed ?? '1',
    roundsPerMatch: input.roundsPerMatch ?? DEFAULTS.roundsPerMatch,
    voteSeconds: input.voteSeconds ?? DEFAULTS.voteSeconds,
    excerptSeconds: input.excerptSeconds ?? DEFAULTS.excerptSeconds,
    excerptOffsetSeconds: input.excerptOffsetSeconds ?? DEFAULTS.excerptOffsetSeconds,
    catchRate: input.catchRate ?? DEFAULTS.catchRate,
    seats: input.seats ?? DEFAULTS.seats,
    growth: {
      initialTriplets: input.growth?.initialTriplets ?? Math.max(1, Math.ceil(input.clipIds.length / 3)),
      coverage: input.growth?.coverage ?? DEFAULTS.coverage,
      minVotes: input.growth?.minVotes ?? DEFAULTS.minVotes,
      batch: input.growth?.batch ?? DEFAULTS.batch,
    },
    questionnaire: input.questionnaire ?? DEFAULT_QUESTIONNAIRE,
  };
  const errors = sessionErrors(s);
  if (errors.length) throw new Error(`invalid session settings: ${errors.join('; ')}`);
  return s;
}

const isInt = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isNum = (v: unknown, min: number, max: number): boolean => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;

/** Every problem of a settings object (empty when valid); tolerant of any input shape. */
export function sessionErrors(s: SessionSettings): string[] {
  const e: string[] = [];
  if (s === null || typeof s !== 'object') return ['session settings are not an object'];
  if (s.version !== 1) e.push(`version ${String(s.version)} is not supported (expected 1)`);
  for (const k of ['id', 'name', 'clipSetId', 'seed'] as const) if (typeof s[k] !== 'string' || s[k] === '') e.push(`${k} must be a non-empty string`);
  if (!Array.isArray(s.clipIds) || s.clipIds.some((c) => typeof c !== 'string' || c === '')) e.push('clipIds must be a list of non-empty strings');
  else {
    if (new Set(s.clipIds).size !== s.clipIds.length) e.push('clipIds repeat');
    if (s.clipIds.length < 3) e.push(`a session needs at least 3 clips, it has ${s.clipIds.length}`);
  }
  if (!isInt(s.roundsPerMatch, 1, 1000)) e.push('roundsPerMatch must be a whole number from 1 to 1000');
  if (!isNum(s.voteSeconds, 1, 3600)) e.push('voteSeconds must be from 1 to 3600');
  if (!isNum(s.excerptSeconds, 0.5, 600)) e.push('excerptSeconds must be from 0.5 to 600');
  if (!isNum(s.excerptOffsetSeconds, 0, 36000)) e.push('excerptOffsetSeconds must be ≥ 0');
  if (!isNum(s.catchRate, 0, 0.5)) e.push('catchRate must be from 0 to 0.5');
  if (!isInt(s.seats, 1, 16)) e.push('seats must be a whole number from 1 to 16');
  const g = s.growth;
  if (!g || typeof g !== 'object') e.push('growth rule is missing');
  else {
    if (!isInt(g.initialTriplets, 1)) e.push('growth.initialTriplets must be a whole number ≥ 1');
    if (!isNum(g.coverage, 0.01, 1)) e.push('growth.coverage must be from 0.01 to 1 (0 would grow the pool without end)');
    if (!isInt(g.minVotes, 1)) e.push('growth.minVotes must be a whole number ≥ 1');
    if (!isInt(g.batch, 1)) e.push('growth.batch must be a whole number ≥ 1');
  }
  if (!s.questionnaire || typeof s.questionnaire !== 'object') e.push('questionnaire is missing');
  else e.push(...definitionErrors(s.questionnaire).map((m) => `questionnaire: ${m}`));
  return e;
}
