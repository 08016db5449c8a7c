import { Config } from '@backstage/config';
import { parseWindowLength } from '../kpis/window';

/** How source modules link an incident to the deployment that caused it (SPEC §8). */
export type AttributionRule = 'explicit' | 'last-deployment';

/** `devopsPersonas.sources` and `devopsPersonas.attribution`, with defaults. */
export interface SourcesConfig {
  /** Environment names stored as `production` (lower case). */
  productionEnvironments: string[];
  attribution: { rule: AttributionRule; maxGapMs: number };
}

const DEFAULT_PRODUCTION_ENVIRONMENTS = ['production', 'prod', 'live'];
const DEFAULT_MAX_GAP_MS = 24 * 3_600_000;

export function readSourcesConfig(config: Config): SourcesConfig {
  const root = config.getOptionalConfig('devopsPersonas');
  const environments =
    root?.getOptionalStringArray('sources.productionEnvironments') ?? DEFAULT_PRODUCTION_ENVIRONMENTS;
  const rule = root?.getOptionalString('attribution.rule') ?? 'last-deployment';
  if (rule !== 'explicit' && rule !== 'last-deployment') {
    throw new Error(
      `Invalid config at devopsPersonas.attribution.rule: must be explicit or last-deployment; got "${rule}"`,
    );
  }
  let maxGapMs = DEFAULT_MAX_GAP_MS;
  const maxGap = root?.getOptionalString('attribution.maxGap');
  if (maxGap !== undefined) {
    try {
      maxGapMs = parseWindowLength(maxGap, 'devopsPersonas.attribution.maxGap');
    } catch (e) {
      throw new Error(`Invalid config at devopsPersonas.attribution.maxGap: ${(e as Error).message}`);
    }
  }
  return {
    productionEnvironments: environments.map(name => name.trim().toLowerCase()).filter(Boolean),
    attribution: { rule, maxGapMs },
  };
}
