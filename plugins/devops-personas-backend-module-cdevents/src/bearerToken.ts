import { createHash, timingSafeEqual } from 'node:crypto';
import { Config } from '@backstage/config';
import { RequestValidator } from '@backstage/plugin-events-node';

/** `devopsPersonas.sources.cdevents.token`; undefined when absent or empty. */
export function readCdeventsToken(config: Config): string | undefined {
  const token = config.getOptionalString(
    'devopsPersonas.sources.cdevents.token',
  );
  return token?.trim() ? token : undefined;
}

// Digests have one length whatever the token's: comparing them in constant
// time does not reveal the length of the expected token either.
const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The ingress validator of the `cdevents` topic: a request without
 * `Authorization: Bearer <token>` is refused with 401 and never published.
 * Without a configured token every request is refused.
 *
 * A request that passes loses its `authorization` header: the events system
 * hands request headers on as event metadata (logged at debug level, and
 * stored when the event bus spans several backend instances), and the token
 * belongs in neither.
 */
export function createBearerTokenValidator(
  token: string | undefined,
): RequestValidator {
  const expected = token ? digest(token) : undefined;
  return async (request, context) => {
    if (!expected) {
      context.reject({
        status: 401,
        payload: {
          message:
            'CDEvents are refused: devopsPersonas.sources.cdevents.token is not configured',
        },
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
