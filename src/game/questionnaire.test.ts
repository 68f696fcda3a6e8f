import { describe, expect, it } from 'vitest';
import { AGE_BANDS, addQuestion, answerErrors, answersToAttributes, DEFAULT_QUESTIONNAIRE, definitionErrors, removeQuestion } from './questionnaire';
import { RATHER_NOT_SAY } from './types';

describe('questionnaire', () => {
  it('has the issue default questions, all valid', () => {
    expect(definitionErrors(DEFAULT_QUESTIONNAIRE)).toEqual([]);
    expect(DEFAULT_QUESTIONNAIRE.questions.map((q) => q.id)).toEqual([
      'age',
      'gender',
      'occupation',
      'first_language',
      'country_of_birth',
      'country',
      'music_training_years',
      'listening_hours_week',
    ]);
    expect(AGE_BANDS).toEqual(['under 18', '18–25', '26–35', '36–45', '46–55', '56+']);
  });

  it('accepts good answers and "rather not say" for every question', () => {
    expect(answerErrors(DEFAULT_QUESTIONNAIRE, { age: '26–35', first_language: 'Welsh', music_training_years: 4, listening_hours_week: 7.5 })).toEqual([]);
    const all = Object.fromEntries(DEFAULT_QUESTIONNAIRE.questions.map((q) => [q.id, RATHER_NOT_SAY]));
    expect(answerErrors(DEFAULT_QUESTIONNAIRE, all)).toEqual([]);
    expect(answerErrors(DEFAULT_QUESTIONNAIRE, {})).toEqual([]); // optional
  });

  it('names the question and the problem of bad answers', () => {
    const e = answerErrors(DEFAULT_QUESTIONNAIRE, { age: '30', music_training_years: 2.5, listening_hours_week: 200, favourite: 'x', country: '' });
    expect(e.map((x) => x.question).sort()).toEqual(['age', 'country', 'favourite', 'listening_hours_week', 'music_training_years']);
    expect(e.find((x) => x.question === 'age')?.message).toMatch(/Age: "30" is not one of "under 18"/);
    expect(e.find((x) => x.question === 'music_training_years')?.message).toMatch(/whole number/);
    expect(e.find((x) => x.question === 'listening_hours_week')?.message).toMatch(/outside 0–168/);
    expect(e.find((x) => x.question === 'favourite')?.message).toMatch(/not a question/);
  });

  it('lets the organiser add and remove questions, with validation', () => {
    const more = addQuestion(DEFAULT_QUESTIONNAIRE, { id: 'instrument', kind: 'text', label: 'Main instrument', required: true });
    expect(more.questions.at(-1)?.id).toBe('instrument');
    expect(answerErrors(more, {})).toEqual([{ question: 'instrument', message: 'Main instrument: an answer is required ("rather not say" is one)' }]);
    const fewer = removeQuestion(more, 'gender');
    expect(fewer.questions.map((q) => q.id)).not.toContain('gender');
    expect(() => removeQuestion(fewer, 'gender')).toThrow(/no question "gender"/);
    expect(() => addQuestion(DEFAULT_QUESTIONNAIRE, { id: 'age', kind: 'text', label: 'Again' })).toThrow(/used twice/);
    expect(() => addQuestion(DEFAULT_QUESTIONNAIRE, { id: 'bad id', kind: 'text', label: 'x' })).toThrow(/letters, digits/);
    expect(() => addQuestion(DEFAULT_QUESTIONNAIRE, { id: 'user', kind: 'text', label: 'x' })).toThrow(/reserved/);
    expect(() => addQuestion(DEFAULT_QUESTIONNAIRE, { id: 'q', kind: 'choice', label: 'x', options: ['one'] })).toThrow(/two options/);
    expect(() => addQuestion(DEFAULT_QUESTIONNAIRE, { id: 'q', kind: 'choice', label: 'x', options: ['a', RATHER_NOT_SAY] })).toThrow(
      /added to every question/,
    );
    expect(() => addQuestion(DEFAULT_QUESTIONNAIRE, { id: 'q', kind: 'number', label: 'x', min: 5, max: 1 })).toThrow(/min ≤ max/);
  });

  it('turns answers into users-CSV attributes', () => {
    const a = answersToAttributes(DEFAULT_QUESTIONNAIRE, { age: '56+', gender: RATHER_NOT_SAY, music_training_years: 3 });
    expect(a).toMatchObject({ age: '56+', gender: RATHER_NOT_SAY, music_training_years: '3', country: '' });
    expect(Object.keys(a)).toHaveLength(8);
    expect(answersToAttributes(DEFAULT_QUESTIONNAIRE, { gender: RATHER_NOT_SAY }, true).gender).toBe('');
  });
});
