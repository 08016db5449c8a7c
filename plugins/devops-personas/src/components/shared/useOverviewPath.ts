import { rootRouteRef } from '../../plugin';
import { useRoutePath } from './useRoutePath';

/** The path of the org overview page; `/devops-personas` where the app did not bind it. */
export function useOverviewPath(): string {
  return useRoutePath(rootRouteRef, '/devops-personas');
}
