/*
 * The example portal's backend: the catalog with the example catalog, guest
 * sign-in, the permission framework, Backstage's events system (webhook
 * ingress), the DevOps Personas plugin with its event sources, notifications
 * and signals (the bell), and an MCP server for its actions.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
// Shows bad devops-personas.io annotations in the entity's error panel.
backend.add(
  import('@devops-personas/plugin-catalog-backend-module-devops-personas'),
);

backend.add(import('@backstage/plugin-permission-backend'));
// Users may read and do everything, but not send events: only CI does, with
// the static token of backend.auth.externalAccess (see permissionPolicy.ts).
backend.add(import('./permissionPolicy'));

// Webhooks arrive at POST /api/events/http/<topic> (events.http.topics);
// Backstage's GitHub and GitLab modules check their signatures and tokens.
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-events-backend-module-github'));
backend.add(import('@backstage/plugin-events-backend-module-gitlab'));

backend.add(import('@devops-personas/plugin-devops-personas-backend'));
// Event sources: each turns its tool's webhooks into KPI events.
backend.add(
  import('@devops-personas/plugin-devops-personas-backend-module-github'),
);
backend.add(
  import('@devops-personas/plugin-devops-personas-backend-module-gitlab'),
);
backend.add(
  import('@devops-personas/plugin-devops-personas-backend-module-pagerduty'),
);
backend.add(
  import('@devops-personas/plugin-devops-personas-backend-module-alertmanager'),
);
backend.add(
  import('@devops-personas/plugin-devops-personas-backend-module-cdevents'),
);

// The bell: notifications to the people who answer for a KPI (DevOps
// Personas sends them), pushed to open browsers through signals.
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// Serves the actions of backend.actions.pluginSources (DevOps Personas'
// ownership answers among them) to MCP clients at /api/mcp-actions/v1.
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
