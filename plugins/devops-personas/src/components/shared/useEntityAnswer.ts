import { useRef } from 'react';
import {
  CompoundEntityRef,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { DevopsPersonasApi, devopsPersonasApiRef } from '../../api';

/**
 * Asks the backend about the current entity; asks again when the entity (or
 * one of `deps`) changes, or on `retry()`.
 *
 * While a new answer loads, `value` keeps the last answer for the same
 * entity (`stale` is then true), so a page can dim its figures instead of
 * blanking them.
 */
export function useEntityAnswer<T>(
  ask: (api: DevopsPersonasApi, entityRef: CompoundEntityRef) => Promise<T>,
  deps: unknown[] = [],
) {
  const { entity } = useEntity();
  const api = useApi(devopsPersonasApiRef);
  const entityRef = getCompoundEntityRef(entity);
  const key = `${entityRef.kind}:${entityRef.namespace}/${entityRef.name}`;
  const state = useAsyncRetry(
    () => ask(api, entityRef),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, entityRef.kind, entityRef.namespace, entityRef.name, ...deps],
  );
  const last = useRef<{ key: string; value: T } | undefined>(undefined);
  if (state.value !== undefined && !state.loading)
    last.current = { key, value: state.value };
  const previous = last.current?.key === key ? last.current.value : undefined;
  const value = state.loading ? state.value ?? previous : state.value;
  return {
    ...state,
    value,
    stale: state.loading && value !== undefined,
    entity,
    entityRef,
  };
}
