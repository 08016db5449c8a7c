/**
 * Catalog module of DevOps Personas: validates `devops-personas.io/*`
 * annotations and shows bad ones on the entity.
 *
 * @packageDocumentation
 */

export { catalogModuleDevopsPersonas as default } from './module';
export { AnnotationValidationProcessor } from './AnnotationValidationProcessor';
