import { Config } from '@backstage/config';
import {
  AnnotationVocabulary,
  BUILT_IN_PERSONAS,
  BUILT_IN_VOCABULARY,
  parseHolderList,
  PersonaDefinition,
} from '@internal/plugin-devops-personas-common';

/** The plugin's effective configuration, built-in defaults merged with `devopsPersonas`. */
export interface PersonasConfig {
  personas: readonly PersonaDefinition[];
  vocabulary: AnnotationVocabulary;
  /** Holders used when no entity in the inheritance chain names one. */
  defaultHolders: Record<string, string[]>;
  heroMode: { personasPerEntity: number };
}

const DEFAULT_PERSONAS_PER_ENTITY = 4;

/**
 * Reads `devopsPersonas` from config. A bad value fails startup with a
 * message naming the key.
 */
export function readPersonasConfig(config: Config): PersonasConfig {
  const root = config.getOptionalConfig('devopsPersonas');
  const personas = BUILT_IN_PERSONAS;
  const knownIds = new Set(personas.map(p => p.id));

  const defaultHolders: Record<string, string[]> = {};
  const holdersConfig = root?.getOptionalConfig('defaultHolders');
  for (const personaId of holdersConfig?.keys() ?? []) {
    const key = `devopsPersonas.defaultHolders.${personaId}`;
    if (!knownIds.has(personaId)) {
      throw new Error(
        `Invalid config at ${key}: "${personaId}" is not a persona; known personas are ${[...knownIds].join(', ')}`,
      );
    }
    const { refs, errors } = parseHolderList(holdersConfig!.getString(personaId));
    if (errors.length) {
      throw new Error(`Invalid config at ${key}: ${errors.join('; ')}`);
    }
    defaultHolders[personaId] = refs;
  }

  const personasPerEntity =
    root?.getOptionalNumber('heroMode.personasPerEntity') ??
    DEFAULT_PERSONAS_PER_ENTITY;
  if (!Number.isInteger(personasPerEntity) || personasPerEntity < 2) {
    throw new Error(
      'Invalid config at devopsPersonas.heroMode.personasPerEntity: must be a whole number of 2 or more',
    );
  }

  return {
    personas,
    vocabulary: BUILT_IN_VOCABULARY,
    defaultHolders,
    heroMode: { personasPerEntity },
  };
}
