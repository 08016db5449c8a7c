import { createHash, timingSafeEqual } from 'node:crypto';
import { RequestValidator } from '@backstage/plugin-events-node';

// The rest of the header is the token, spaces included: a token configured
// with one is sent with it.
const BEARER_PATTERN = /^Bearer[ \t]+(.+?)[ \t]*$/i;
const REJECTION = {
  status: 401,
  payload: { message: 'Missing or invalid "Authorization: Bearer" token' },
};

/**
 * An ingress validator that lets a request through only when it carries
 * `Authorization: Bearer <token>`; anything else is answered 401 and never
 * published. Without a token every request is refused: an endpoint that
 * anyone may post alerts to is worse than one that is not wired yet.
 *
 * @public
 */
export function createBearerTokenValidator(
  token: string | undefined,
): RequestValidator {
  const expected = token ? digest(token) : undefined;
  return async (request, context) => {
    const presented = bearerToken(request.headers.authorization);
    // Digests have the same length whatever was sent, so the comparison
    // takes the same time and reveals nothing of the token.
    if (
      !expected ||
      presented === undefined ||
      !timingSafeEqual(digest(presented), expected)
    ) {
      context.reject(REJECTION);
    }
  };
}

function bearerToken(
  header: string | string[] | undefined,
): string | undefined {
  if (typeof header !== 'string') return undefined;
  return BEARER_PATTERN.exec(header)?.[1];
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
