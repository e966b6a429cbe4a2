// A number field that commits on blur or Enter, only when valid, and says what is wrong otherwise.
import { useId, useState } from 'react';

export function NumberSetting({
  label,
  value,
  min,
  max,
  unit,
  help,
  allowEmpty,
  onCommit,
}: {
  label: string;
  value: number | undefined;
  min: number;
  max: number;
  unit?: string;
  help?: string;
  /** Empty means "never"/"off"; committed as undefined. */
  allowEmpty?: boolean;
  onCommit: (value: number | undefined) => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const id = useId();
  const text = draft ?? (value === undefined ? '' : String(value));
  const parsed = text.trim() === '' ? undefined : Number(text);
  const error =
    parsed === undefined
      ? allowEmpty
        ? null
        : 'Enter a number.'
      : !Number.isInteger(parsed) || parsed < min || parsed > max
        ? `Enter a whole number from ${min} to ${max}.`
        : null;
  const commit = () => {
    if (draft === null || error) return;
    setDraft(null);
    if (parsed !== value) onCommit(parsed);
  };
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <span className="field__row">
        <input
          id={id}
          className="input input--number"
          inputMode="numeric"
          value={text}
          aria-invalid={error !== null}
          aria-describedby={`${id}-help`}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setDraft(null);
          }}
        />
        {unit && <span className="muted">{unit}</span>}
      </span>
      <span id={`${id}-help`} className={error ? 'form__error' : 'muted field__help'}>
        {error ?? help}
      </span>
    </div>
  );
}
