import { useRouteRef } from '@backstage/core-plugin-api';
import { reviewRouteRef } from '../../plugin';

/** Where the review page is mounted in a legacy app without routes bound. */
const REVIEW_FALLBACK_PATH = '/devops-personas/review';

/**
 * The path of the weekly review page: its route where the app mounts it,
 * else `/devops-personas/review` (the new frontend system mounts the page
 * under its own route ref, which the legacy `reviewRouteRef` does not
 * resolve).
 */
export function useReviewPath(): string {
  let path: string | undefined;
  try {
    // Called once on every render, never skipped: every hook inside
    // useRouteRef runs before it throws "No path for routeRef", which is all
    // this catches. The rule cannot tell a try from a condition.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    path = useRouteRef(reviewRouteRef)();
  } catch {
    path = undefined;
  }
  return path ?? REVIEW_FALLBACK_PATH;
}

/**
 * The review page's link for an entity: `<path>?entity=<full ref, lower
 * case>`, the form notification links and the KPIs tab use.
 */
export function useReviewLink(entityRef: string): string {
  const base = useReviewPath();
  const query = new URLSearchParams({
    entity: entityRef.toLocaleLowerCase('en-US'),
  });
  return `${base}?${query.toString()}`;
}
