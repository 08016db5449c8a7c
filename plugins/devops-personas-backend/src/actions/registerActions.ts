import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { isDatabaseUnavailable } from '../database/databaseErrors';
import { RETRY_AFTER_SECONDS } from '../http/unavailableDatabase';
import { KpiService } from '../kpis/KpiService';
import { parseUntil, parseWindowLength } from '../kpis/window';
import { PersonasConfig } from '../service/config';
import { OrgViews } from '../service/OrgViews';
import { PersonaResolver } from '../service/PersonaResolver';
import { RaciResolver } from '../service/RaciResolver';
import { ReadAccess } from '../service/ReadAccess';
import { SloService } from '../slos/SloService';
import { Accountability } from './Accountability';
import { entityRefInput, knownId } from './actionInputs';
import {
  holderHatsAnswerSchema,
  holderSchema,
  kpiOwnerSchema,
  overviewItemSchema,
  personasAnswerSchema,
  slosAnswerSchema,
  warningSchema,
} from './answerSchemas';

/** The services the actions answer from: the read API's own. */
export interface ActionServices {
  config: PersonasConfig;
  readAccess: ReadAccess;
  personaResolver: PersonaResolver;
  raciResolver: RaciResolver;
  kpiService: KpiService;
  sloService: SloService;
  orgViews: OrgViews;
}

const ENTITY_EXAMPLE = 'component:default/checkout';
const READ_ONLY = { readOnly: true, idempotent: true, destructive: false };

/**
 * An action's answer as the HTTP route sends it (JSON through and through);
 * a database that is down or busy is a 503, as on the routes, not a 500.
 */
async function answer<T>(logger: LoggerService, read: () => Promise<T>): Promise<{ output: T }> {
  try {
    return { output: JSON.parse(JSON.stringify(await read())) };
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    logger.warn('Database unavailable', { error: String(error) });
    throw new ServiceUnavailableError(
      `The DevOps Personas database is unavailable or busy; nothing could be read. Try again in ${RETRY_AFTER_SECONDS} seconds.`,
    );
  }
}

const ROLLUP_DESCRIPTION =
  "For a Group: owned (default; the Components it owns) or personas (the entities where it holds a persona)";

/**
 * Registers the actions of SPEC §10 (`devops-personas:<name>`): the read
 * API's answers for assistants (through the MCP actions backend) and
 * scripts (`POST /api/devops-personas/.backstage/actions/v1/actions/<id>/invoke`).
 */
export function registerDevopsPersonasActions(
  registry: ActionsRegistryService,
  services: ActionServices,
): void {
  const { config, readAccess, personaResolver, raciResolver, kpiService, sloService, orgViews } = services;
  const accountability = new Accountability(personaResolver, raciResolver, kpiService);
  const entityRefOf = (raw: string) => entityRefInput(raw, 'entityRef', { example: ENTITY_EXAMPLE });
  const scenarioIds = config.raciScenarios.map(s => s.id);
  const kpiIds = config.kpis.map(k => k.id);
  const personaIds = config.personas.map(p => p.id);

  registry.register({
    name: 'get-personas',
    title: 'Get the personas of an entity',
    description:
      'Who wears each DevOps persona hat (product owner, tech lead, platform engineer, service owner/SRE, security owner, quality engineer, release manager) on a catalog entity, with where each assignment comes from (set on the entity, inherited from its System or Domain, a config default, or unassigned), the members of group holders, each persona\'s canvas (mission, decisions, accountability, KPIs) and ownership warnings.',
    attributes: READ_ONLY,
    schema: {
      input: z =>
        z
          .object({
            entityRef: z.string().min(1).max(600).describe(`The entity, e.g. ${ENTITY_EXAMPLE}`),
          })
          .strict(),
      output: personasAnswerSchema,
    },
    examples: [{ title: 'The personas of checkout', input: { entityRef: ENTITY_EXAMPLE } }],
    action: async ({ input, credentials, logger }) => {
      const entityRef = entityRefOf(input.entityRef);
      await readAccess.check(credentials);
      return answer(logger, () => personaResolver.getPersonas(entityRef, credentials));
    },
  });

  registry.register({
    name: 'who-is-accountable',
    title: 'Who is accountable',
    description:
      'Who answers for something on a catalog entity. Give exactly one of: scenario (a RACI scenario id, e.g. critical-incident, for "who is accountable if it goes down?"), kpi (a KPI id, e.g. change-failure-rate, for "who owns this metric?") or persona (a persona id, e.g. service-owner, for "who is its SRE?"). Answers the holders (users or groups, with members), their role (A, owner or holder), where the assignment comes from, and a one-sentence summary.',
    attributes: READ_ONLY,
    schema: {
      input: z =>
        z
          .object({
            entityRef: z.string().min(1).max(600).describe(`The entity, e.g. ${ENTITY_EXAMPLE}`),
            scenario: z.string().max(200).optional().describe(`A RACI scenario id: ${scenarioIds.join(', ')}`),
            kpi: z.string().max(200).optional().describe(`A KPI id: ${kpiIds.join(', ')}`),
            persona: z.string().max(200).optional().describe(`A persona id: ${personaIds.join(', ')}`),
          })
          .strict(),
      output: z =>
        z.object({
          entityRef: z.string(),
          subject: z.object({
            type: z.enum(['scenario', 'kpi', 'persona']),
            id: z.string(),
            title: z.string(),
          }),
          role: z.enum(['A', 'owner', 'holder']),
          holders: z.array(holderSchema(z)),
          provenance: z
            .string()
            .describe(
              'explicit, inherited:<entityRef>, via-persona:<personaId>, config-default, entity-owner or unassigned; for a split scenario the first accountable row\'s (accountable has each)',
            ),
          accountable: z
            .array(
              z.object({
                persona: z.string(),
                personaTitle: z.string(),
                qualifier: z.string().optional(),
                holders: z.array(z.string()),
                provenance: z.string(),
              }),
            )
            .optional()
            .describe("A scenario's accountable rows: two when accountability is split (business, operational)"),
          summary: z.string(),
        }),
    },
    examples: [
      {
        title: 'Who is accountable for a critical incident on checkout?',
        input: { entityRef: ENTITY_EXAMPLE, scenario: 'critical-incident' },
      },
      { title: 'Who owns the change failure rate of checkout?', input: { entityRef: ENTITY_EXAMPLE, kpi: 'change-failure-rate' } },
      { title: 'Who is the service owner of checkout?', input: { entityRef: ENTITY_EXAMPLE, persona: 'service-owner' } },
    ],
    action: async ({ input, credentials, logger }) => {
      const given = (['scenario', 'kpi', 'persona'] as const).filter(field => input[field] !== undefined);
      if (given.length !== 1) {
        throw new InputError(
          given.length
            ? `scenario, kpi and persona are mutually exclusive; got ${given.join(' and ')}`
            : 'Give one of scenario, kpi or persona',
        );
      }
      const entityRef = entityRefOf(input.entityRef);
      const field = given[0];
      const known = {
        scenario: { ids: scenarioIds, what: 'scenario' },
        kpi: { ids: kpiIds, what: 'KPI' },
        persona: { ids: personaIds, what: 'persona' },
      }[field];
      const id = knownId(input[field]!, field, known.ids, known.what);
      await readAccess.check(credentials);
      return answer(logger, () => accountability.answer(entityRef, { type: field, id }, credentials));
    },
  });

  registry.register({
    name: 'get-kpis',
    title: 'Get the KPIs of an entity',
    description:
      'The delivery and operations KPIs of a catalog entity over a window (DORA metrics, SLO compliance, alert noise, vulnerability fix time, pipeline success, postmortem follow-up, …): value, unit (durations in seconds, rates as fractions, deployment frequency per week; null means no data), DORA tier, baseline, target, whether it is met, its owner and the agreed response. A System, Domain or Group gets the rollup over its Components.',
    attributes: READ_ONLY,
    schema: {
      input: z =>
        z
          .object({
            entityRef: z.string().min(1).max(600).describe(`The entity, e.g. ${ENTITY_EXAMPLE}`),
            window: z.string().max(40).optional().describe('The window: 7d, 30d (default), 90d or an ISO 8601 duration such as P2W'),
            until: z.string().max(60).optional().describe('When the window ends, ISO 8601 (default: now)'),
            rollup: z.enum(['owned', 'personas']).optional().describe(ROLLUP_DESCRIPTION),
          })
          .strict(),
      output: z =>
        z.object({
          entityRef: z.string(),
          window: z.object({ start: z.string(), end: z.string() }),
          entities: z.array(z.string()).describe('The entities whose events were counted: the entity, or a rollup\'s Components'),
          rollup: z.enum(['parts', 'owned', 'personas']).nullable().describe('What a rollup is over; null for a single entity'),
          kpis: z.array(
            z.object({
              id: z.string(),
              title: z.string(),
              value: z.number().nullable(),
              unit: z.string(),
              tier: z.enum(['elite', 'high', 'medium', 'low']).nullable(),
              tierNote: z.string().nullable(),
              sampleSize: z.number(),
              baseline: z.number().nullable(),
              target: z.object({ op: z.string(), value: z.number() }).nullable(),
              met: z.boolean().nullable(),
              assessment: z.enum(['better', 'worse', 'steady']).nullable(),
              owner: kpiOwnerSchema(z),
              response: z.string(),
            }),
          ),
          warnings: z.array(warningSchema(z)),
        }),
    },
    examples: [
      { title: 'The KPIs of checkout over the last 30 days', input: { entityRef: ENTITY_EXAMPLE } },
      { title: 'The KPIs of the payments System over 90 days', input: { entityRef: 'system:default/payments', window: '90d' } },
    ],
    action: async ({ input, credentials, logger }) => {
      const entityRef = entityRefOf(input.entityRef);
      const query = {
        windowMs: parseWindowLength(input.window, 'window'),
        untilMs: parseUntil(input.until),
        bucket: 'week' as const,
        rollup: input.rollup,
      };
      await readAccess.check(credentials);
      return answer(logger, async () => {
        const kpis = await kpiService.getKpis(entityRef, query, credentials);
        return {
          entityRef: kpis.entityRef,
          window: kpis.window,
          entities: kpis.entities,
          rollup: kpis.rollup,
          kpis: kpis.kpis.map(k => ({
            id: k.id,
            title: k.title,
            value: k.value,
            unit: k.unit,
            tier: k.tier,
            tierNote: k.tierNote,
            sampleSize: k.sampleSize,
            baseline: k.baseline,
            target: k.target,
            met: k.met,
            assessment: k.assessment,
            owner: k.owner,
            response: k.response,
          })),
          warnings: kpis.warnings,
        };
      });
    },
  });

  registry.register({
    name: 'get-slos',
    title: 'Get the SLOs of an entity',
    description:
      'The service level objectives of a catalog entity (from its OpenSLO documents): for each objective the target, attainment, error budget and budget remaining (fractions), burn rates over 5m to 3d, and the alert state (page, ticket or ok), least budget left first. A System, Domain or Group lists the SLOs of its Components.',
    attributes: READ_ONLY,
    schema: {
      input: z =>
        z
          .object({
            entityRef: z.string().min(1).max(600).describe(`The entity, e.g. ${ENTITY_EXAMPLE}`),
            until: z.string().max(60).optional().describe('When the SLO windows end, ISO 8601 (default: now)'),
            rollup: z.enum(['owned', 'personas']).optional().describe(ROLLUP_DESCRIPTION),
          })
          .strict(),
      output: slosAnswerSchema,
    },
    examples: [{ title: 'The SLOs of checkout', input: { entityRef: ENTITY_EXAMPLE } }],
    action: async ({ input, credentials, logger }) => {
      const entityRef = entityRefOf(input.entityRef);
      const untilMs = parseUntil(input.until);
      await readAccess.check(credentials);
      return answer(logger, () => sloService.getSlos(entityRef, untilMs, credentials, input.rollup));
    },
  });

  registry.register({
    name: 'get-hats',
    title: 'Get the hats of a person or group',
    description:
      'Every persona hat a user or group wears, on which entities, and where each comes from; for a user this includes the hats of the groups they belong to (provenance via-group:<groupRef>), so it answers "what am I accountable for?". Also lists the KPIs they own by kpi-owner annotation.',
    attributes: READ_ONLY,
    schema: {
      input: z =>
        z
          .object({
            holderRef: z
              .string()
              .min(1)
              .max(600)
              .describe('The user or group, e.g. user:default/alice or group:default/sre-team; a bare name is a user'),
          })
          .strict(),
      output: holderHatsAnswerSchema,
    },
    examples: [
      { title: 'What is Carol accountable for?', input: { holderRef: 'user:default/carol' } },
      { title: 'The hats of the SRE team', input: { holderRef: 'group:default/sre-team' } },
    ],
    action: async ({ input, credentials, logger }) => {
      const holderRef = entityRefInput(input.holderRef, 'holderRef', {
        defaultKind: 'user',
        example: 'user:default/alice',
      });
      await readAccess.check(credentials);
      return answer(logger, () => orgViews.getHolder(holderRef, credentials));
    },
  });

  registry.register({
    name: 'find-gaps',
    title: 'Find ownership gaps',
    description:
      'Catalog entities with an ownership gap, worst first: core personas nobody holds, KPIs nobody owns, hero mode (one person wearing too many hats) and other warnings, each row with its gaps in words. Filter by kind (e.g. component or component,system), owner (part of the owner\'s ref or name) or system.',
    attributes: READ_ONLY,
    schema: {
      input: z =>
        z
          .object({
            kind: z.string().max(200).optional().describe('Kinds, comma separated, e.g. component'),
            owner: z.string().max(200).optional().describe("Part of the owner's ref, name or display name"),
            system: z.string().max(600).optional().describe('A System, e.g. payments or system:default/payments'),
            limit: z.number().int().min(1).max(500).optional().describe('How many rows at most (default 20)'),
          })
          .strict(),
      output: z =>
        z.object({
          total: z.number().describe('Rows with a gap, before the limit'),
          items: z.array(overviewItemSchema(z).extend({ gaps: z.array(z.string()) })),
        }),
    },
    examples: [
      { title: 'The worst ownership gaps', input: {} },
      { title: 'Components of the payments System with gaps', input: { kind: 'component', system: 'payments' } },
    ],
    action: async ({ input, credentials, logger }) => {
      const kind = input.kind?.toLowerCase().split(',').map(k => k.trim()).filter(Boolean);
      const owner = input.owner?.trim().toLowerCase() || undefined;
      const system = input.system?.trim() ? input.system.trim().toLowerCase() : undefined;
      await readAccess.check(credentials);
      return answer(logger, () => orgViews.findGaps({ kind, owner, system, limit: input.limit ?? 20 }, credentials));
    },
  });
}
