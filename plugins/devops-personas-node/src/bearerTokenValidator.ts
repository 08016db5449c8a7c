import { createHash, timingSafeEqual } from 'node:crypto';
import { RequestValidator } from '@backstage/plugin-events-node';

// Digests have one length whatever the token's: comparing them in constant
// time reveals neither the token nor its length.
const digest = (value: string) =>
  createHash('sha256').update(value, 'utf8').digest();

/**
 * An ingress validator for an events topic whose tool authenticates with
 * `Authorization: Bearer <token>` (Alertmanager, a CDEvents broker): any
 * other request is answered 401 and never published. Without a configured
 * token every request is refused (`missingTokenMessage` says which key to
 * set): an endpoint anyone may post to is worse than one not wired yet.
 *
 * A request that passes loses its `authorization` header: the events system
 * hands request headers on as event metadata (logged at debug level, stored
 * when the event bus spans several backends), and the token belongs in
 * neither.
 *
 * @public
 */
export function createBearerTokenValidator(options: {
  token: string | undefined;
  missingTokenMessage: string;
}): RequestValidator {
  // Trimmed: a secret pasted with its line break still matches (a
  // presented token never holds whitespace).
  const configured = options.token?.trim();
  const expected = configured ? digest(configured) : undefined;
  return async (request, context) => {
    if (!expected) {
      context.reject({
        status: 401,
        payload: { message: options.missingTokenMessage },
      });
      return;
    }
    const header = request.headers.authorization;
    const presented =
      typeof header === 'string'
        ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)?.[1]
        : undefined;
    if (!presented || !timingSafeEqual(digest(presented), expected)) {
      context.reject({
        status: 401,
        payload: { message: 'Missing or invalid bearer token' },
      });
      return;
    }
    delete request.headers.authorization;
  };
}
