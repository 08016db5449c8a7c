import {
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { PersonaResolver } from './service/PersonaResolver';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  logger: LoggerService;
  personaResolver: PersonaResolver;
}

// Kinds, namespaces and names as the catalog allows them; anything else is a
// client error, not a lookup.
const SEGMENT = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

/** Turns `:kind/:namespace/:name` into a full lower-case entity ref. */
export function entityRefFromParams(params: Record<string, string>): string {
  for (const field of ['kind', 'namespace', 'name']) {
    const value = params[field];
    if (!value || !SEGMENT.test(value) || value.length > 253) {
      throw new InputError(`Invalid ${field} "${value ?? ''}" in the entity path`);
    }
  }
  return `${params.kind}:${params.namespace}/${params.name}`.toLowerCase();
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, personaResolver } = options;
  const router = Router();
  router.use(express.json({ limit: '10mb' }));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/v1/entities/:kind/:namespace/:name/personas', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefFromParams(req.params);
    res.json(await personaResolver.getPersonas(entityRef, credentials));
  });

  return router;
}
