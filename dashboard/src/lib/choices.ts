// The fixed choices of a filter (a value the server knows, and the name a reader sees) and the
// URL parameters that hold a list's filters, shared by every filtered list of the app.

export type Choices<T extends string> = readonly (readonly [value: T, name: string])[];

/** The choice whose value is `raw`, or null: an unknown value from the address is ignored
 * rather than sent to the server, which would refuse it. */
export function pickChoice<T extends string>(choices: Choices<T>, raw: string | null): T | null {
  return choices.find(([value]) => value === raw)?.[0] ?? null;
}

/** The name a reader sees for `value` (the value itself when it is not a choice). */
export function choiceName<T extends string>(choices: Choices<T>, value: T): string {
  return choices.find(([choice]) => choice === value)?.[1] ?? value;
}

/** `params` with `name` set to the trimmed `value`, or removed when that is empty; the other
 * parameters kept. */
export function withParam(
  params: URLSearchParams,
  name: string,
  value: string | null,
): URLSearchParams {
  const next = new URLSearchParams(params);
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') next.delete(name);
  else next.set(name, trimmed);
  return next;
}
