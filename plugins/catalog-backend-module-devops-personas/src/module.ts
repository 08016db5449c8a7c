import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_PREFIX,
  BUILT_IN_VOCABULARY,
} from '@devops-personas/plugin-devops-personas-common';
import { AnnotationValidationProcessor } from './AnnotationValidationProcessor';

/**
 * Validates DevOps Personas annotations during catalog processing.
 *
 * @public
 */
export const catalogModuleDevopsPersonas = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'devops-personas',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ catalog, config }) {
        // Measurement KPIs declared in config are valid kpi-owner/kpi-target ids too.
        const kpiUnits = new Map(BUILT_IN_VOCABULARY.kpiUnits);
        for (const kpi of config.getOptionalConfigArray('devopsPersonas.measurementKpis') ?? []) {
          kpiUnits.set(kpi.getString('id'), kpi.getString('unit'));
        }
        // Custom personas declared in config have annotations of their own.
        const personaAnnotations = new Map(BUILT_IN_VOCABULARY.personaAnnotations);
        const personas = config.getOptionalConfig('devopsPersonas.personas');
        for (const id of personas?.keys() ?? []) {
          const annotation = personas!.getOptionalString(`${id}.annotation`) ?? `${ANNOTATION_PREFIX}${id}`;
          for (const [key, value] of personaAnnotations) if (value === id) personaAnnotations.delete(key);
          personaAnnotations.set(annotation, id);
        }
        catalog.addProcessor(
          new AnnotationValidationProcessor({ personaAnnotations, kpiUnits }),
        );
      },
    });
  },
});
