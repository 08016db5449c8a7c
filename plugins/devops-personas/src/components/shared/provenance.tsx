import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';

function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase('en-US') + text.slice(1);
}

/**
 * A link to an entity that reads like a sentence: "System payments" (the
 * namespace is shown only when it is not `default`).
 */
export function EntityInWords(props: { entityRef: string }) {
  let parsed;
  try {
    parsed = parseEntityRef(props.entityRef);
  } catch {
    return <>{props.entityRef}</>;
  }
  const name =
    parsed.namespace === 'default'
      ? parsed.name
      : `${parsed.namespace}/${parsed.name}`;
  // One span, so that a flex parent (a card subheader) keeps the spaces.
  return (
    <span>
      {capitalize(parsed.kind)}{' '}
      <EntityRefLink entityRef={parsed}>{name}</EntityRefLink>
    </span>
  );
}

/**
 * Says in words where a value came from ("Set on this entity", "Inherited
 * from System payments", "Config default", "Unassigned"), linking the entity
 * it was inherited from.
 */
export function ProvenanceText(props: { provenance: string }) {
  const { provenance } = props;
  if (provenance === 'explicit') return <>Set on this entity</>;
  if (provenance === 'config-default') return <>Config default</>;
  if (provenance === 'unassigned') return <>Unassigned</>;
  if (provenance === 'entity-owner') return <>Owner of this entity</>;
  const colon = provenance.indexOf(':');
  const [kind, ref] = [provenance.slice(0, colon), provenance.slice(colon + 1)];
  if (kind === 'inherited') {
    return (
      <span>
        Inherited from <EntityInWords entityRef={ref} />
      </span>
    );
  }
  if (kind === 'via-persona') return <>Through the {ref} persona</>;
  if (kind === 'via-group') {
    return (
      <span>
        Through <EntityInWords entityRef={ref} />
      </span>
    );
  }
  return <>{provenance}</>;
}
