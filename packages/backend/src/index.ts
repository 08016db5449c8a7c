/*
 * The example portal's backend: the catalog with the example catalog, guest
 * sign-in, the permission framework and the DevOps Personas plugin.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
// Shows bad devops-personas.io annotations in the entity's error panel.
backend.add(import('@internal/plugin-catalog-backend-module-devops-personas'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

backend.add(import('@internal/plugin-devops-personas-backend'));

backend.start();
