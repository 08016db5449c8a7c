import {
  CompoundEntityRef,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { DevopsPersonasApi, devopsPersonasApiRef } from '../../api';

/**
 * Asks the backend about the current entity; asks again when the entity (or
 * one of `deps`) changes.
 */
export function useEntityAnswer<T>(
  ask: (api: DevopsPersonasApi, entityRef: CompoundEntityRef) => Promise<T>,
  deps: unknown[] = [],
) {
  const { entity } = useEntity();
  const api = useApi(devopsPersonasApiRef);
  const entityRef = getCompoundEntityRef(entity);
  const state = useAsync(
    () => ask(api, entityRef),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, entityRef.kind, entityRef.namespace, entityRef.name, ...deps],
  );
  return { ...state, entity, entityRef };
}
