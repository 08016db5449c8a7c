import type { ActionsRegistryActionOptions } from '@backstage/backend-plugin-api/alpha';

/**
 * The read API's answers (SPEC §7) as zod schemas, for the output of the
 * actions. Every field of the answers is listed: the actions registry keeps
 * only what a schema names, and an action's answer must equal the route's.
 */
// The zod the actions registry hands to schema functions (its own copy).
type Z = Parameters<ActionsRegistryActionOptions<any, any>['schema']['input']>[0];

const nullableNumber = (z: Z) => z.number().nullable();

export const warningSchema = (z: Z) =>
  z.object({
    code: z.string().describe('unassigned-persona, ownerless-kpi, unknown-holder, hero-mode, raci-accountability, invalid-annotation, guardrail, invalid-slo or slo-source-unavailable'),
    message: z.string(),
    persona: z.string().optional(),
    kpi: z.string().optional(),
    holder: z.string().optional(),
    key: z.string().optional(),
    value: z.string().optional(),
    entityRef: z.string().optional(),
    personas: z.array(z.string()).optional(),
    entities: z.array(z.string()).optional(),
  });

export const holderSchema = (z: Z) =>
  z.object({
    ref: z.string().describe('Full entity ref of a user or group'),
    displayName: z.string(),
    members: z
      .array(z.object({ ref: z.string(), displayName: z.string() }))
      .describe('Members of a group holder; empty for users'),
    inCatalog: z.boolean().describe('False when the ref names no entity in the catalog'),
  });

export const personasAnswerSchema = (z: Z) =>
  z.object({
    entityRef: z.string(),
    inheritanceChain: z.array(z.string()),
    personas: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        holders: z.array(holderSchema(z)),
        provenance: z.string().describe('explicit, inherited:<entityRef>, config-default or unassigned'),
        annotation: z.string(),
        core: z.boolean(),
        canvas: z.object({
          mission: z.string(),
          decisions: z.array(z.string()),
          accountability: z.string(),
          deliverables: z.array(z.string()),
          kpis: z.array(z.string()),
          interfaces: z.array(z.string()),
          antiGoals: z.array(z.string()),
        }),
      }),
    ),
    warnings: z.array(warningSchema(z)),
  });

const burnRatesSchema = (z: Z) =>
  z.object({
    '5m': nullableNumber(z),
    '30m': nullableNumber(z),
    '1h': nullableNumber(z),
    '2h': nullableNumber(z),
    '6h': nullableNumber(z),
    '1d': nullableNumber(z),
    '3d': nullableNumber(z),
  });

const sloDataSourceSchema = (z: Z) =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('events') }),
    z.object({
      type: z.literal('prometheus'),
      queries: z.array(
        z.object({
          role: z.enum(['good', 'bad', 'total', 'raw']),
          query: z.string(),
          source: z.string(),
          graphUrl: z.string().optional(),
        }),
      ),
      counter: z.boolean(),
      rawType: z.enum(['success', 'failure']).optional(),
      error: z.string().optional(),
    }),
  ]);

export const slosAnswerSchema = (z: Z) =>
  z.object({
    entityRef: z.string(),
    sloRef: z.string().nullable(),
    entities: z.array(z.string()),
    slos: z.array(
      z.object({
        name: z.string(),
        displayName: z.string().optional(),
        description: z.string().optional(),
        budgetingMethod: z.enum(['Occurrences', 'Timeslices', 'RatioTimeslices']),
        indicator: z.string().optional(),
        dataSource: sloDataSourceSchema(z),
        entityRef: z.string(),
        window: z.object({
          duration: z.string(),
          isRolling: z.boolean(),
          start: z.string(),
          end: z.string(),
        }),
        objectives: z.array(
          z.object({
            displayName: z.string(),
            target: z.number(),
            timeSliceTarget: z.number().optional(),
            timeSliceWindow: z.string().optional(),
            attainment: nullableNumber(z),
            errorBudget: z.number(),
            budgetRemaining: nullableNumber(z),
            burnRates: burnRatesSchema(z),
            alert: z.enum(['page', 'ticket', 'ok']),
            burnDown: z.array(z.object({ at: z.string(), budgetRemaining: nullableNumber(z) })),
            met: z.boolean().nullable(),
          }),
        ),
        sampleSize: z.number(),
        source: z.string(),
      }),
    ),
    warnings: z.array(warningSchema(z)),
  });

export const holderHatsAnswerSchema = (z: Z) =>
  z.object({
    holder: z.string(),
    displayName: z.string(),
    groups: z.array(z.string()).describe('Groups the user belongs to; their hats are included'),
    hats: z.array(
      z.object({
        entityRef: z.string(),
        entityTitle: z.string(),
        persona: z.string(),
        personaTitle: z.string(),
        provenance: z.string().describe('explicit, inherited:<entityRef>, config-default, or via-group:<groupRef>'),
        assignment: z.string(),
      }),
    ),
    kpis: z.array(z.object({ entityRef: z.string(), kpi: z.string(), provenance: z.string() })),
    warnings: z.array(warningSchema(z)),
  });

export const kpiOwnerSchema = (z: Z) =>
  z.object({
    holders: z.array(z.string()),
    provenance: z.string().describe('explicit, inherited:<entityRef>, via-persona:<personaId> or unassigned'),
  });

export const overviewItemSchema = (z: Z) =>
  z.object({
    entityRef: z.string(),
    kind: z.string(),
    title: z.string(),
    owner: z.string().nullable(),
    ownerTitle: z.string().nullable(),
    system: z.string().nullable(),
    coverage: z.object({
      explicit: z.number(),
      inherited: z.number(),
      missing: z.number(),
      ratio: z.number(),
    }),
    personas: z.record(z.string()),
    missingCorePersonas: z.array(z.string()),
    ownerlessKpis: z.array(z.string()),
    rollup: z.object({ components: z.number(), withOwnerlessKpis: z.number() }).nullable(),
    warningCounts: z.record(z.number()),
    doraTiers: z.record(z.string().nullable()),
  });
