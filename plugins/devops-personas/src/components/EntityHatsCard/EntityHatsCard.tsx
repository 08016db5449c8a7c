import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { ProvenanceText } from '../shared/provenance';
import { useEntityAnswer } from '../shared/useEntityAnswer';
import { WarningList } from '../shared/WarningList';

/**
 * "What am I accountable for?": every hat a user or group wears, on which
 * entities, including the hats of a user's groups.
 *
 * @public
 */
export function EntityHatsCard() {
  const {
    value,
    loading,
    error,
    entityRef: ref,
  } = useEntityAnswer((api, holder) => api.getHolder(holder));
  return (
    <InfoCard title="Hats" subheader="Personas worn on catalog entities">
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <>
          <WarningList warnings={value.warnings} />
          {value.hats.length === 0 ? (
            <Typography variant="body2">
              No hats yet. Hats come from devops-personas.io annotations that
              name this {ref.kind.toLowerCase()}.
            </Typography>
          ) : (
            <ul aria-label="Hats" style={{ margin: 0, paddingLeft: 20 }}>
              {value.hats.map((hat, i) => (
                <li key={i}>
                  <Typography variant="body2" component="span">
                    <strong>{hat.personaTitle}</strong> of{' '}
                    <EntityRefLink entityRef={hat.entityRef}>
                      {hat.entityTitle}
                    </EntityRefLink>{' '}
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
