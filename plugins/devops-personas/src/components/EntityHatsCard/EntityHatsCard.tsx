import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { devopsPersonasApiRef } from '../../api';
import { ProvenanceText } from '../shared/provenance';
import { WarningList } from '../shared/WarningList';

/**
 * "What am I accountable for?": every hat a user or group wears, on which
 * entities, including the hats of a user's groups.
 *
 * @public
 */
export function EntityHatsCard() {
  const { entity } = useEntity();
  const api = useApi(devopsPersonasApiRef);
  const ref = getCompoundEntityRef(entity);
  const { value, loading, error } = useAsync(
    () => api.getHolder(ref),
    [api, ref.kind, ref.namespace, ref.name],
  );
  return (
    <InfoCard title="Hats" subheader="Personas worn on catalog entities">
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <>
          <WarningList warnings={value.warnings} />
          {value.hats.length === 0 ? (
            <Typography variant="body2">
              No hats yet. Hats come from devops-personas.io annotations that name this {ref.kind.toLowerCase()}.
            </Typography>
          ) : (
            <ul aria-label="Hats" style={{ margin: 0, paddingLeft: 20 }}>
              {value.hats.map((hat, i) => (
                <li key={i}>
                  <Typography variant="body2" component="span">
                    <strong>{hat.personaTitle}</strong> of{' '}
                    <EntityRefLink entityRef={hat.entityRef}>{hat.entityTitle}</EntityRefLink>{' '}
                    <span style={{ opacity: 0.7 }}>
                      (<ProvenanceText provenance={hat.provenance} />)
                    </span>
                  </Typography>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </InfoCard>
  );
}
