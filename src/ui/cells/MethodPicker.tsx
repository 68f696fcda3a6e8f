/** The methods of an Experiment or Learning curves cell: one checkbox per method, kept in the method table's order. */
import { ALL_METHODS, METHODS } from '../../core/methods';
import type { MethodId } from '../../core/experiment-types';

export function MethodPicker({ methods, onChange }: { methods: readonly MethodId[]; onChange: (m: MethodId[]) => void }) {
  return (
    <fieldset className="methods">
      <legend>Methods</legend>
      {ALL_METHODS.map((m) => (
        <label key={m} className="check" title={METHODS[m].hint}>
          <input
            type="checkbox"
            checked={methods.includes(m)}
            onChange={(e) => onChange(e.target.checked ? ALL_METHODS.filter((x) => x === m || methods.includes(x)) : methods.filter((x) => x !== m))}
            data-testid={`method-${m}`}
          />{' '}
          {METHODS[m].label}
        </label>
      ))}
    </fieldset>
  );
}
