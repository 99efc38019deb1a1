/**
 * A list filter as a labelled select: "all" (the empty value) first, then each choice. The
 * choice's value is sent to the server; `name` is what the reader sees.
 */
export function FilterSelect({
  label,
  all,
  value,
  choices,
  onChange,
  name,
  className = 'field',
}: {
  label: string;
  /** The option meaning "no filter", e.g. "All platforms". */
  all: string;
  value: string | null;
  choices: readonly (readonly [value: string, name: string])[];
  onChange: (value: string) => void;
  name?: string;
  className?: string;
}) {
  return (
    <label className={className}>
      <span>{label}</span>
      <select name={name} value={value ?? ''} onChange={(event) => onChange(event.target.value)}>
        <option value="">{all}</option>
        {choices.map(([choice, shown]) => (
          <option key={choice} value={choice}>
            {shown}
          </option>
        ))}
      </select>
    </label>
  );
}
