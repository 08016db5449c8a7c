/** The longest `url` the backend stores (SPEC §6). */
const MAX_URL_LENGTH = 2048;

/**
 * The first candidate that is an absolute http(s) URL short enough to store,
 * or undefined. A link is a convenience: a missing or odd one must never cost
 * the event, which the backend would refuse as a whole for a bad `url`.
 */
export function firstHttpUrl(
  ...candidates: Array<string | undefined>
): string | undefined {
  return candidates.find(isStorableHttpUrl);
}

function isStorableHttpUrl(candidate: string | undefined): candidate is string {
  if (!candidate || candidate.length > MAX_URL_LENGTH) return false;
  // eslint-disable-next-line no-control-regex -- a URL with control characters is not stored
  if (/[\u0000-\u001f]/.test(candidate)) return false;
  try {
    const { protocol } = new URL(candidate);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
