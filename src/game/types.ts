/**
 * Types of the listening game "Spot the Odd Song Out" (issue 14): session settings, triplets, vote records,
 * players and the questionnaire definition. Pure data: everything here is JSON-serialisable so that it can be
 * saved (IndexedDB, SQLite), shared (file, link, QR code) and merged across devices.
 *
 * Modelled on the original CASimIR game (github:citymirg/casimir): a vote there stored the triplet, the chosen
 * song, per-song play times and the total time (server/ooo/stat_voteSelection/class.VoteSubsetDistribution.php
 * selects on song1PlayTime … totalTime); a timeout was stored as songChosenId = −1
 * (camir_gameServer/UserConnection/moduleCallerDefinitions/moduleCaller.basicooo.php).
 */

declare const brand: unique symbol;
/** A string that the type checker keeps apart from other strings (no runtime cost). */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type SessionId = Brand<string, 'SessionId'>;
export type PlayerId = Brand<string, 'PlayerId'>;
export type MatchId = Brand<string, 'MatchId'>;
export type VoteId = Brand<string, 'VoteId'>;
export type TripletId = Brand<string, 'TripletId'>;
/** Clip ids are the ids of the clip set's features file (plain strings, as in src/core). */
export type ClipId = string;

export const sessionId = (s: string): SessionId => s as SessionId;
export const playerId = (s: string): PlayerId => s as PlayerId;
export const matchId = (s: string): MatchId => s as MatchId;
export const voteId = (s: string): VoteId => s as VoteId;
export const tripletId = (s: string): TripletId => s as TripletId;

/** A random id (UUID v4 when the platform has crypto.randomUUID, else time + Math.random). Client-side ids make votes idempotent. */
export function randomId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}-${Math.random().toString(36).slice(2, 12)}`;
}

// ---------------------------------------------------------------------------------------------- questionnaire

/** The answer every question offers besides its own options. */
export const RATHER_NOT_SAY = 'rather not say';

interface QuestionBase {
  /** column name in the users CSV: letters, digits, `_` */
  readonly id: string;
  /** the question as shown */
  readonly label: string;
  /** a required question must be answered (possibly with "rather not say"); default false */
  readonly required?: boolean;
}
export interface ChoiceQuestion extends QuestionBase {
  readonly kind: 'choice';
  readonly options: readonly string[];
}
export interface TextQuestion extends QuestionBase {
  readonly kind: 'text';
  /** default 80 */
  readonly maxLength?: number;
}
export interface NumberQuestion extends QuestionBase {
  readonly kind: 'number';
  readonly min: number;
  readonly max: number;
  /** default true */
  readonly integer?: boolean;
}
export type Question = ChoiceQuestion | TextQuestion | NumberQuestion;

export interface QuestionnaireDefinition {
  readonly version: 1;
  readonly questions: readonly Question[];
}

/** question id → answer; a number question's answer is a number, every answer may be RATHER_NOT_SAY; unanswered questions are absent. */
export type Answers = Readonly<Record<string, string | number>>;

// ---------------------------------------------------------------------------------------------- session

/** The growth rule of the triplet pool (CASimIR's MainServer::addingTripletStrategy: XpercentVotedNTimes(70, 2)). */
export interface GrowthRule {
  /** triplets active at the start; default: enough for every clip to appear once, ⌈clips / 3⌉ */
  readonly initialTriplets: number;
  /** share of the active triplets that must have ≥ minVotes votes before the pool grows (0.7) */
  readonly coverage: number;
  /** votes a triplet needs to count as covered (2) */
  readonly minVotes: number;
  /** triplets added each time the rule fires (1, as in the original) */
  readonly batch: number;
}

export interface SessionSettings {
  /** format version of this object */
  readonly version: 1;
  readonly id: SessionId;
  readonly name: string;
  /** id of a bundled clip set, or of the organiser's own clips */
  readonly clipSetId: string;
  readonly clipIds: readonly ClipId[];
  /** seeds the triplet pool, the presentation orders, the catch trials and the AI seats */
  readonly seed: string;
  /** rounds per match (10) */
  readonly roundsPerMatch: number;
  /** voting closes after this many seconds (45) */
  readonly voteSeconds: number;
  /** length of the excerpt each clip plays (15 s) and where it starts */
  readonly excerptSeconds: number;
  readonly excerptOffsetSeconds: number;
  /** share of rounds that are catch trials (≈ 1/15, the original's oneOutOf(15)) */
  readonly catchRate: number;
  /** players at a table, humans + AI seats (4, CASimIR's Match::$maxPlayers) */
  readonly seats: number;
  readonly growth: GrowthRule;
  readonly questionnaire: QuestionnaireDefinition;
}

// ---------------------------------------------------------------------------------------------- triplets, votes

export type Index3 = 0 | 1 | 2;

/** Three clips to compare. A catch trial ("red herring") has two identical clips and one different one. */
export interface Triplet {
  readonly id: TripletId;
  readonly clips: readonly [ClipId, ClipId, ClipId];
  readonly catch: boolean;
  /** catch trials: index into `clips` of the clip that differs */
  readonly differs?: Index3;
}

/** One round's outcome, saved as it is made. */
export interface VoteRecord {
  /** generated on the client: duplicates across devices and retries are recognised by it */
  readonly id: VoteId;
  readonly session: SessionId;
  readonly player: PlayerId;
  readonly match: MatchId;
  /** 0-based round within the match */
  readonly round: number;
  readonly triplet: TripletId;
  /** the clips in the order they were shown (a permutation of the triplet's clips) */
  readonly clips: readonly [ClipId, ClipId, ClipId];
  /** index into `clips` of the clip picked as odd one out; null on a timeout */
  readonly choice: Index3 | null;
  /** the picked clip's id (null on a timeout) */
  readonly choiceClip: ClipId | null;
  readonly timeout: boolean;
  /** ms from the start of the round to the vote (to the close of voting on a timeout) */
  readonly rtMs: number;
  /** ms each shown clip played, parallel to `clips` */
  readonly playMs: readonly [number, number, number];
  /** indices into `clips` in the order playback was started (replays included) */
  readonly playOrder: readonly Index3[];
  readonly catch: boolean;
  /** catch trials: index into `clips` of the clip that differs */
  readonly differs?: Index3;
  /** epoch ms when the vote was made */
  readonly at: number;
}

/** An anonymous player: an id, the questionnaire answers, flags set by the organiser or by catch trials. */
export interface Player {
  readonly id: PlayerId;
  readonly session: SessionId;
  readonly answers: Answers;
  /** consent given before the first match */
  readonly consent: boolean;
  /** e.g. 'excluded' set by the organiser (catch-trial failure is computed from the votes, see scoring.ts) */
  readonly flags: readonly string[];
}
