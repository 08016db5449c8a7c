import {
  CodeSnippet,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  BUILT_IN_KPIS,
  KPI_GROUPS,
  KpiResult,
  MEASUREMENT_KPI_GROUP,
} from '@internal/plugin-devops-personas-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Grid from '@material-ui/core/Grid';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { devopsPersonasApiRef } from '../../api';
import { formatKpiValue, formatTarget } from '../shared/format';
import { ProvenanceText } from '../shared/provenance';
import { useEntityAnswer } from '../shared/useEntityAnswer';
import { WarningList } from '../shared/WarningList';
import { TrendChart } from './TrendChart';

const TIER_COLORS: Record<string, string> = {
  elite: '#1b5e20',
  high: '#2e7d32',
  medium: '#ef6c00',
  low: '#c62828',
};

const useStyles = makeStyles(theme => ({
  value: {
    fontSize: '1.8rem',
    fontWeight: 600,
    textTransform: 'none',
    padding: 0,
    minWidth: 0,
  },
  tier: {
    color: '#fff',
    fontWeight: 600,
    marginLeft: theme.spacing(1),
    textTransform: 'capitalize',
  },
  meta: { color: theme.palette.text.secondary },
  met: { color: theme.palette.success?.main ?? '#2e7d32' },
  missed: { color: theme.palette.error.main },
  response: { marginTop: theme.spacing(1), fontStyle: 'italic' },
}));

function changeText(kpi: KpiResult): string {
  if (kpi.baseline === null) return 'no baseline yet';
  const base = `baseline ${formatKpiValue(kpi.baseline, kpi.unit)}`;
  if (kpi.change === null) return base;
  if (kpi.change === 0) return `${base}, unchanged`;
  const better = kpi.direction === 'higher' ? kpi.change > 0 : kpi.change < 0;
  const sign = kpi.change > 0 ? '+' : '−';
  const pct =
    kpi.changeRatio !== null
      ? ` (${sign}${Math.round(Math.abs(kpi.changeRatio) * 100)} %)`
      : '';
  return `${base}, ${sign}${formatKpiValue(
    Math.abs(kpi.change),
    kpi.unit,
  )}${pct}, ${better ? 'better' : 'worse'}`;
}

function ExplainDialog(props: {
  entityRef: CompoundEntityRef;
  kpi: KpiResult;
  window: string;
  onClose: () => void;
}) {
  const api = useApi(devopsPersonasApiRef);
  const { value, loading, error } = useAsync(
    () =>
      api.getKpiEvents(props.entityRef, props.kpi.id, { window: props.window }),
    [props.kpi.id, props.window],
  );
  return (
    <Dialog
      open
      onClose={props.onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="kpi-explain-title"
    >
      <DialogTitle id="kpi-explain-title">
        {props.kpi.title}: {formatKpiValue(props.kpi.value, props.kpi.unit)}
      </DialogTitle>
      <DialogContent>
        {loading && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && (
          <>
            <Typography variant="body2" paragraph>
              <strong>How it is computed:</strong> {value.formula}.{' '}
              {value.sampleSize} data points between{' '}
              {value.window.start.slice(0, 16).replace('T', ' ')} and{' '}
              {value.window.end.slice(0, 16).replace('T', ' ')} UTC.
            </Typography>
            {value.events.length === 0 ? (
              <Typography variant="body2">No events in this window.</Typography>
            ) : (
              <ul aria-label="Events behind the value">
                {value.events.map((e, i) => (
                  <li key={i}>
                    <Typography variant="body2" component="span">
                      <strong>{e.role}</strong> {e.event.type} {e.event.id}
                      {e.event.source ? ` (${e.event.source})` : ''}:{' '}
                      {Object.entries(e.event)
                        .filter(([k]) =>
                          /At$|status|severity|actionable|flaky|rework|value|kpi/.test(
                            k,
                          ),
                        )
                        .map(([k, v]) => `${k} ${v}`)
                        .join(', ')}
                    </Typography>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}

function KpiCard(props: {
  kpi: KpiResult;
  onExplain: (kpi: KpiResult) => void;
}) {
  const classes = useStyles();
  const { kpi } = props;
  return (
    <InfoCard title={kpi.title}>
      <Box display="flex" alignItems="center">
        <Button
          className={classes.value}
          onClick={() => props.onExplain(kpi)}
          aria-label={`${kpi.title}: ${formatKpiValue(
            kpi.value,
            kpi.unit,
          )}, show the events behind it`}
        >
          {formatKpiValue(kpi.value, kpi.unit)}
        </Button>
        {kpi.tier && (
          <Chip
            size="small"
            label={kpi.tier}
            className={classes.tier}
            style={{ backgroundColor: TIER_COLORS[kpi.tier] }}
          />
        )}
      </Box>
      <Typography variant="body2" className={classes.meta}>
        {changeText(kpi)} · {kpi.sampleSize} data points
        {kpi.overdue !== undefined ? ` · ${kpi.overdue} overdue` : ''}
      </Typography>
      <Typography variant="body2">
        {kpi.target
          ? `Target ${formatTarget(kpi.target, kpi.unit)}`
          : 'No target set'}
        {kpi.met === true && <span className={classes.met}> · met</span>}
        {kpi.met === false && (
          <span className={classes.missed}> · not met</span>
        )}
      </Typography>
      <TrendChart trend={kpi.trend} unit={kpi.unit} title={kpi.title} />
      <Typography variant="body2">
        Owner:{' '}
        {kpi.owner.holders.length ? (
          kpi.owner.holders.map((ref, i) => (
            <span key={ref}>
              {i > 0 && ', '}
              <EntityRefLink entityRef={ref} />
            </span>
          ))
        ) : (
          <span className={classes.missed}>nobody</span>
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

/**
 * The KPIs tab: one section per KPI group (DORA metrics first, then flow,
 * stability, risk and measurement KPIs, as in `KPI_GROUPS`), each KPI with
 * trend, baseline, target, owner and response.
 *
 * @public
 */
export function EntityKpisContent() {
  const classes = useStyles();
  const backendUrl =
    useApi(configApiRef).getOptionalString('backend.baseUrl') ?? '';
  const [window, setWindow] = useState('30d');
  const [explain, setExplain] = useState<KpiResult | undefined>();
  const { value, loading, error, entity, entityRef } = useEntityAnswer(
    (api, ref) =>
      api.getKpis(ref, { window, bucket: window === '90d' ? 'month' : 'week' }),
    [window],
  );

  const selector = (
    <Box display="flex" justifyContent="flex-end" mb={2}>
      <ToggleButtonGroup
        value={window}
        exclusive
        size="small"
        onChange={(_e, next) => next && setWindow(next)}
        aria-label="Window"
      >
        <ToggleButton value="7d">7 days</ToggleButton>
        <ToggleButton value="30d">30 days</ToggleButton>
        <ToggleButton value="90d">90 days</ToggleButton>
      </ToggleButtonGroup>
    </Box>
  );

  if (loading)
    return (
      <>
        {selector}
        <Progress />
      </>
    );
  if (error)
    return (
      <>
        {selector}
        <ResponseErrorPanel error={error} />
      </>
    );
  if (!value) return null;

  const hasData = value.kpis.some(k => k.sampleSize > 0);
  if (!hasData) {
    return (
      <>
        {selector}
        <EmptyState
          missing="data"
          title="No delivery events yet"
          description="KPIs are computed from deployment, change, incident, alert, vulnerability, pipeline-run and postmortem-action events that your pipelines and tools send. Send one with a service or external-access token:"
          action={
            <CodeSnippet
              language="bash"
              text={curlExample(backendUrl, stringifyEntityRef(entity))}
              showCopyCodeButton
            />
          }
        />
      </>
    );
  }

  const grouped = groupKpis(value.kpis);

  return (
    <>
      {selector}
      <WarningList warnings={value.warnings} />
      {value.entities.length > 1 && (
        <Typography variant="body2" paragraph>
          Rollup over {value.entities.length - 1} entities: events are pooled,
          never averaged.
        </Typography>
      )}
      {grouped.map((group, index) => (
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
                <KpiCard kpi={kpi} onExplain={setExplain} />
              </Grid>
            ))}
          </Grid>
        </Box>
      ))}
      <Typography variant="caption" className={classes.meta} component="p">
        Window {value.window.start.slice(0, 10)} to{' '}
        {value.window.end.slice(0, 10)} (UTC). Click a value to see the events
        behind it.{' '}
        <Link href="https://dora.dev" target="_blank" rel="noopener">
          About the DORA tiers
        </Link>
      </Typography>
      {explain && (
        <ExplainDialog
          entityRef={entityRef}
          kpi={explain}
          window={window}
          onClose={() => setExplain(undefined)}
        />
      )}
    </>
  );
}
