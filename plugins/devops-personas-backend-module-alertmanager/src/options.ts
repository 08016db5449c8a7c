import { Config } from '@backstage/config';
import { ALERTMANAGER_CONFIG_KEY } from './constants';

/**
 * How Alertmanager alerts become `alert` events.
 *
 * @public
 */
export interface AlertmanagerTranslationOptions {
  /** The alert label that names the catalog entity (an entity ref). */
  entityLabel: string;
  /**
   * Severities (values of the `severity` label, compared case-insensitively)
   * whose alerts count as actionable when the alert has no `actionable`
   * label.
   */
  actionableSeverities: string[];
}

/**
 * The defaults of `devopsPersonas.sources.alertmanager.*`.
 *
 * @public
 */
export const DEFAULT_ALERTMANAGER_TRANSLATION_OPTIONS: Readonly<AlertmanagerTranslationOptions> =
  Object.freeze({
    entityLabel: 'backstage_entity',
    actionableSeverities: ['critical', 'page'],
  });

/**
 * Reads `devopsPersonas.sources.alertmanager.entityLabel` and
 * `.actionableSeverities`, with their defaults. A setting of the wrong type
 * or an empty label stops the backend at startup with a message naming the
 * key, rather than silently mapping nothing.
 *
 * @public
 */
export function readAlertmanagerTranslationOptions(
  config: Config,
): AlertmanagerTranslationOptions {
  const section = config.getOptionalConfig(ALERTMANAGER_CONFIG_KEY);
  const entityLabel =
    section?.getOptionalString('entityLabel')?.trim() ??
    DEFAULT_ALERTMANAGER_TRANSLATION_OPTIONS.entityLabel;
  if (!entityLabel) {
    throw new Error(
      `${ALERTMANAGER_CONFIG_KEY}.entityLabel must name an alert label; leave it out to use "${DEFAULT_ALERTMANAGER_TRANSLATION_OPTIONS.entityLabel}"`,
    );
  }
  const actionableSeverities = (
    section?.getOptionalStringArray('actionableSeverities') ??
    DEFAULT_ALERTMANAGER_TRANSLATION_OPTIONS.actionableSeverities
  )
    .map(severity => severity.trim())
    .filter(Boolean);
  return { entityLabel, actionableSeverities };
}

/**
 * Reads `devopsPersonas.sources.alertmanager.token`, the bearer token
 * Alertmanager's webhook sends. Undefined when it is not set (or empty).
 */
export function readAlertmanagerToken(config: Config): string | undefined {
  // Trimmed as Alertmanager trims a `credentials_file`: a secret pasted with
  // its line break still matches.
  const token = config
    .getOptionalString(`${ALERTMANAGER_CONFIG_KEY}.token`)
    ?.trim();
  return token ? token : undefined;
}
