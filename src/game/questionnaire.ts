/**
 * The anonymous questionnaire before the first match (issue 14): the default questions, the organiser's
 * add/remove, validation of a definition and of a player's answers (errors name the question), and the answers
 * as users-CSV attributes. Every question offers "rather not say" (RATHER_NOT_SAY).
 *
 * The original game asked for age, gender, occupation, languages and location in its sign-up form
 * (github:citymirg/casimir camir_gameClient/templates/form.html); the bands below are the issue's.
 */
import { type Answers, type Question, type QuestionnaireDefinition, RATHER_NOT_SAY } from './types';

export const AGE_BANDS = ['under 18', '18–25', '26–35', '36–45', '46–55', '56+'] as const;

export const DEFAULT_QUESTIONS: readonly Question[] = [
  { id: 'age', kind: 'choice', label: 'Age', options: AGE_BANDS },
  { id: 'gender', kind: 'choice', label: 'Gender', options: ['woman', 'man', 'non-binary', 'other'] },
  {
    id: 'occupation',
    kind: 'choice',
    label: 'Occupation or sector',
    options: [
      'student',
      'education',
      'arts and media',
      'science and technology',
      'health',
      'business and services',
      'trades and manufacturing',
      'retired',
      'other',
    ],
  },
  { id: 'first_language', kind: 'text', label: 'First language', maxLength: 60 },
  { id: 'country_of_birth', kind: 'text', label: 'Country of birth', maxLength: 60 },
  { id: 'country', kind: 'text', label: 'Country you live in now', maxLength: 60 },
  { id: 'music_training_years', kind: 'number', label: 'Years of music training', min: 0, max: 90, integer: true },
  { id: 'listening_hours_week', kind: 'number', label: 'Hours of music listening per week', min: 0, max: 168, integer: false },
];

export const DEFAULT_QUESTIONNAIRE: QuestionnaireDefinition = { version: 1, questions: DEFAULT_QUESTIONS };

const ID = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
/** Column names the lab's votes/users CSV already uses. */
const RESERVED = new Set(['user', 'a', 'b', 'c', 'odd', 'flagged']);

/** Problems of a definition (empty when it is valid): ids, duplicates, options, ranges. */
export function definitionErrors(def: QuestionnaireDefinition): string[] {
  const errors: string[] = [];
  if (def.version !== 1) errors.push(`questionnaire version ${String(def.version)} is not supported (expected 1)`);
  if (!Array.isArray(def.questions)) return [...errors, 'questionnaire has no list of questions'];
  const seen = new Set<string>();
  for (const q of def.questions) {
    const name = `question "${String(q?.id)}"`;
    if (typeof q?.id !== 'string' || !ID.test(q.id)) errors.push(`${name}: id must start with a letter and hold only letters, digits and _ (≤ 40)`);
    else if (RESERVED.has(q.id.toLowerCase())) errors.push(`${name}: id is reserved by the lab's CSV columns`);
    if (seen.has(String(q?.id).toLowerCase())) errors.push(`${name}: id is used twice`);
    seen.add(String(q?.id).toLowerCase());
    if (typeof q?.label !== 'string' || q.label.trim() === '') errors.push(`${name}: label is empty`);
    if (q?.kind === 'choice') {
      const opts = Array.isArray(q.options) ? q.options : [];
      if (opts.length < 2) errors.push(`${name}: a choice needs at least two options`);
      if (new Set(opts).size !== opts.length) errors.push(`${name}: options repeat`);
      if (opts.includes(RATHER_NOT_SAY)) errors.push(`${name}: "${RATHER_NOT_SAY}" is added to every question, do not list it`);
    } else if (q?.kind === 'number') {
      if (!(Number.isFinite(q.min) && Number.isFinite(q.max) && q.min <= q.max)) errors.push(`${name}: needs finite min ≤ max`);
    } else if (q?.kind !== 'text') errors.push(`${name}: kind must be choice, text or number`);
  }
  return errors;
}

/** A copy with `q` added (at `index`, default the end); throws with the problems when the result is invalid. */
export function addQuestion(def: QuestionnaireDefinition, q: Question, index = def.questions.length): QuestionnaireDefinition {
  const questions = [...def.questions];
  questions.splice(index, 0, q);
  const next: QuestionnaireDefinition = { version: 1, questions };
  const errors = definitionErrors(next);
  if (errors.length) throw new Error(`cannot add question "${q.id}": ${errors.join('; ')}`);
  return next;
}

/** A copy without question `id`; throws when there is no such question. */
export function removeQuestion(def: QuestionnaireDefinition, id: string): QuestionnaireDefinition {
  if (!def.questions.some((q) => q.id === id)) throw new Error(`no question "${id}" to remove (questions: ${def.questions.map((q) => q.id).join(', ')})`);
  return { version: 1, questions: def.questions.filter((q) => q.id !== id) };
}

/** The problem of one answer, or null when it is acceptable. */
function answerError(q: Question, v: string | number): string | null {
  if (v === RATHER_NOT_SAY) return null;
  if (q.kind === 'choice')
    return typeof v === 'string' && q.options.includes(v)
      ? null
      : `"${String(v)}" is not one of ${[...q.options, RATHER_NOT_SAY].map((o) => `"${o}"`).join(', ')}`;
  if (q.kind === 'text') {
    if (typeof v !== 'string' || v.trim() === '') return 'expected some text';
    const max = q.maxLength ?? 80;
    return v.length > max ? `is ${v.length} characters long, at most ${max} allowed` : null;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return `expected a number from ${q.min} to ${q.max}`;
  if ((q.integer ?? true) && !Number.isInteger(v)) return `expected a whole number, got ${v}`;
  return v < q.min || v > q.max ? `${v} is outside ${q.min}–${q.max}` : null;
}

export interface AnswerError {
  readonly question: string;
  readonly message: string;
}

/** Problems of a player's answers (empty when valid): unknown questions, bad values, missing required answers. */
export function answerErrors(def: QuestionnaireDefinition, answers: Answers): AnswerError[] {
  const byId = new Map(def.questions.map((q) => [q.id, q]));
  const errors: AnswerError[] = [];
  for (const [id, v] of Object.entries(answers)) {
    const q = byId.get(id);
    if (!q) errors.push({ question: id, message: 'is not a question of this questionnaire' });
    else {
      const e = answerError(q, v);
      if (e) errors.push({ question: id, message: `${q.label}: ${e}` });
    }
  }
  for (const q of def.questions) {
    if (q.required && !(q.id in answers)) errors.push({ question: q.id, message: `${q.label}: an answer is required ("${RATHER_NOT_SAY}" is one)` });
  }
  return errors;
}

/**
 * The answers as users-CSV attributes (one column per question, in the definition's order). Unanswered
 * questions are empty cells ("not annotated"); "rather not say" is kept as its own value unless
 * `ratherNotSayAsEmpty`, which turns it into an empty cell too.
 */
export function answersToAttributes(def: QuestionnaireDefinition, answers: Answers, ratherNotSayAsEmpty = false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const q of def.questions) {
    const v = answers[q.id];
    out[q.id] = v === undefined || (ratherNotSayAsEmpty && v === RATHER_NOT_SAY) ? '' : String(v);
  }
  return out;
}
