import {
  CodeSnippet,
  EmptyState,
  InfoCard,
  Link as AppLink,
  Progress,
} from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  BUILT_IN_KPIS,
  EntityKpisResponse,
  KPI_GROUPS,
  KpiAssessment,
  KpiResult,
  MEASUREMENT_KPI_GROUP,
} from '@devops-personas/plugin-devops-personas-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import EventNoteIcon from '@material-ui/icons/EventNote';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { KpiQuery } from '../../api';
import { ErrorWithRetry } from '../shared/ErrorWithRetry';
import {
  formatChange,
  formatChangeRatio,
  formatDateRange,
  formatKpiValue,
  formatPeriod,
  formatTarget,
} from '../shared/format';
import { plural } from '../shared/plural';
import { ProvenanceText } from '../shared/provenance';
import { useEntityAnswer } from '../shared/useEntityAnswer';
import { useReviewLink } from '../shared/useReviewPath';
import { WarningList } from '../shared/WarningList';
import { EventSourcesAdvice } from './EventSourcesAdvice';
import { ExplainDialog } from './ExplainDialog';
import { useStatusStyles } from '../shared/statusStyles';
import { TierChip } from '../shared/StatusChips';
import { TrendChart } from './TrendChart';

const WINDOWS = [
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
  { id: '90d', label: '90 days' },
] as const;
type WindowId = (typeof WINDOWS)[number]['id'];
type Bucket = 'week' | 'month';
type Rollup = 'owned' | 'personas';

const ROLLUP_CHOICES: Array<{ id: Rollup; label: string }> = [
  { id: 'owned', label: 'Components it owns' },
  { id: 'personas', label: 'Entities where this group holds a persona' },
];

const useStyles = makeStyles(theme => {
  const focusRing = {
    outline: `2px solid ${theme.palette.primary.main}`,
    outlineOffset: 2,
  };
  return {
    value: {
      fontSize: '1.8rem',
      fontWeight: 600,
      textTransform: 'none',
      padding: 0,
      minWidth: 0,
      '&:focus-visible, &.Mui-focusVisible': focusRing,
    },
    noTier: {
      color: theme.palette.text.primary,
      borderColor: theme.palette.text.secondary,
    },
    tierLine: {
      display: 'flex',
      alignItems: 'center',
      flexWrap: 'wrap',
      gap: theme.spacing(1),
      margin: theme.spacing(0.5, 0),
    },
    meta: { color: theme.palette.text.secondary },
    ref: { overflowWrap: 'anywhere' },
    response: { marginTop: theme.spacing(1), fontStyle: 'italic' },
    controls: {
      display: 'flex',
      flexWrap: 'wrap',
      justifyContent: 'space-between',
      alignItems: 'center',
      gap: theme.spacing(1),
      marginBottom: theme.spacing(2),
    },
    toggles: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) },
    // a link (it goes somewhere), with an icon to be found at a glance
    reviewLink: {
      display: 'inline-flex',
      alignItems: 'center',
      gap: theme.spacing(0.5),
      fontWeight: 500,
      '&:focus-visible': focusRing,
    },
    // Unselected: text.primary (about 13:1 on white, not the 2.65:1 of the
    // lab default); selected: the primary fill with its contrast text.
    toggle: {
      color: theme.palette.text.primary,
      textTransform: 'none',
      '&.Mui-selected, &.Mui-selected:hover': {
        color: theme.palette.primary.contrastText,
        backgroundColor: theme.palette.primary.main,
      },
      '&:focus-visible, &.Mui-focusVisible': focusRing,
    },
    busy: { opacity: 0.6, transition: 'opacity 150ms' },
    idle: { opacity: 1, transition: 'opacity 150ms' },
  };
});

/** The window, bucket and (for a Group) rollup basis, kept in the URL. */
function useKpiSearchParams(isGroup: boolean) {
  const [params, setParams] = useSearchParams();
  const windowParam = params.get('window');
  const window: WindowId = WINDOWS.find(w => w.id === windowParam)?.id ?? '30d';
  const bucketParam = params.get('bucket');
  const defaultBucket: Bucket = window === '90d' ? 'month' : 'week';
  const bucket: Bucket =
    bucketParam === 'week' || bucketParam === 'month'
      ? bucketParam
      : defaultBucket;
  const rollupParam: Rollup =
    params.get('rollup') === 'personas' ? 'personas' : 'owned';
  const rollup: Rollup | undefined = isGroup ? rollupParam : undefined;
  const set = (changes: Record<string, string>) =>
    setParams(
      previous => {
        const next = new URLSearchParams(previous);
        for (const [key, value] of Object.entries(changes)) {
          next.set(key, value);
        }
        return next;
      },
      { replace: true },
    );
  return { window, bucket, rollup, set };
}

function tierPeriodText(
  kpi: KpiResult,
  window: { start: string; end: string },
): string | undefined {
  const period = kpi.tierPeriod;
  if (!period) return undefined;
  const sameAsWindow =
    Date.parse(period.start) === Date.parse(window.start) &&
    Date.parse(period.end) === Date.parse(window.end);
  return sameAsWindow
    ? 'over this window'
    : `over ${formatPeriod(period.start, period.end)}`;
}

function Tier(props: {
  kpi: KpiResult;
  window: { start: string; end: string };
}) {
  const classes = useStyles();
  const { kpi } = props;
  if (kpi.tier) {
    const period = tierPeriodText(kpi, props.window);
    return (
      <div className={classes.tierLine}>
        <TierChip tier={kpi.tier} />
        {period && (
          <Typography variant="body2" component="span" className={classes.meta}>
            DORA tier {period}
          </Typography>
        )}
      </div>
    );
  }
  if (kpi.dora && kpi.tierNote) {
    return (
      <div className={classes.tierLine}>
        <Chip
          size="small"
          variant="outlined"
          label="no tier"
          className={classes.noTier}
        />
        <Typography variant="body2" component="span" className={classes.meta}>
          {kpi.tierNote}
        </Typography>
      </div>
    );
  }
  return null;
}

function AssessmentWord(props: { assessment: KpiAssessment }) {
  const status = useStatusStyles();
  const className = {
    better: status.good,
    worse: status.bad,
    steady: status.neutral,
  }[props.assessment];
  return <span className={className}>{props.assessment}</span>;
}

/**
 * The change against the baseline: "−5 pts vs baseline (1 Sep – 28 Sep
 * 2026): 89 % · worse". The word comes from the backend's assessment (it
 * knows the direction and the steady threshold), never from the sign; a
 * change that rounds to zero is "steady".
 */
function BaselineLine(props: { kpi: KpiResult }) {
  const { kpi } = props;
  if (kpi.baseline === null) return <>no baseline yet</>;
  const dates = kpi.baselineWindow
    ? ` (${formatDateRange(kpi.baselineWindow.start, kpi.baselineWindow.end)})`
    : '';
  const baseline = formatKpiValue(kpi.baseline, kpi.unit);
  if (kpi.value === null || kpi.change === null) {
    return <>{`baseline${dates}: ${baseline}`}</>;
  }
  const change = formatChange(kpi.change, kpi.unit);
  if (change === null) {
    return (
      <>
        <AssessmentWord assessment="steady" />
        {` vs baseline${dates}: ${baseline}`}
      </>
    );
  }
  // a relative change of a fraction would be a percentage of a percentage
  const ratio =
    kpi.unit === 'fraction' ? null : formatChangeRatio(kpi.changeRatio);
  return (
    <>
      {`${change}${
        ratio ? ` (${ratio})` : ''
      } vs baseline${dates}: ${baseline}`}
      {kpi.assessment && (
        <>
          {' · '}
          <AssessmentWord assessment={kpi.assessment} />
        </>
      )}
    </>
  );
}

function KpiCard(props: {
  kpi: KpiResult;
  window: { start: string; end: string };
  bucket: Bucket;
  onExplain: (kpi: KpiResult) => void;
}) {
  const classes = useStyles();
  const status = useStatusStyles();
  const { kpi } = props;
  const value = formatKpiValue(kpi.value, kpi.unit);
  return (
    <InfoCard title={kpi.title}>
      <Box display="flex" alignItems="center">
        <Button
          className={classes.value}
          onClick={() => props.onExplain(kpi)}
          aria-label={`${kpi.title}: ${value}, show the events behind it`}
        >
          {value}
        </Button>
      </Box>
      <Tier kpi={kpi} window={props.window} />
      <Typography variant="body2" className={classes.meta}>
        <BaselineLine kpi={kpi} />
      </Typography>
      {kpi.previous && (
        <Typography variant="body2" className={classes.meta}>
          previous window (
          {formatDateRange(kpi.previous.start, kpi.previous.end)}):{' '}
          {formatKpiValue(kpi.previous.value, kpi.unit)}
        </Typography>
      )}
      <Typography variant="body2" className={classes.meta}>
        {plural(kpi.sampleSize, 'data point')}
        {kpi.overdue !== undefined ? ` · ${kpi.overdue} overdue` : ''}
      </Typography>
      <Typography variant="body2">
        {kpi.target
          ? `Target ${formatTarget(kpi.target, kpi.unit)}`
          : 'No target set'}
        {kpi.met === true && <span className={status.good}> · met</span>}
        {kpi.met === false && <span className={status.bad}> · not met</span>}
      </Typography>
      <TrendChart
        trend={kpi.trend}
        unit={kpi.unit}
        title={kpi.title}
        bucket={props.bucket}
      />
      <Typography variant="body2">
        Owner:{' '}
        {kpi.owner.holders.length ? (
          kpi.owner.holders.map((ref, i) => (
            <span key={ref} className={classes.ref}>
              {i > 0 && ', '}
              <EntityRefLink entityRef={ref} />
            </span>
          ))
        ) : (
          <span className={status.bad}>nobody</span>
        )}{' '}
        <span className={classes.meta}>
          (<ProvenanceText provenance={kpi.owner.provenance} />)
        </span>
      </Typography>
      {kpi.response && (
        <Typography variant="body2" className={classes.response}>
          If it deteriorates: {kpi.response}
        </Typography>
      )}
    </InfoCard>
  );
}

/**
 * The section of a KPI: the answer's group; an answer without one (from a
 * backend older than groups) falls back to the built-in definition.
 */
function groupOf(kpi: KpiResult): string {
  return (
    kpi.group ??
    BUILT_IN_KPIS.find(definition => definition.id === kpi.id)?.group ??
    MEASUREMENT_KPI_GROUP
  );
}

/**
 * The KPIs in sections: the groups of `KPI_GROUPS` in their order, then any
 * group this frontend does not know (from a newer backend) under its id.
 * Empty sections are left out; KPIs keep the answer's order.
 */
function groupKpis(kpis: KpiResult[]) {
  const sections = new Map<string, KpiResult[]>(
    KPI_GROUPS.map(group => [group.id, []]),
  );
  for (const kpi of kpis) {
    const id = groupOf(kpi);
    sections.set(id, [...(sections.get(id) ?? []), kpi]);
  }
  return [...sections]
    .filter(([, members]) => members.length > 0)
    .map(([id, members]) => ({
      id,
      title: KPI_GROUPS.find(group => group.id === id)?.title ?? id,
      kpis: members,
    }));
}

function curlExample(baseUrl: string, entityRef: string) {
  return `curl -X POST ${baseUrl}/api/devops-personas/v1/events \\
  -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\
  -d '{"events":[{"type":"deployment","id":"deploy-1","source":"ci",
       "entityRef":"${entityRef}","finishedAt":"${new Date()
    .toISOString()
    .slice(0, 19)}Z",
       "status":"success","changeIds":[]}]}'`;
}

/** What a rollup is over, in words; `undefined` for a single entity. */
function rollupText(
  answer: EntityKpisResponse,
  kind: string,
): string | undefined {
  const n = answer.entities.length;
  switch (answer.rollup) {
    case 'parts':
      return kind === 'domain'
        ? `Rollup over ${plural(n, 'Component')} of the Systems of this Domain`
        : `Rollup over ${plural(n, 'Component')} of this ${
            kind.charAt(0).toLocaleUpperCase('en-US') + kind.slice(1)
          }`;
    case 'owned':
      return `Rollup over ${plural(n, 'Component')} this group owns`;
    case 'personas':
      return `Rollup over ${plural(
        n,
        'entity',
        'entities',
      )} where this group holds a persona`;
    case null:
      return undefined;
    default:
      // a backend older than `rollup`: the entities besides this one
      return n > 1
        ? `Rollup over ${plural(n - 1, 'entity', 'entities')}`
        : undefined;
  }
}

/** Why a rollup has nothing to count, and what to do about it. */
const EMPTY_ROLLUP: Record<string, string> = {
  parts:
    'No Components belong to this entity yet: a System rolls up its Components (spec.system), a Domain the Components of its Systems.',
  owned:
    'This group owns no Components. Switch to the entities where it holds a persona, or make it the spec.owner of its Components.',
  personas:
    'This group holds no persona on any entity. Name it in a devops-personas.io/* annotation, or switch to the Components it owns.',
};

/** The window length of an answer in the API's words, e.g. `30d`. */
function windowOf(answer: EntityKpisResponse): string {
  const days = Math.round(
    (Date.parse(answer.window.end) - Date.parse(answer.window.start)) /
      86_400_000,
  );
  return `${days}d`;
}

/**
 * The KPIs tab: one section per KPI group (DORA metrics first, then flow,
 * stability, risk and measurement KPIs, as in `KPI_GROUPS`), each KPI with
 * trend, baseline, target, owner and response. A System's, Domain's or
 * Group's tab is a rollup over its Components; a Group can switch to the
 * entities where it holds a persona. The window, the trend buckets and the
 * rollup basis are kept in the URL.
 *
 * @public
 */
export function EntityKpisContent() {
  const classes = useStyles();
  const backendUrl =
    useApi(configApiRef).getOptionalString('backend.baseUrl') ?? '';
  const { entity: current } = useEntity();
  const kind = current.kind.toLocaleLowerCase('en-US');
  const isGroup = kind === 'group';
  const { window, bucket, rollup, set } = useKpiSearchParams(isGroup);
  const [explain, setExplain] = useState<KpiResult | undefined>();
  const reviewLink = useReviewLink(stringifyEntityRef(current));
  const query: KpiQuery = { window, bucket, ...(rollup ? { rollup } : {}) };
  const { value, loading, error, retry, stale, entity, entityRef } =
    useEntityAnswer(
      (api, ref) => api.getKpis(ref, query),
      [window, bucket, rollup],
    );

  const controls = (
    <div className={classes.controls}>
      <div className={classes.toggles}>
        <AppLink to={reviewLink} className={classes.reviewLink}>
          <EventNoteIcon fontSize="small" />
          This week's review
        </AppLink>
        {isGroup && (
          <ToggleButtonGroup
            value={rollup}
            exclusive
            size="small"
            onChange={(_e, next) => next && set({ rollup: next })}
            aria-label="Roll up over"
          >
            {ROLLUP_CHOICES.map(choice => (
              <ToggleButton
                key={choice.id}
                value={choice.id}
                className={classes.toggle}
              >
                {choice.label}
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
        )}
      </div>
      <div className={classes.toggles}>
        <ToggleButtonGroup
          value={window}
          exclusive
          size="small"
          onChange={(_e, next) => next && set({ window: next })}
          aria-label="Window"
        >
          {WINDOWS.map(w => (
            <ToggleButton key={w.id} value={w.id} className={classes.toggle}>
              {w.label}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        <ToggleButtonGroup
          value={bucket}
          exclusive
          size="small"
          onChange={(_e, next) => next && set({ bucket: next })}
          aria-label="Trend buckets"
        >
          <ToggleButton value="week" className={classes.toggle}>
            Weekly
          </ToggleButton>
          <ToggleButton value="month" className={classes.toggle}>
            Monthly
          </ToggleButton>
        </ToggleButtonGroup>
      </div>
    </div>
  );

  if (error && !loading) {
    return (
      <>
        {controls}
        <ErrorWithRetry
          what="Could not load the KPIs of this entity"
          error={error}
          onRetry={retry}
        />
      </>
    );
  }
  if (!value) {
    return (
      <>
        {controls}
        <Progress />
      </>
    );
  }

  const rollupLine = rollupText(value, kind);
  const hasData = value.kpis.some(k => k.sampleSize > 0);
  // The explain dialog explains the answer on screen, even a dimmed one.
  const explainQuery: KpiQuery = {
    window: stale ? windowOf(value) : window,
    until: value.window.end,
    ...(value.rollup === 'owned' || value.rollup === 'personas'
      ? { rollup: value.rollup }
      : {}),
  };

  return (
    <>
      {controls}
      {stale && (
        <LinearProgress aria-label="Loading the KPIs of the new choice" />
      )}
      <div
        aria-busy={stale}
        data-testid="kpis-answer"
        className={stale ? classes.busy : classes.idle}
      >
        {rollupLine && (
          <Typography variant="body2" paragraph>
            {rollupLine}: events are pooled, never averaged.
          </Typography>
        )}
        {value.rollup && value.entities.length === 0 && (
          <EmptyState
            missing="data"
            title="Nothing to roll up"
            description={EMPTY_ROLLUP[value.rollup]}
          />
        )}
        {(!value.rollup || value.entities.length > 0) && !hasData && (
          <EmptyState
            missing="data"
            title="No delivery events yet"
            description="KPIs are computed from deployment, change, incident, alert, vulnerability, pipeline-run and postmortem-action events: from your tools' webhooks through the backend's event sources, or sent by your pipelines."
            action={
              <>
                <EventSourcesAdvice
                  annotations={entity.metadata.annotations ?? {}}
                  rollup={!!value.rollup}
                />
                <Typography variant="body2" paragraph>
                  Or send one from a pipeline with a service or external-access
                  token:
                </Typography>
                <CodeSnippet
                  language="bash"
                  text={curlExample(
                    backendUrl,
                    // a rollup counts the events of its Components
                    value.rollup
                      ? value.entities[0]
                      : stringifyEntityRef(entity),
                  )}
                  showCopyCodeButton
                />
              </>
            }
          />
        )}
        {hasData && (
          <>
            <WarningList
              warnings={value.warnings}
              // the overview's `within` is what a rollup owns or contains,
              // not where a Group holds a persona
              entityRef={
                value.rollup === 'personas' ? undefined : value.entityRef
              }
            />
            {groupKpis(value.kpis).map((group, index) => (
              <Box
                key={group.id}
                mt={index ? 3 : 0}
                component="section"
                aria-label={group.title}
              >
                <Typography variant="h5" component="h2" gutterBottom>
                  {group.title}
                </Typography>
                <Grid container spacing={2}>
                  {group.kpis.map(kpi => (
                    <Grid item xs={12} md={6} lg={3} key={kpi.id}>
                      <KpiCard
                        kpi={kpi}
                        window={value.window}
                        bucket={value.bucket ?? bucket}
                        onExplain={setExplain}
                      />
                    </Grid>
                  ))}
                </Grid>
              </Box>
            ))}
            <Typography
              variant="caption"
              className={classes.meta}
              component="p"
            >
              Window {formatDateRange(value.window.start, value.window.end)}{' '}
              (UTC). Click a value to see the events behind it.{' '}
              <Link href="https://dora.dev" target="_blank" rel="noopener">
                About the DORA tiers
              </Link>
            </Typography>
          </>
        )}
      </div>
      {explain && (
        <ExplainDialog
          entityRef={entityRef}
          kpi={explain}
          window={value.window}
          query={explainQuery}
          onClose={() => setExplain(undefined)}
        />
      )}
    </>
  );
}
