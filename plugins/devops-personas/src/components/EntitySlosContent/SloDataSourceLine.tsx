import { Link } from '@backstage/core-components';
import { SloResult } from '@devops-personas/plugin-devops-personas-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { prometheusEntries, queryKindInWords } from './sloWording';

/**
 * A query with an unbroken run longer than this (a long selector or label
 * matcher) may break anywhere; shorter ones wrap at spaces only.
 */
const LONGEST_UNBROKEN_RUN = 40;

const useStyles = makeStyles(theme => ({
  queries: { margin: 0, paddingLeft: theme.spacing(2) },
  query: {
    fontFamily: 'monospace',
    fontSize: '0.85em',
    // PromQL is often written over several lines in the SLI document
    whiteSpace: 'pre-wrap',
    overflowWrap: 'break-word',
  },
  longQuery: { overflowWrap: 'anywhere' },
  link: { whiteSpace: 'nowrap' },
}));

function hasLongUnbrokenRun(query: string): boolean {
  return query.split(/\s+/).some(part => part.length > LONGEST_UNBROKEN_RUN);
}

/** "the error text" without its closing full stop, so a sentence can follow. */
function withoutFullStop(text: string): string {
  return text.trim().replace(/\.+$/, '');
}

/**
 * Where an SLO's figures come from, under its title: `sli` events sent to
 * the plugin, or the Prometheus queries (by role, each linked to the
 * Prometheus graph UI when its entry has an `externalUrl`). When Prometheus
 * could not answer, a warning says why and what to check.
 */
export function SloDataSourceLine(props: { slo: SloResult }) {
  const classes = useStyles();
  const { slo } = props;
  const source = slo.dataSource;
  const title = slo.displayName ?? slo.name;

  if (source.type === 'events') {
    return (
      <Typography variant="body2" color="textSecondary" paragraph>
        From sli events sent to the plugin
      </Typography>
    );
  }

  const entries = prometheusEntries(source);
  const severalEntries = entries.length > 1;
  return (
    <Box mb={2}>
      <Typography variant="body2" color="textSecondary">
        From Prometheus{entries.length > 0 && ` (${entries.join(', ')})`}
      </Typography>
      <ul
        className={classes.queries}
        aria-label={`Prometheus queries of ${title}`}
      >
        {source.queries.map(query => (
          <li key={`${query.role}:${query.query}`}>
            <Typography variant="body2" component="span">
              {query.role}, {queryKindInWords(source, query)}
              {severalEntries && `, on ${query.source}`}:{' '}
              <code
                className={`${classes.query} ${
                  hasLongUnbrokenRun(query.query) ? classes.longQuery : ''
                }`}
              >
                {query.query}
              </code>
              {query.graphUrl && (
                <>
                  {' '}
                  <Link
                    to={query.graphUrl}
                    target="_blank"
                    rel="noopener"
                    className={classes.link}
                    aria-label={`Open the ${query.role} query of ${title} in Prometheus`}
                  >
                    Open in Prometheus
                  </Link>
                </>
              )}
            </Typography>
          </li>
        ))}
      </ul>
      {source.error !== undefined && (
        <Box mt={1}>
          <Alert severity="warning">
            Prometheus could not answer: {withoutFullStop(source.error)}. The
            figures will show once it does; check{' '}
            {!entries.length && (
              <code className={classes.query}>
                devopsPersonas.sources.prometheus
              </code>
            )}
            {entries.map((entry, i) => (
              <span key={entry}>
                {i > 0 && ', '}
                <code className={classes.query}>
                  devopsPersonas.sources.prometheus.{entry}
                </code>
              </span>
            ))}{' '}
            and the {source.queries.length > 1 ? 'queries' : 'query'}.
          </Alert>
        </Box>
      )}
    </Box>
  );
}
