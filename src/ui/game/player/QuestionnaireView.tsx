/** The session's optional questionnaire (every answer may be "rather not say"); saved with the anonymous id only. */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { type Answers, answerErrors, type Question, type QuestionnaireDefinition, RATHER_NOT_SAY } from '../../../game';
import { shortId } from './labels';
import { submitAnswers } from './player-store';
import { QuestionField } from './QuestionField';

/** What the fields hold → answers: empty fields are left out, numbers parsed (bad text becomes NaN, which answerErrors names). */
export function toAnswers(questions: readonly Question[], values: Readonly<Record<string, string>>): Answers {
  const out: Record<string, string | number> = {};
  for (const q of questions) {
    const v = (values[q.id] ?? '').trim();
    if (v === '') continue;
    out[q.id] = v === RATHER_NOT_SAY || q.kind !== 'number' ? v : Number(v.replace(',', '.'));
  }
  return out;
}

/** `onSubmit` (default: the offline player's save) gets the checked answers. */
export function QuestionnaireView({
  def,
  draftId,
  error,
  onSubmit = submitAnswers,
}: {
  def: QuestionnaireDefinition;
  draftId: string;
  error: string | null;
  onSubmit?: (answers: Answers) => Promise<void>;
}) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const h = useRef<HTMLHeadingElement>(null);
  useEffect(() => h.current?.focus(), []);

  const submit = async (e: FormEvent, skip = false) => {
    e.preventDefault();
    const answers = skip ? {} : toAnswers(def.questions, values);
    const found = answerErrors(def, answers);
    setErrors(Object.fromEntries(found.map((x) => [x.question, x.message])));
    if (found.length) {
      document.getElementById(`q-${found[0].question}`)?.focus();
      return;
    }
    setBusy(true);
    await onSubmit(answers);
    setBusy(false);
  };
  const required = def.questions.some((q) => q.required);

  return (
    <form className="game-card questionnaire" aria-labelledby="quest-h" onSubmit={submit} noValidate data-testid="questionnaire">
      <h2 id="quest-h" ref={h} tabIndex={-1}>
        About you (optional)
      </h2>
      <p className="muted">
        Your anonymous id: <code data-testid="anon-id">{shortId(draftId)}</code>. Answer what you like; leave a question empty or pick “rather not say”.
      </p>
      {def.questions.map((q) => (
        <QuestionField key={q.id} q={q} value={values[q.id] ?? ''} error={errors[q.id]} onChange={(v) => setValues((old) => ({ ...old, [q.id]: v }))} />
      ))}
      {error && (
        <p className="game-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary big" disabled={busy} data-testid="answers-save">
          Save and continue
        </button>
        {!required && (
          <button type="button" className="big" disabled={busy} onClick={(e) => submit(e, true)}>
            Skip the questions
          </button>
        )}
      </div>
    </form>
  );
}
