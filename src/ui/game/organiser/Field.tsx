/** A labelled text / number input of the organiser's form, with its problems shown right under it. */
import { useId } from 'react';

export function Field(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  errors?: readonly string[];
  hint?: string;
  type?: 'text' | 'number';
  step?: string;
  testId?: string;
  width?: string;
  children?: React.ReactNode;
}) {
  const id = useId();
  const bad = (props.errors?.length ?? 0) > 0;
  const described = [props.hint ? `${id}-hint` : '', bad ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <span className="field-input">
        <input
          id={id}
          type={props.type ?? 'text'}
          inputMode={props.type === 'number' ? 'decimal' : undefined}
          step={props.step}
          value={props.value}
          style={props.width ? { width: props.width } : undefined}
          aria-invalid={bad}
          aria-describedby={described}
          data-testid={props.testId}
          onChange={(e) => props.onChange(e.target.value)}
        />
        {props.children}
      </span>
      {props.hint && (
        <span id={`${id}-hint`} className="hint">
          {props.hint}
        </span>
      )}
      {bad && (
        <span id={`${id}-err`} className="field-error" role="alert" data-testid={props.testId ? `${props.testId}-error` : undefined}>
          {props.errors?.join(' ')}
        </span>
      )}
    </div>
  );
}
