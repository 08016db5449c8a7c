import { Config } from '@backstage/config';

/** The source's id, events topic and entity annotation (SPEC §8). */
export const PAGERDUTY_SOURCE_ID = 'pagerduty';
export const PAGERDUTY_TOPIC = 'pagerduty';
export const PAGERDUTY_SERVICE_ANNOTATION = 'pagerduty.com/service-id';

const DEFAULT_CUSTOMER_IMPACTING_PRIORITIES = ['P1', 'P2'];

/** `devopsPersonas.sources.pagerduty`, with defaults. */
export interface PagerDutyConfig {
  /** Undefined when not configured (or empty): every delivery is refused. */
  webhookSecret?: string;
  customerImpactingPriorities: string[];
}

/** Reads `devopsPersonas.sources.pagerduty`; a value of the wrong type throws. */
export function readPagerDutyConfig(config: Config): PagerDutyConfig {
  const section = config.getOptionalConfig('devopsPersonas.sources.pagerduty');
  const webhookSecret = section?.getOptionalString('webhookSecret');
  return {
    webhookSecret: webhookSecret?.trim() ? webhookSecret : undefined,
    customerImpactingPriorities:
      section?.getOptionalStringArray('customerImpactingPriorities') ??
      DEFAULT_CUSTOMER_IMPACTING_PRIORITIES,
  };
}
