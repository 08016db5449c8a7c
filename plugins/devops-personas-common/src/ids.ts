/**
 * The id of this plugin, used for its backend route and permissions.
 *
 * @public
 */
export const DEVOPS_PERSONAS_PLUGIN_ID = 'devops-personas';

/**
 * The prefix of every annotation this plugin reads.
 *
 * @public
 */
export const ANNOTATION_PREFIX = 'devops-personas.io/';

/**
 * The seven built-in personas, in the order they are shown.
 *
 * @public
 */
export const BUILT_IN_PERSONA_IDS = [
  'product-owner',
  'tech-lead',
  'platform-engineer',
  'service-owner',
  'security-owner',
  'quality-engineer',
  'release-manager',
] as const;

/**
 * Id of a built-in persona.
 *
 * @public
 */
export type BuiltInPersonaId = (typeof BUILT_IN_PERSONA_IDS)[number];

/**
 * The personas every entity is expected to have; a missing one raises an
 * `unassigned-persona` warning.
 *
 * @public
 */
export const CORE_PERSONA_IDS: readonly BuiltInPersonaId[] = [
  'product-owner',
  'tech-lead',
  'platform-engineer',
  'service-owner',
  'security-owner',
];
