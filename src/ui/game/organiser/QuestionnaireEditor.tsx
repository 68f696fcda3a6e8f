/** The organiser's questionnaire: the questions listed with Remove, a form to add one (questionnaire.ts checks it), the default set back. */
import { useId, useState } from 'react';
import { addQuestion, DEFAULT_QUESTIONNAIRE, type Question, type QuestionnaireDefinition, RATHER_NOT_SAY, removeQuestion } from '../../../game';

function questionSummary(q: Question): string {
  if (q.kind === 'choice') return `choice: ${q.options.join(' · ')}`;
  if (q.kind === 'number') return `number ${q.min}–${q.max}${q.integer === false ? '' : ', whole'}`;
  return `text, up to ${q.maxLength ?? 80} characters`;
}

export function QuestionnaireEditor({
  value,
  onChange,
  errors,
}: {
  value: QuestionnaireDefinition;
  onChange: (q: QuestionnaireDefinition) => void;
  errors?: readonly string[];
}) {
  const isDefault = JSON.stringify(value) === JSON.stringify(DEFAULT_QUESTIONNAIRE);
  return (
    <fieldset className="questionnaire-editor" data-testid="questionnaire-editor">
      <legend>Questionnaire (anonymous, before the first match)</legend>
      <p className="hint">
        Every question also offers "{RATHER_NOT_SAY}". Answers are stored with the player's anonymous id only; each one can group the analysis.
      </p>
      <ol className="question-list">
        {value.questions.map((q) => (
          <li key={q.id} data-testid="question">
            <strong>{q.label}</strong> <code>{q.id}</code> <span className="muted">{questionSummary(q)}</span>{' '}
            <button type="button" className="danger" aria-label={`Remove the question ${q.label}`} onClick={() => onChange(removeQuestion(value, q.id))}>
              Remove
            </button>
          </li>
        ))}
      </ol>
      {value.questions.length === 0 && <p className="hint">No questions: players go straight to the game, and the analysis has no groups.</p>}
      {errors?.length ? (
        <p className="field-error" role="alert">
          {errors.join(' ')}
        </p>
      ) : null}
      <AddQuestion value={value} onChange={onChange} />
      {!isDefault && (
        <button type="button" onClick={() => onChange(DEFAULT_QUESTIONNAIRE)} data-testid="questionnaire-default">
          Back to the default questions
        </button>
      )}
    </fieldset>
  );
}

function buildQuestion(kind: Question['kind'], id: string, label: string, options: string, min: string, max: string): Question {
  if (kind === 'choice')
    return {
      id,
      label,
      kind,
      options: options
        .split(/[,;\n]/)
        .map((o) => o.trim())
        .filter(Boolean),
    };
  if (kind === 'number')
    return { id, label, kind, min: min.trim() === '' ? Number.NaN : Number(min), max: max.trim() === '' ? Number.NaN : Number(max), integer: false };
  return { id, label, kind, maxLength: 80 };
}

function AddQuestion({ value, onChange }: { value: QuestionnaireDefinition; onChange: (q: QuestionnaireDefinition) => void }) {
  const uid = useId();
  const [label, setLabel] = useState('');
  const [id, setId] = useState('');
  const [kind, setKind] = useState<Question['kind']>('choice');
  const [options, setOptions] = useState('');
  const [min, setMin] = useState('0');
  const [max, setMax] = useState('100');
  const [error, setError] = useState<string | null>(null);
  const autoId = label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^(\d)/, 'q$1')
    .slice(0, 40);
  const add = () => {
    try {
      onChange(addQuestion(value, buildQuestion(kind, id.trim() || autoId, label.trim(), options, min, max)));
      setLabel('');
      setId('');
      setOptions('');
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <details className="add-question">
      <summary>Add a question</summary>
      <div className="row">
        <div className="field">
          <label htmlFor={`${uid}-l`}>Question</label>
          <input id={`${uid}-l`} value={label} onChange={(e) => setLabel(e.target.value)} data-testid="new-question-label" />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-i`}>Column name</label>
          <input id={`${uid}-i`} value={id} placeholder={autoId || 'e.g. instrument'} onChange={(e) => setId(e.target.value)} data-testid="new-question-id" />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-k`}>Answer</label>
          <select id={`${uid}-k`} value={kind} onChange={(e) => setKind(e.target.value as Question['kind'])} data-testid="new-question-kind">
            <option value="choice">one of a list</option>
            <option value="text">free text</option>
            <option value="number">a number</option>
          </select>
        </div>
        {kind === 'choice' && (
          <div className="field">
            <label htmlFor={`${uid}-o`}>Options (comma-separated)</label>
            <input id={`${uid}-o`} value={options} onChange={(e) => setOptions(e.target.value)} data-testid="new-question-options" />
          </div>
        )}
        {kind === 'number' && (
          <>
            <div className="field">
              <label htmlFor={`${uid}-min`}>From</label>
              <input id={`${uid}-min`} type="number" value={min} onChange={(e) => setMin(e.target.value)} style={{ width: '6rem' }} />
            </div>
            <div className="field">
              <label htmlFor={`${uid}-max`}>To</label>
              <input id={`${uid}-max`} type="number" value={max} onChange={(e) => setMax(e.target.value)} style={{ width: '6rem' }} />
            </div>
          </>
        )}
      </div>
      <button type="button" onClick={add} disabled={label.trim() === ''} data-testid="add-question">
        Add the question
      </button>
      {error && (
        <p className="field-error" role="alert" data-testid="add-question-error">
          {error}
        </p>
      )}
    </details>
  );
}
