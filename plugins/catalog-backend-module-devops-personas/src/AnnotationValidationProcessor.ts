import { ENTITY_STATUS_CATALOG_PROCESSING_TYPE } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import { CatalogProcessor } from '@backstage/plugin-catalog-node';
import {
  AnnotationVocabulary,
  ANNOTATION_PREFIX,
  KPI_OWNER_ANNOTATION_PREFIX,
  KPI_TARGET_ANNOTATION_PREFIX,
  parseAnnotations,
  PersonaWarning,
  SLO_REF_ANNOTATION,
} from '@devops-personas/plugin-devops-personas-common';

/** How to fix a bad annotation, by the kind of key. */
function fixFor(warning: PersonaWarning, vocabulary: AnnotationVocabulary): string {
  const key = warning.key ?? '';
  if (warning.message.includes('is not a known KPI id')) {
    return `Use one of the KPI ids: ${[...vocabulary.kpiUnits.keys()].join(', ')}.`;
  }
  if (key.startsWith(KPI_TARGET_ANNOTATION_PREFIX)) {
    return 'Write a comparison and a value in the KPI\'s unit, e.g. "< 1d", ">= 99.5%", "<= 10%" or ">= 3/week".';
  }
  if (key === SLO_REF_ANNOTATION) {
    return 'Point it at an OpenSLO file, e.g. "./openslo.yaml" or a URL.';
  }
  if (vocabulary.personaAnnotations.has(key) || key.startsWith(KPI_OWNER_ANNOTATION_PREFIX)) {
    return 'Name users or groups, comma separated: "alice", "user:default/alice" or "group:platform-team".';
  }
  const personas = [...vocabulary.personaAnnotations.keys()].map(k => k.slice(ANNOTATION_PREFIX.length));
  return `Known keys are ${ANNOTATION_PREFIX}<persona> (${personas.join(', ')}), kpi-owner.<kpi>, kpi-target.<kpi> and slo-ref.`;
}

/**
 * Validates `devops-personas.io/*` annotations while the catalog processes an
 * entity. Bad ones are added to the entity's status as catalog-processing
 * errors, which the entity page's error panel shows. They are not emitted as
 * processing errors, because the catalog would then refuse to store the
 * entity: a typo in an annotation must never hide a service.
 *
 * @public
 */
export class AnnotationValidationProcessor implements CatalogProcessor {
  constructor(private readonly vocabulary: AnnotationVocabulary) {}

  getProcessorName(): string {
    return 'DevopsPersonasAnnotationValidationProcessor';
  }

  async postProcessEntity(entity: Entity): Promise<Entity> {
    const annotations = entity.metadata.annotations;
    if (!annotations || !Object.keys(annotations).some(k => k.startsWith(ANNOTATION_PREFIX))) {
      return entity;
    }
    const { warnings } = parseAnnotations(annotations, this.vocabulary);
    if (!warnings.length) return entity;
    const items = warnings.map(warning => {
      const message = `${warning.message} ${fixFor(warning, this.vocabulary)}`;
      return {
        type: ENTITY_STATUS_CATALOG_PROCESSING_TYPE,
        level: 'error' as const,
        message: `InvalidDevopsPersonasAnnotation: ${message}`,
        error: { name: 'InvalidDevopsPersonasAnnotation', message },
      };
    });
    const current = entity as AlphaEntity;
    const withStatus: AlphaEntity = {
      ...current,
      status: { ...current.status, items: [...(current.status?.items ?? []), ...items] },
    };
    return withStatus;
  }
}
