/*
 * A value of a user's, as an error message quotes it: strings and plain objects
 * as JSON, anything else as String() gives it, cut to 60 characters.
 */
export function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' && value !== null ? JSON.stringify(value) ?? String(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
