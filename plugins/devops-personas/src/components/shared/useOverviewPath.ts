import { useRouteRef } from '@backstage/core-plugin-api';
import { rootRouteRef } from '../../plugin';

/** Where the overview page was mounted in a legacy app without routes bound. */
const OVERVIEW_FALLBACK_PATH = '/devops-personas';

/**
 * The path of the org overview page: its route where the app mounts it,
 * else `/devops-personas` (the new frontend system mounts the page under its
 * own route ref, which the legacy `rootRouteRef` does not resolve).
 */
export function useOverviewPath(): string {
  let path: string | undefined;
  try {
    // Called once on every render, never skipped: every hook inside
    // useRouteRef runs before it throws "No path for routeRef", which is all
    // this catches. The rule cannot tell a try from a condition.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    path = useRouteRef(rootRouteRef)();
  } catch {
    path = undefined;
  }
  return path ?? OVERVIEW_FALLBACK_PATH;
}
