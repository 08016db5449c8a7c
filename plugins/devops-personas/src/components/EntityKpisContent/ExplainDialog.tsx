import { Progress } from '@backstage/core-components';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  KpiEventsResponse,
  KpiExplainedEvent,
  KpiExplainedSlo,
  KpiResult,
} from '@devops-personas/plugin-devops-personas-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Fragment, ReactNode, useEffect, useRef, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { devopsPersonasApiRef, KpiQuery } from '../../api';
import { ErrorWithRetry } from '../shared/ErrorWithRetry';
import {
  formatDateRange,
  formatDateTime,
  formatKpiValue,
  formatPercent,
} from '../shared/format';
import { plural } from '../shared/plural';
import { useStatusStyles } from '../shared/statusStyles';

/** How many rows a list shows before "Show all". */
export const EXPLAIN_ROW_CAP = 100;

const useStyles = makeStyles(theme => ({
  title: { '&:focus': { outline: 'none' } },
  ref: { overflowWrap: 'anywhere' },
  meta: { color: theme.palette.text.secondary },
  figure: { whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' },
  when: { whiteSpace: 'nowrap' },
  group: { fontWeight: 600, backgroundColor: theme.palette.action.hover },
}));

/** The roles of the explain answer in words; others lose their dashes. */
const ROLE_WORDS: Record<string, string> = {
  'rolled-back-deployment': 'rolled-back deployment',
  'customer-impacting-incident': 'customer-impacting incident',
  'non-actionable-alert': 'non-actionable alert',
  'success-run': 'successful run',
  'failure-run': 'failed run',
  'failed-deployment-incident': 'incident from a failed deployment',
};

export function roleInWords(role: string): string {
  return ROLE_WORDS[role] ?? role.replace(/[-_]+/g, ' ');
}

/**
 * How an incident was linked to its deployment, in words, and the rule
 * behind it for the tooltip (SPEC §8: source modules may infer the link).
 */
const LINKED_BY: Record<
  NonNullable<KpiExplainedEvent['linkedBy']>,
  { words: string; rule: string }
> = {
  explicit: {
    words: 'linked by the incident',
    rule: 'The incident names the deployment that caused it (causedByDeploymentId).',
  },
  'last-deployment': {
    words: 'inferred: last production deployment before the incident',
    rule: 'The incident named no deployment; its source linked it to the last production deployment that finished before the incident started (attribution rule last-deployment).',
  },
};

function LinkedBy(props: { linkedBy: KpiExplainedEvent['linkedBy'] }) {
  const classes = useStyles();
  const linked = props.linkedBy ? LINKED_BY[props.linkedBy] : undefined;
  if (!linked) return null;
  return (
    <Typography
      variant="caption"
      component="div"
      className={classes.meta}
      title={linked.rule}
    >
      {linked.words}
    </Typography>
  );
}

/** Which date of an event tells when it counted, by type; the first present wins. */
const DATE_FIELDS: Record<string, Array<[string, string]>> = {
  deployment: [['finishedAt', 'finished']],
  change: [
    ['createdAt', 'created'],
    ['mergedAt', 'merged'],
  ],
  incident: [
    ['resolvedAt', 'resolved'],
    ['startedAt', 'started'],
  ],
  alert: [['firedAt', 'fired']],
  vulnerability: [
    ['fixedAt', 'fixed'],
    ['detectedAt', 'detected'],
  ],
  'pipeline-run': [['finishedAt', 'finished']],
  'postmortem-action': [
    ['dueAt', 'due'],
    ['createdAt', 'created'],
  ],
  sli: [['windowStart', 'from']],
  measurement: [['timestamp', 'measured']],
};

/** KPIs that count an event by another date than its type's usual one. */
const KPI_DATE_FIELDS: Record<string, Array<[string, string]>> = {
  'pr-turnaround-time': [['mergedAt', 'merged']],
  'customer-impacting-incidents': [['startedAt', 'started']],
};

function relevantDate(
  kpiId: string,
  event: KpiExplainedEvent['event'],
): { word: string; at: string } | undefined {
  const fields = [
    ...(KPI_DATE_FIELDS[kpiId] ?? []),
    ...(DATE_FIELDS[event.type] ?? []),
  ];
  for (const [field, word] of fields) {
    const at = event[field];
    if (typeof at === 'string' && at) return { word, at };
  }
  return undefined;
}

/** The url of an event when it is safe to link: http(s) only. */
export function safeUrl(url: unknown): string | undefined {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return undefined;
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** A target or attainment as a percentage without trailing zeros: 99.5 %. */
function targetPercent(target: number): string {
  return `${Number((target * 100).toFixed(3))} %`;
}

function ItemCell(props: { item: KpiExplainedEvent; entityRef: string }) {
  const classes = useStyles();
  const { event } = props.item;
  const url = safeUrl(event.url);
  const label = `${event.type} ${event.id}`;
  return (
    <>
      <span className={classes.ref}>
        {url ? (
          <Link href={url} target="_blank" rel="noopener noreferrer">
            {label}
          </Link>
        ) : (
          label
        )}
      </span>
      {(event.source || event.entityRef !== props.entityRef) && (
        <Typography
          variant="caption"
          component="div"
          className={`${classes.meta} ${classes.ref}`}
        >
          {event.source ? `from ${event.source}` : ''}
          {event.source && event.entityRef !== props.entityRef ? ', ' : ''}
          {event.entityRef !== props.entityRef && (
            <>
              on <EntityRefLink entityRef={event.entityRef} />
            </>
          )}
        </Typography>
      )}
    </>
  );
}

function EventsTable(props: {
  kpiId: string;
  answer: KpiEventsResponse;
  unit: string;
}) {
  const classes = useStyles();
  const { answer } = props;
  const [all, setAll] = useState(false);
  const events = answer.events;
  const shown = all ? events : events.slice(0, EXPLAIN_ROW_CAP);
  const withFigures = events.some(
    e => e.figure !== null && e.figure !== undefined,
  );
  const withNotes = events.some(e => e.note || e.linkedBy);
  const figureUnit = answer.figureUnit ?? props.unit;
  return (
    <>
      <Table size="small" aria-label="Events behind the value">
        <TableHead>
          <TableRow>
            <TableCell>Item</TableCell>
            <TableCell>Counted as</TableCell>
            {withFigures && <TableCell align="right">Its figure</TableCell>}
            {withNotes && <TableCell>Why</TableCell>}
            <TableCell>When</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map((item, i) => {
            const when = relevantDate(props.kpiId, item.event);
            return (
              <TableRow
                key={`${item.event.type}/${item.event.source}/${item.event.id}/${i}`}
              >
                <TableCell>
                  <ItemCell item={item} entityRef={answer.entityRef} />
                </TableCell>
                <TableCell>{roleInWords(item.role)}</TableCell>
                {withFigures && (
                  <TableCell align="right" className={classes.figure}>
                    {item.figure === null || item.figure === undefined
                      ? '—'
                      : formatKpiValue(item.figure, figureUnit)}
                  </TableCell>
                )}
                {withNotes && (
                  <TableCell>
                    {item.note ?? ''}
                    <LinkedBy linkedBy={item.linkedBy} />
                  </TableCell>
                )}
                <TableCell className={classes.when}>
                  {when ? `${when.word} ${formatDateTime(when.at)}` : '—'}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      {events.length > EXPLAIN_ROW_CAP && (
        <Box mt={1} display="flex" alignItems="center" gridGap={8}>
          <Typography variant="body2" className={classes.meta}>
            {all
              ? `All ${plural(events.length, 'event')} shown.`
              : `The first ${EXPLAIN_ROW_CAP} of ${plural(
                  events.length,
                  'event',
                )}, most contributing first.`}
          </Typography>
          <Button size="small" color="primary" onClick={() => setAll(!all)}>
            {all
              ? `Show the first ${EXPLAIN_ROW_CAP}`
              : `Show all ${events.length.toLocaleString('en-US')}`}
          </Button>
        </Box>
      )}
    </>
  );
}

function MetText(props: { met: boolean | null }) {
  const status = useStatusStyles();
  if (props.met === true) return <span className={status.good}>met</span>;
  if (props.met === false) return <span className={status.bad}>missed</span>;
  return <span className={status.neutral}>no data</span>;
}

function SlosTable(props: { slos: KpiExplainedSlo[] }) {
  const classes = useStyles();
  const groups = new Map<string, KpiExplainedSlo[]>();
  for (const slo of props.slos) {
    groups.set(slo.entityRef, [...(groups.get(slo.entityRef) ?? []), slo]);
  }
  const grouped = groups.size > 1;
  return (
    <Table size="small" aria-label="SLOs behind the value">
      <TableHead>
        <TableRow>
          <TableCell>SLO</TableCell>
          <TableCell>Objective</TableCell>
          <TableCell align="right">Target</TableCell>
          <TableCell align="right">Attainment</TableCell>
          <TableCell>Met</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {[...groups].map(([entityRef, slos]) => (
          <Fragment key={entityRef}>
            {grouped && (
              <TableRow>
                <TableCell
                  colSpan={5}
                  component="th"
                  scope="rowgroup"
                  className={`${classes.group} ${classes.ref}`}
                >
                  <EntityRefLink entityRef={entityRef} />
                </TableCell>
              </TableRow>
            )}
            {slos.map((slo, i) => (
              <TableRow key={`${slo.name}/${slo.objective}/${i}`}>
                <TableCell className={classes.ref}>
                  {slo.displayName || slo.name}
                  {slo.dataSource === 'prometheus' && (
                    <Typography variant="caption" display="block">
                      from Prometheus
                    </Typography>
                  )}
                </TableCell>
                <TableCell>{slo.objective}</TableCell>
                <TableCell align="right" className={classes.figure}>
                  {targetPercent(slo.target)}
                </TableCell>
                <TableCell align="right" className={classes.figure}>
                  {formatPercent(slo.attainment)}
                </TableCell>
                <TableCell>
                  <MetText met={slo.met} />
                </TableCell>
              </TableRow>
            ))}
          </Fragment>
        ))}
      </TableBody>
    </Table>
  );
}

function Explanation(props: { kpi: KpiResult; answer: KpiEventsResponse }) {
  const { kpi, answer } = props;
  const isSlo = answer.slos !== undefined;
  const empty = answer.events.length === 0 && !answer.slos?.length;
  return (
    <>
      <Typography variant="body2" paragraph id="kpi-explain-description">
        <strong>How it is computed:</strong>{' '}
        {answer.formula ? sentence(answer.formula) : 'no formula given.'} Value{' '}
        <strong>{formatKpiValue(answer.value, kpi.unit)}</strong> from{' '}
        {plural(answer.sampleSize, 'data point')} between{' '}
        {formatDateRange(answer.window.start, answer.window.end)} (UTC).
      </Typography>
      {empty && (
        <Typography variant="body2" paragraph>
          {isSlo
            ? 'No SLOs behind this value in this window. Widen the window, or check that the entity has a devops-personas.io/slo-ref annotation and that sli events arrive.'
            : 'No events in this window. Widen the window, or check that events arrive: your pipelines and tools must send them for this entity (the backend’s sources list says what arrived and what was dropped).'}
        </Typography>
      )}
      {answer.slos && answer.slos.length > 0 && (
        <SlosTable slos={answer.slos} />
      )}
      {answer.events.length > 0 && (
        <Box mt={answer.slos?.length ? 2 : 0}>
          <EventsTable kpiId={kpi.id} answer={answer} unit={kpi.unit} />
        </Box>
      )}
    </>
  );
}

/**
 * The dialog's title, focused when the dialog opens: a static element at the
 * top, so that a long table below does not scroll the start out of view (and
 * a screen reader starts at the title). It mounts with the dialog's content,
 * so its effect runs before the focus trap's, which then leaves focus here.
 */
function DialogHeading(props: { children: ReactNode }) {
  const classes = useStyles();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <Typography
      variant="h6"
      component="h2"
      id="kpi-explain-title"
      tabIndex={-1}
      ref={ref}
      className={classes.title}
    >
      {props.children}
    </Typography>
  );
}

/**
 * The events behind one KPI value, as a table a person reads: the formula
 * in words with value and sample size, then one row per contributing item
 * (most contributing first, as the backend sorts them) with its role, its
 * own figure, what made it count and when; for `slo-compliance` the SLOs.
 */
export function ExplainDialog(props: {
  entityRef: CompoundEntityRef;
  kpi: KpiResult;
  /** The window of the KPI answer, for the title. */
  window: { start: string; end: string };
  /** The query of the KPI answer (window, until, rollup). */
  query: KpiQuery;
  onClose: () => void;
}) {
  const api = useApi(devopsPersonasApiRef);
  const { entityRef, kpi, query } = props;
  const refKey = stringifyEntityRef(entityRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getKpiEvents(entityRef, kpi.id, query),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [
      api,
      refKey,
      kpi.id,
      query.window,
      query.until,
      query.rollup,
      query.bucket,
    ],
  );
  return (
    <Dialog
      open
      onClose={props.onClose}
      maxWidth="lg"
      fullWidth
      scroll="paper"
      aria-labelledby="kpi-explain-title"
      aria-describedby="kpi-explain-description"
    >
      <DialogTitle disableTypography>
        <DialogHeading>
          {kpi.title}: {formatKpiValue(kpi.value, kpi.unit)},{' '}
          {formatDateRange(props.window.start, props.window.end)}
        </DialogHeading>
      </DialogTitle>
      <DialogContent dividers>
        {loading && <Progress />}
        {error && !loading && (
          <ErrorWithRetry
            what="Could not load the events behind this value"
            error={error}
            onRetry={retry}
          />
        )}
        {value && !loading && <Explanation kpi={kpi} answer={value} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} color="primary" variant="outlined">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
