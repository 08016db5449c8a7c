import { EntityRefLink } from '@backstage/plugin-catalog-react';

/**
 * Says in words where a value came from, linking the entity it was inherited from.
 *
 * @public
 */
export function ProvenanceText(props: { provenance: string }) {
  const { provenance } = props;
  if (provenance === 'explicit') return <>Set on this entity</>;
  if (provenance === 'config-default') return <>Default from app-config</>;
  if (provenance === 'unassigned') return <>Unassigned</>;
  if (provenance === 'entity-owner') return <>Owner of this entity</>;
  const [kind, ref] = [provenance.slice(0, provenance.indexOf(':')), provenance.slice(provenance.indexOf(':') + 1)];
  if (kind === 'inherited') {
    return (
      <>
        Inherited from <EntityRefLink entityRef={ref} />
      </>
    );
  }
  if (kind === 'via-persona') return <>Through the {ref} persona</>;
  if (kind === 'via-group') {
    return (
      <>
        Through <EntityRefLink entityRef={ref} />
      </>
    );
  }
  return <>{provenance}</>;
}
