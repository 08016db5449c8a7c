import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { DevopsPersonasSource } from './sources';

/**
 * Registers event sources with the DevOps Personas backend.
 *
 * @public
 */
export interface DevopsPersonasSourcesExtensionPoint {
  /**
   * Adds sources. The backend subscribes to their topics on Backstage's
   * events service, and stores what their translators return through the
   * same validation and idempotent upsert as `POST /v1/events`.
   */
  addSource(...sources: DevopsPersonasSource[]): void;
}

/**
 * The extension point through which a backend module adds an event source
 * (GitHub, GitLab, PagerDuty, …) to the DevOps Personas backend.
 *
 * @example
 * ```ts
 * export default createBackendModule({
 *   pluginId: 'devops-personas',
 *   moduleId: 'my-tool',
 *   register(env) {
 *     env.registerInit({
 *       deps: { sources: devopsPersonasSourcesExtensionPoint },
 *       async init({ sources }) {
 *         sources.addSource({ id: 'my-tool', title: 'My Tool', topics: ['my-tool'], translate });
 *       },
 *     });
 *   },
 * });
 * ```
 *
 * @public
 */
export const devopsPersonasSourcesExtensionPoint =
  createExtensionPoint<DevopsPersonasSourcesExtensionPoint>({
    id: 'devops-personas.sources',
  });
