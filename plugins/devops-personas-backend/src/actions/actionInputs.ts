import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { entityRefFromParams } from '../router';

const clip = (raw: string) => (raw.length > 200 ? `${raw.slice(0, 200)}…` : raw);

/**
 * An entity ref given to an action, made full and lower case. The
 * namespace defaults to `default`; the kind is required unless
 * `defaultKind` is given (a bare holder name is a user, as in SPEC §2).
 */
export function entityRefInput(
  raw: string,
  field: string,
  options: { defaultKind?: string; example: string },
): string {
  const problem = new InputError(
    `${field} must be an entity ref such as ${options.example}; got "${clip(raw)}"`,
  );
  let ref;
  try {
    ref = parseEntityRef(raw.trim(), {
      defaultKind: options.defaultKind,
      defaultNamespace: 'default',
    });
  } catch {
    throw problem;
  }
  try {
    return entityRefFromParams({ kind: ref.kind, namespace: ref.namespace, name: ref.name });
  } catch {
    throw problem;
  }
}

/** An id that must be one of the known ones; the error lists them. */
export function knownId(
  raw: string,
  field: string,
  known: readonly string[],
  what: string,
): string {
  const id = raw.trim();
  if (!known.includes(id)) {
    throw new InputError(
      `${field} "${clip(raw)}" is not a known ${what}; known ${what}s are ${known.join(', ')}`,
    );
  }
  return id;
}
