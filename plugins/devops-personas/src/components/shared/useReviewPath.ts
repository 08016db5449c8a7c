import { reviewRouteRef } from '../../plugin';
import { useRoutePath } from './useRoutePath';

/** The path of the weekly review page; `/devops-personas/review` where the app did not bind it. */
export function useReviewPath(): string {
  return useRoutePath(reviewRouteRef, '/devops-personas/review');
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
