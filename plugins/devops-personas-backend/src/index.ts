/**
 * Backend of the DevOps Personas plugins.
 *
 * @packageDocumentation
 */

export { devopsPersonasPlugin as default } from './plugin';
