import { RouteRef, useRouteRef } from '@backstage/core-plugin-api';

/**
 * The path of one of the plugin's pages: its route where the app mounts it,
 * else `fallback` (the new frontend system mounts the pages under route refs
 * of its own, which the legacy route refs do not resolve).
 */
export function useRoutePath(routeRef: RouteRef, fallback: string): string {
  let path: string | undefined;
  try {
    // Called once on every render, never skipped: every hook inside
    // useRouteRef runs before it throws "No path for routeRef", which is all
    // this catches. The rule cannot tell a try from a condition.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    path = useRouteRef(routeRef)();
  } catch {
    path = undefined;
  }
  return path ?? fallback;
}
