import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { SourceStatus } from '@devops-personas/plugin-devops-personas-common';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ResponseError } from '@backstage/errors';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { devopsPersonasApiRef } from '../../api';
import { EVENT_SOURCES_SECTION_ID } from '../shared/sources';
import { useOverviewPath } from '../shared/useOverviewPath';

const useStyles = makeStyles(theme => ({
  root: { textAlign: 'left', marginBottom: theme.spacing(2) },
  list: { margin: theme.spacing(0.5, 0, 1), paddingLeft: theme.spacing(2.5) },
  code: {
    fontFamily: 'monospace',
    fontSize: '0.9em',
    overflowWrap: 'anywhere',
  },
  meta: { color: theme.palette.text.secondary },
}));

/** "GitHub", "GitHub and PagerDuty", "GitHub, GitLab and PagerDuty". */
function listInWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function errorMessage(error: Error): string {
  return error instanceof ResponseError
    ? error.body?.error?.message ?? error.message
    : error.message;
}

/** What one source needs from this entity, or what it already has. */
function SourceAdvice(props: {
  source: SourceStatus;
  annotations: Record<string, string>;
  rollup: boolean;
}) {
  const classes = useStyles();
  const { source, annotations, rollup } = props;
  const key = source.annotation;
  if (!key) {
    return (
      <li>
        {source.title} finds entities by what each payload names; no annotation
        is needed.
      </li>
    );
  }
  const annotation = <span className={classes.code}>{key}</span>;
  if (rollup) {
    // a rollup counts its Components' events: they carry the annotation
    return (
      <li>
        Add {annotation} to the catalog-info.yaml of its Components to receive{' '}
        {source.title} events.
      </li>
    );
  }
  const value = annotations[key]?.trim();
  if (!value) {
    return (
      <li>
        Add {annotation} to catalog-info.yaml to receive {source.title} events.
      </li>
    );
  }
  return (
    <li>
      {annotation} is set (<span className={classes.code}>{value}</span>):{' '}
      {source.title} events for it show here once they arrive.
    </li>
  );
}

/**
 * For the KPI tab's empty state: which event sources the backend has and,
 * for each that maps entities by an annotation this entity lacks, the
 * annotation to add to catalog-info.yaml. A failure to list the sources
 * says so in a line, never hiding the rest of the advice.
 */
export function EventSourcesAdvice(props: {
  /** The entity's `metadata.annotations`. */
  annotations: Record<string, string>;
  /** The tab is a rollup: the annotations belong on its Components. */
  rollup: boolean;
}) {
  const classes = useStyles();
  const api = useApi(devopsPersonasApiRef);
  const overview = `${useOverviewPath()}#${EVENT_SOURCES_SECTION_ID}`;
  const { value, loading, error, retry } = useAsyncRetry(
    async () => api.getSources(),
    [api],
  );

  let content;
  if (error && !loading) {
    content = (
      <Typography variant="body2" role="alert">
        Could not list the event sources: {errorMessage(error)}.{' '}
        <Button size="small" color="primary" onClick={retry}>
          Try again
        </Button>
      </Typography>
    );
  } else if (!value) {
    content = (
      <Typography variant="body2" className={classes.meta} role="status">
        Checking which event sources the backend has…
      </Typography>
    );
  } else if (value.sources.length === 0) {
    content = (
      <Typography variant="body2">
        No event source is installed in the backend, so no webhook from GitHub,
        GitLab, PagerDuty, Alertmanager or CDEvents arrives here.{' '}
        <Link to={overview}>How to add one</Link>
      </Typography>
    );
  } else {
    content = (
      <>
        <Typography variant="body2">
          Event sources configured:{' '}
          {listInWords(value.sources.map(source => source.title))}.
        </Typography>
        <Typography variant="body2" component="ul" className={classes.list}>
          {value.sources.map(source => (
            <SourceAdvice
              key={source.id}
              source={source}
              annotations={props.annotations}
              rollup={props.rollup}
            />
          ))}
        </Typography>
        <Typography variant="body2">
          What each source received and dropped, and why:{' '}
          <Link to={overview}>Event sources</Link> on the DevOps Personas
          overview.
        </Typography>
      </>
    );
  }
  return (
    <section className={classes.root} aria-label="Event sources">
      {content}
    </section>
  );
}
