import { InfoCard, Link, Progress } from '@backstage/core-components';
import {
  EntityRefLink,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ErrorWithRetry } from '../shared/ErrorWithRetry';
import { plural } from '../shared/plural';
import { ProvenanceText } from '../shared/provenance';
import { useEntityAnswer } from '../shared/useEntityAnswer';
import { WarningList } from '../shared/WarningList';

/**
 * The path of the entity page's KPIs tab, as mounted in the app's
 * EntityPage (`<EntityLayout.Route path="/kpis">`) and by the `/alpha`
 * plugin.
 */
const KPIS_TAB = 'kpis';

const useStyles = makeStyles(theme => ({
  list: { margin: 0, paddingLeft: theme.spacing(2.5) },
  // text.secondary, 4.6:1 on white (an opacity of 0.7 dimmed the links too)
  provenance: { color: theme.palette.text.secondary },
  ref: { overflowWrap: 'anywhere' },
  summary: { marginBottom: theme.spacing(1) },
  rollups: { marginTop: theme.spacing(1.5) },
}));

/**
 * "What am I accountable for?": every hat a user or group wears, on which
 * entities, including the hats of a user's groups. On a Group, links to the
 * Group's KPIs rolled up over the entities it owns and over the entities
 * where it holds a persona.
 *
 * @public
 */
export function EntityHatsCard() {
  const classes = useStyles();
  const entityLink = useEntityRefLink();
  const {
    value,
    loading,
    error,
    retry,
    entity,
    entityRef: ref,
  } = useEntityAnswer((api, holder) => api.getHolder(holder));
  const kind = ref.kind.toLocaleLowerCase('en-US');
  const kpis = `${entityLink(entity)}/${KPIS_TAB}`;
  const entities = value ? new Set(value.hats.map(h => h.entityRef)).size : 0;
  const viaGroups = value
    ? value.hats.filter(h => h.provenance.startsWith('via-group:')).length
    : 0;
  return (
    <InfoCard title="Hats" subheader="Personas worn on catalog entities">
      {loading && !value && <Progress />}
      {error && (
        <ErrorWithRetry
          what={`Could not load the hats of this ${kind}`}
          error={error}
          onRetry={retry}
        />
      )}
      {value && !error && (
        <>
          <WarningList warnings={value.warnings} />
          {value.hats.length === 0 ? (
            <Typography variant="body2">
              No hats yet. Hats come from devops-personas.io annotations that
              name this {kind}.
            </Typography>
          ) : (
            <>
              <Typography variant="body2" className={classes.summary}>
                {plural(value.hats.length, 'hat')} on{' '}
                {plural(entities, 'entity', 'entities')}
                {viaGroups > 0 &&
                  ` (${plural(viaGroups, 'hat')} through ${
                    value.groups.length === 1 ? 'a group' : 'groups'
                  })`}
              </Typography>
              <ul aria-label="Hats" className={classes.list}>
                {value.hats.map((hat, i) => (
                  <li key={i}>
                    <Typography variant="body2" component="span">
                      <strong>{hat.personaTitle}</strong> of{' '}
                      <EntityRefLink
                        entityRef={hat.entityRef}
                        className={
                          /[:/]/.test(hat.entityTitle) ? classes.ref : undefined
                        }
                      >
                        {hat.entityTitle}
                      </EntityRefLink>{' '}
                      <span className={classes.provenance}>
                        (<ProvenanceText provenance={hat.provenance} />)
                      </span>
                    </Typography>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      {kind === 'group' && (
        <Typography variant="body2" className={classes.rollups} component="p">
          KPIs rolled up over <Link to={kpis}>entities it owns</Link> ·{' '}
          <Link to={`${kpis}?rollup=personas`}>
            entities where this group holds a persona
          </Link>
        </Typography>
      )}
    </InfoCard>
  );
}
