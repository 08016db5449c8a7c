/** Whether a YAML value is a map (not a list, not null). */
export const isObject = (value: unknown): value is Record<string, any> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a YAML field is given: `field:` left empty reads as null, the same as absent. */
export const isGiven = (value: unknown) => value !== undefined && value !== null;
