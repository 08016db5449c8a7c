import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { BUILT_IN_VOCABULARY } from '@internal/plugin-devops-personas-common';
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
        catalog.addProcessor(
          new AnnotationValidationProcessor({
            personaAnnotations: BUILT_IN_VOCABULARY.personaAnnotations,
            kpiUnits,
          }),
        );
      },
    });
  },
});
