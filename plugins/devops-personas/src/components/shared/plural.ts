/**
 * "1 deployment", "2 deployments": a count with its noun in the right number.
 * Irregular plurals are given explicitly (`plural(n, 'entity', 'entities')`).
 */
export function plural(
  count: number,
  singular: string,
  pluralForm = `${singular}s`,
): string {
  return `${count.toLocaleString('en-US')} ${
    count === 1 ? singular : pluralForm
  }`;
}
