/** One questionnaire field: a choice (select) or a text / number input, each with "rather not say"; its error beside it. */
import { type Question, RATHER_NOT_SAY } from '../../../game';

export interface FieldProps {
  readonly q: Question;
  /** what the field holds: '' unanswered, RATHER_NOT_SAY, an option, or the typed text */
  readonly value: string;
  readonly error?: string;
  readonly onChange: (v: string) => void;
}

export function QuestionField({ q, value, error, onChange }: FieldProps) {
  const id = `q-${q.id}`;
  const errId = `${id}-err`;
  const common = { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? errId : undefined } as const;
  const rns = value === RATHER_NOT_SAY;
  return (
    <div className="q-field" data-question={q.id}>
      <label htmlFor={id}>
        {q.label}
        {q.kind === 'number' && (
          <span className="muted">
            {' '}
            ({q.min}–{q.max})
          </span>
        )}
        {q.required ? <span className="muted"> (required)</span> : null}
      </label>
      {q.kind === 'choice' ? (
        <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">— no answer —</option>
          {q.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
          <option value={RATHER_NOT_SAY}>rather not say</option>
        </select>
      ) : (
        <div className="q-row">
          <input
            {...common}
            type="text"
            inputMode={q.kind === 'number' ? 'decimal' : 'text'}
            autoComplete="off"
            value={rns ? '' : value}
            disabled={rns}
            maxLength={q.kind === 'text' ? (q.maxLength ?? 80) + 20 : 12}
            onChange={(e) => onChange(e.target.value)}
          />
          <label className="rns">
            <input type="checkbox" checked={rns} onChange={(e) => onChange(e.target.checked ? RATHER_NOT_SAY : '')} /> rather not say
          </label>
        </div>
      )}
      {error && (
        <p id={errId} className="game-error field-error">
          {error}
        </p>
      )}
    </div>
  );
}
