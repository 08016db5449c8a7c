import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { devopsPersonasIngestPermission } from '@devops-personas/plugin-devops-personas-common';
import { EventStore } from './database/EventStore';
import { validateEventsRequest } from './events/validateEvents';
import { EventSources } from './sources/EventSources';
import { jsonBody } from './http/jsonBody';
import { unavailableDatabase } from './http/unavailableDatabase';
import { KpiService } from './kpis/KpiService';
import { parseRollup } from './kpis/rollup';
import { parseBucket, parseUntil, parseWindowLength } from './kpis/window';
import { OrgViews, parseOverviewQuery } from './service/OrgViews';
import { RaciResolver } from './service/RaciResolver';
import { ReadAccess } from './service/ReadAccess';
import { ReviewAgendas } from './review/ReviewAgendas';
import { SloService } from './slos/SloService';
import express from 'express';
import Router from 'express-promise-router';
import { PersonaResolver } from './service/PersonaResolver';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  logger: LoggerService;
  personaResolver: PersonaResolver;
  permissions: PermissionsService;
  eventStore: EventStore;
  kpiService: KpiService;
  raciResolver: RaciResolver;
  orgViews: OrgViews;
  sloService: SloService;
  eventSources: EventSources;
  readAccess: ReadAccess;
  reviewAgendas: ReviewAgendas;
}

// Kinds, namespaces and names as the catalog allows them; anything else is a
// client error, not a lookup.
const SEGMENT = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

/** Turns `:kind/:namespace/:name` into a full lower-case entity ref. */
export function entityRefFromParams(params: Record<string, string>): string {
  for (const field of ['kind', 'namespace', 'name'] as const) {
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
  const {
    httpAuth,
    personaResolver,
    permissions,
    eventStore,
    kpiService,
    raciResolver,
    orgViews,
    sloService,
    eventSources,
    logger,
    readAccess,
    reviewAgendas,
  } = options;
  const router = Router();

  const readCredentials = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    await readAccess.check(credentials);
    return credentials;
  };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/v1/entities/:kind/:namespace/:name/personas', async (req, res) => {
    const credentials = await readCredentials(req);
    const entityRef = entityRefFromParams(req.params);
    res.json(await personaResolver.getPersonas(entityRef, credentials));
  });

  router.get('/v1/entities/:kind/:namespace/:name/raci', async (req, res) => {
    const credentials = await readCredentials(req);
    const entityRef = entityRefFromParams(req.params);
    res.json(await raciResolver.getRaci(entityRef, credentials));
  });

  router.get('/v1/entities/:kind/:namespace/:name/slos', async (req, res) => {
    const credentials = await readCredentials(req);
    const entityRef = entityRefFromParams(req.params);
    const untilMs = parseUntil(req.query.until);
    res.json(await sloService.getSlos(entityRef, untilMs, credentials, parseRollup(req.query.rollup)));
  });

  router.get('/v1/review/:kind/:namespace/:name', async (req, res) => {
    const credentials = await readCredentials(req);
    const entityRef = entityRefFromParams(req.params);
    res.json(await reviewAgendas.agenda(entityRef, parseUntil(req.query.until), credentials));
  });

  router.get('/v1/holders/:kind/:namespace/:name', async (req, res) => {
    const credentials = await readCredentials(req);
    const holderRef = entityRefFromParams(req.params);
    res.json(await orgViews.getHolder(holderRef, credentials));
  });

  router.get('/v1/overview', async (req, res) => {
    const credentials = await readCredentials(req);
    res.json(
      await orgViews.getOverview(
        parseOverviewQuery(req.query as Record<string, unknown>),
        credentials,
      ),
    );
  });

  router.get('/v1/sources', async (req, res) => {
    await readCredentials(req);
    res.json(await eventSources.status());
  });

  // Who may send is settled before a byte of the body is read. Users get the
  // permission policy's answer; services are allowed unless their token's
  // accessRestrictions leave the permission out.
  const ingestAccess: express.RequestHandler = async (req, _res, next) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const [decision] = await permissions.authorize([{ permission: devopsPersonasIngestPermission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        credentials.principal.type === 'user'
          ? `Sending events needs the ${devopsPersonasIngestPermission.name} permission; pipelines should use a service or external-access token`
          : `This token may not send events: its accessRestrictions leave out ${devopsPersonasIngestPermission.name}`,
      );
    }
    next();
  };

  // 5,000 events of a few hundred bytes each fit well within this.
  router.post('/v1/events', ingestAccess, ...jsonBody('25mb'), async (req, res) => {
    const events = validateEventsRequest(req.body);
    const accepted = await eventStore.upsert(events);
    logger.info('Stored events', { count: accepted, received: events.length });
    res.status(202).json({ accepted });
  });

  router.get('/v1/entities/:kind/:namespace/:name/kpis', async (req, res) => {
    const credentials = await readCredentials(req);
    const entityRef = entityRefFromParams(req.params);
    res.json(
      await kpiService.getKpis(
        entityRef,
        {
          windowMs: parseWindowLength(req.query.window),
          untilMs: parseUntil(req.query.until),
          bucket: parseBucket(req.query.bucket),
          rollup: parseRollup(req.query.rollup),
        },
        credentials,
      ),
    );
  });

  router.get('/v1/entities/:kind/:namespace/:name/kpis/:kpiId/events', async (req, res) => {
    const credentials = await readCredentials(req);
    const entityRef = entityRefFromParams(req.params);
    res.json(
      await kpiService.getKpiEvents(
        entityRef,
        req.params.kpiId,
        {
          windowMs: parseWindowLength(req.query.window),
          untilMs: parseUntil(req.query.until),
          rollup: parseRollup(req.query.rollup),
        },
        credentials,
      ),
    );
  });

  router.use(unavailableDatabase(logger));
  return router;
}
