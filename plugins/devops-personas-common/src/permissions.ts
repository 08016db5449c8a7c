import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read personas, RACI, KPIs and SLOs of an entity. Entity reads are further
 * limited by the catalog's own read permission.
 *
 * @public
 */
export const devopsPersonasReadPermission = createPermission({
  name: 'devops-personas.read',
  attributes: { action: 'read' },
});

/**
 * Send delivery and operations events (`POST /events`).
 * Service principals (CI tokens) may send unless their token's
 * `accessRestrictions` leave this permission out.
 *
 * @public
 */
export const devopsPersonasIngestPermission = createPermission({
  name: 'devops-personas.events.ingest',
  attributes: { action: 'create' },
});

/**
 * Every permission of the plugin.
 *
 * @public
 */
export const devopsPersonasPermissions = [
  devopsPersonasReadPermission,
  devopsPersonasIngestPermission,
];
