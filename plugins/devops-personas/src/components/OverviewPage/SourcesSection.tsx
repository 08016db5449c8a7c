import { CodeSnippet, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  SourceAmbiguity,
  SourceDropReason,
  SourcesResponse,
  SourceStatus,
} from '@devops-personas/plugin-devops-personas-common';
import Grid from '@material-ui/core/Grid';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { devopsPersonasApiRef } from '../../api';
import { ErrorWithRetry } from '../shared/ErrorWithRetry';
import { formatDateTime, formatKpiValue } from '../shared/format';
import { plural } from '../shared/plural';
import { EVENT_SOURCES_SECTION_ID, webhookPath } from '../shared/sources';

const useStyles = makeStyles(theme => ({
  source: {
    height: '100%',
    padding: theme.spacing(1.5, 2),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  list: {
    margin: theme.spacing(0.5, 0, 1),
    paddingLeft: theme.spacing(2.5),
  },
  plain: { margin: theme.spacing(0.5, 0, 1), padding: 0, listStyle: 'none' },
  // refs, topics and annotation values may break anywhere; words never do
  code: {
    fontFamily: 'monospace',
    fontSize: '0.85em',
    overflowWrap: 'anywhere',
  },
  ref: { overflowWrap: 'anywhere' },
  meta: { color: theme.palette.textSubtle ?? theme.palette.text.secondary },
  error: { color: theme.palette.error.main, fontWeight: 500 },
}));

/** "it" or "them": a dropped event or several. */
const them = (count: number) => (count === 1 ? 'it' : 'them');

/** Why events were dropped, in words a person reads, in the order of the type. */
const DROP_REASONS: Array<{
  reason: SourceDropReason;
  /** The short name, also used for the last error. */
  label: string;
  /** Why, for `count` dropped events of `source`. */
  why: (count: number, source: SourceStatus) => string;
}> = [
  {
    reason: 'ignored',
    label: 'ignored',
    why: (_count, source) =>
      `of a kind it does not count${ignoredReasonsInWords(source)}`,
  },
  {
    reason: 'unmapped-entity',
    label: 'unmapped',
    why: (_count, { annotation }) =>
      annotation
        ? `no entity carries the annotation ${annotation} with the value named`
        : 'no catalog entity matches what the payload names',
  },
  {
    reason: 'invalid-event',
    label: 'invalid',
    why: count =>
      `${count === 1 ? 'it fails' : 'they fail'} the checks of POST /v1/events`,
  },
  {
    reason: 'unreadable-payload',
    label: 'unreadable',
    why: count => `the source could not read ${them(count)}`,
  },
  {
    reason: 'store-failed',
    label: 'not stored',
    why: count =>
      `the database refused ${them(count)}; redeliver ${them(
        count,
      )} from the tool, or replay ${them(count)}`,
  },
];

/** The source's own reasons for the ignored payloads, most frequent first: " (event:push 5, …)". */
function ignoredReasonsInWords(source: SourceStatus): string {
  const reasons = Object.entries(source.counts.ignoredReasons ?? {}).sort(
    ([a, m], [b, n]) => n - m || a.localeCompare(b),
  );
  if (!reasons.length) return '';
  const shown = reasons
    .slice(0, 3)
    .map(([reason, n]) => `${reason} ${n.toLocaleString('en-US')}`);
  const more =
    reasons.length > 3
      ? `, ${plural(reasons.length - 3, 'more reason', 'more reasons')}`
      : '';
  return ` (${shown.join(', ')}${more})`;
}

function reasonLabel(reason: string): string {
  return DROP_REASONS.find(r => r.reason === reason)?.label ?? reason;
}

/** The dropped counts, known reasons first in their order, then any a newer backend adds. */
function droppedLines(source: SourceStatus): string[] {
  const dropped: Record<string, number | undefined> = source.counts.dropped;
  const known = DROP_REASONS.filter(r => dropped[r.reason]).map(
    r =>
      `${dropped[r.reason]!.toLocaleString('en-US')} ${r.label}: ${r.why(
        dropped[r.reason]!,
        source,
      )}`,
  );
  const others = Object.entries(dropped)
    .filter(
      ([reason, count]) =>
        count && !DROP_REASONS.some(r => r.reason === reason),
    )
    .map(([reason, count]) => `${count!.toLocaleString('en-US')} ${reason}`);
  return [...known, ...others];
}

function totalDropped(source: SourceStatus): number {
  return Object.values(source.counts.dropped).reduce<number>(
    (sum, count) => sum + (count ?? 0),
    0,
  );
}

function Ambiguity(props: { ambiguity: SourceAmbiguity }) {
  const classes = useStyles();
  const { annotation, value, entityRefs, chosen } = props.ambiguity;
  const others = entityRefs.filter(ref => ref !== chosen);
  return (
    <Typography variant="body2" component="li">
      {plural(entityRefs.length, 'entity', 'entities')}{' '}
      {entityRefs.length === 1 ? 'carries' : 'carry'}{' '}
      <span className={classes.code}>
        {annotation} = {value}
      </span>
      ; events go to{' '}
      <span className={classes.ref}>
        <EntityRefLink entityRef={chosen}>{chosen}</EntityRefLink>
      </span>
      {others.length > 0 && (
        <Typography variant="body2" component="span" className={classes.meta}>
          {' '}
          (not to{' '}
          {others.map((ref, i) => (
            <span key={ref} className={classes.ref}>
              {i > 0 && ', '}
              <EntityRefLink entityRef={ref}>{ref}</EntityRefLink>
            </span>
          ))}
          ). Keep the annotation on one of them, or give each its own value.
        </Typography>
      )}
    </Typography>
  );
}

function Source(props: { source: SourceStatus }) {
  const classes = useStyles();
  const { source } = props;
  const { received, stored } = source.counts;
  const dropped = totalDropped(source);
  const lines = droppedLines(source);
  return (
    <section className={classes.source} aria-label={source.title}>
      <Typography variant="h6" component="h3">
        {source.title}
      </Typography>
      <Typography variant="body2">
        {source.topics.length === 1 ? 'Webhook: ' : 'Webhooks: '}
        {source.topics.map((topic, i) => (
          <span key={topic}>
            {i > 0 && ', '}
            <span className={classes.code}>POST {webhookPath(topic)}</span>
          </span>
        ))}
      </Typography>
      <Typography variant="body2">
        {source.annotation ? (
          <>
            Maps entities by the annotation{' '}
            <span className={classes.code}>{source.annotation}</span>
          </>
        ) : (
          'Maps entities by what the payload names (no annotation)'
        )}
      </Typography>
      <Typography variant="body2" component="p" style={{ marginTop: 8 }}>
        {received === 0
          ? 'Nothing received yet: point the tool’s webhook at the address above.'
          : `${plural(received, 'payload')} received · ${plural(
              stored,
              'event',
            )} stored · ${dropped.toLocaleString('en-US')} dropped`}
      </Typography>
      {lines.length > 0 && (
        <ul className={classes.list} aria-label={`Dropped by ${source.title}`}>
          {lines.map(line => (
            <li key={line}>
              <Typography variant="body2" component="span">
                {line}
              </Typography>
            </li>
          ))}
        </ul>
      )}
      {source.lastError && (
        <Typography variant="body2" component="p">
          <span className={classes.error}>
            Last error, {formatDateTime(source.lastError.at)} (
            {reasonLabel(source.lastError.reason)}):
          </span>{' '}
          {source.lastError.message}
        </Typography>
      )}
      {source.ambiguities.length > 0 && (
        <>
          <Typography variant="body2" component="p" style={{ marginTop: 8 }}>
            Ambiguous:
          </Typography>
          <ul className={classes.list}>
            {source.ambiguities.map(ambiguity => (
              <Ambiguity
                key={`${ambiguity.annotation}=${ambiguity.value}`}
                ambiguity={ambiguity}
              />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** How incidents that name no deployment are linked to one, in words. */
function attributionText(attribution: SourcesResponse['attribution']): string {
  if (attribution.rule === 'explicit') {
    return 'An incident counts against a deployment only when it names it (causedByDeploymentId); nothing is inferred.';
  }
  return `An incident from a source that names no deployment is linked to the entity’s last production deployment that finished at most ${formatKpiValue(
    attribution.maxGapSeconds,
    'seconds',
  )} before it started; the KPI explanations say which links were inferred. Incidents posted to POST /v1/events are never linked by inference.`;
}

const INSTALL_EXAMPLE = `// packages/backend/src/index.ts
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@devops-personas/plugin-devops-personas-backend-module-github'));`;

function NoSources(props: { docsUrl?: string }) {
  const classes = useStyles();
  return (
    <>
      <Typography variant="body2" paragraph>
        No event source is installed: KPIs come only from events posted to{' '}
        <span className={classes.code}>
          POST /api/devops-personas/v1/events
        </span>
        . To turn the webhooks of GitHub, GitLab, PagerDuty, Alertmanager or
        CDEvents into KPI events, add a source module package to the backend
        (and Backstage’s events backend, which receives the webhooks), list its
        topic under <span className={classes.code}>events.http.topics</span> in
        app-config.yaml, and point the tool’s webhook at{' '}
        <span className={classes.code}>
          https://&lt;your Backstage&gt;/api/events/http/&lt;topic&gt;
        </span>
        :
      </Typography>
      <CodeSnippet language="typescript" text={INSTALL_EXAMPLE} />
      <Typography variant="body2" style={{ marginTop: 8 }}>
        The topic, secret and annotation of each tool are in the section{' '}
        {props.docsUrl ? (
          <Link href={props.docsUrl} target="_blank" rel="noopener">
            “Event sources” of the DevOps Personas README
          </Link>
        ) : (
          '“Event sources” of the DevOps Personas README'
        )}
        .
      </Typography>
    </>
  );
}

/**
 * The event sources of the backend (`GET /v1/sources`): per source its
 * webhook address, the annotation it maps entities by, what it received,
 * stored and dropped (with the reasons in words), its last error and the
 * annotation values several entities share; or, with no source installed,
 * how to add one. Answers "why is my KPI tab empty?".
 */
export function SourcesSection(props: {
  /** Where the README's "Event sources" section is published, for a link. */
  docsUrl?: string;
}) {
  const classes = useStyles();
  const api = useApi(devopsPersonasApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    async () => api.getSources(),
    [api],
  );
  return (
    <section id={EVENT_SOURCES_SECTION_ID} aria-label="Event sources">
      <InfoCard
        title="Event sources"
        subheader="Webhooks that become KPI events, and what became of them"
      >
        {error && !loading && (
          <ErrorWithRetry
            what="Could not load the event sources"
            error={error}
            onRetry={retry}
          />
        )}
        {loading && !value && <Progress />}
        {value && value.sources.length === 0 && (
          <NoSources docsUrl={props.docsUrl} />
        )}
        {value && value.sources.length > 0 && (
          <>
            <Grid container spacing={2}>
              {value.sources.map(source => (
                <Grid item xs={12} md={6} xl={4} key={source.id}>
                  <Source source={source} />
                </Grid>
              ))}
            </Grid>
            <Typography
              variant="body2"
              component="p"
              className={classes.meta}
              style={{ marginTop: 16 }}
            >
              Counts since the plugin’s database was created: payloads as they
              arrive, events as they are stored or dropped.{' '}
              {value.attribution && attributionText(value.attribution)}
            </Typography>
          </>
        )}
      </InfoCard>
    </section>
  );
}
