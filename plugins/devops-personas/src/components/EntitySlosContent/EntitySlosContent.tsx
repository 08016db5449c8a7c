import {
  CodeSnippet,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  SloObjectiveResult,
  SloResult,
} from '@internal/plugin-devops-personas-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useEntityAnswer } from '../shared/useEntityAnswer';
import { WarningList } from '../shared/WarningList';

const ALERT_COLORS = { page: '#c62828', ticket: '#ef6c00', ok: '#2e7d32' };
const ALERT_TEXT = {
  page: 'Page: burning budget fast enough to exhaust it within days',
  ticket: 'Ticket: burning budget faster than sustainable',
  ok: 'OK: burn rate within budget',
};
const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

const pct = (v: number | null, digits = 2) =>
  v === null ? 'no data' : `${(v * 100).toFixed(digits)} %`;

const EXAMPLE = `# catalog-info.yaml
metadata:
  annotations:
    devops-personas.io/slo-ref: ./openslo.yaml

# openslo.yaml, next to catalog-info.yaml
apiVersion: openslo/v1
kind: SLO
metadata:
  name: my-service-availability
spec:
  indicator:
    metadata:
      name: my-service-requests
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 30d
      isRolling: true
  objectives:
    - displayName: 99.5 % of requests succeed
      target: 0.995

# then send sli events: {"type": "sli", "slo": "my-service-availability",
#   "windowStart": "…", "windowEnd": "…", "good": 995, "total": 1000, …}`;

function BurnDown(props: { objective: SloObjectiveResult; title: string }) {
  const theme = useTheme();
  const data = props.objective.burnDown.map(p => ({
    label: p.at.slice(5, 10),
    value:
      p.budgetRemaining === null
        ? null
        : Math.round(p.budgetRemaining * 1000) / 10,
  }));
  return (
    <div
      role="img"
      aria-label={`Error budget burn-down of ${props.title}`}
      style={{ width: '100%', height: 120 }}
    >
      <ResponsiveContainer>
        <LineChart
          data={data}
          margin={{ top: 5, right: 10, bottom: 0, left: 0 }}
        >
          <XAxis
            dataKey="label"
            tick={{ fontSize: 10 }}
            interval="preserveStartEnd"
          />
          <YAxis tick={{ fontSize: 10 }} width={36} unit="%" />
          <ReferenceLine
            y={0}
            stroke={theme.palette.error.main}
            strokeDasharray="3 3"
          />
          <Tooltip formatter={(v: number) => `${v} % budget left`} />
          <Line
            type="monotone"
            dataKey="value"
            stroke={theme.palette.primary.main}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

function Objective(props: { slo: SloResult; objective: SloObjectiveResult }) {
  const { slo, objective } = props;
  const remaining = objective.budgetRemaining;
  const bar =
    remaining === null ? 0 : Math.max(0, Math.min(100, remaining * 100));
  return (
    <Box mb={2}>
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
      >
        <Typography variant="subtitle1">{objective.displayName}</Typography>
        <Chip
          size="small"
          label={objective.alert}
          title={ALERT_TEXT[objective.alert]}
          aria-label={`Alert state ${objective.alert}`}
          style={{
            backgroundColor: ALERT_COLORS[objective.alert],
            color: '#fff',
            fontWeight: 600,
            textTransform: 'uppercase',
          }}
        />
      </Box>
      <Typography variant="body2">
        Attainment <strong>{pct(objective.attainment, 3)}</strong> against a
        target of {pct(objective.target, 2)}
        {objective.timeSliceTarget !== undefined
          ? ` (a slice is good at ${pct(objective.timeSliceTarget, 1)})`
          : ''}
        {objective.met === false ? ' · objective missed' : ''}
      </Typography>
      <Typography
        variant="body2"
        id={`budget-${slo.name}-${objective.displayName}`}
      >
        Error budget {pct(objective.errorBudget, 2)} · remaining{' '}
        <strong>
          {remaining === null
            ? 'no data'
            : `${Math.round(remaining * 1000) / 10} %`}
        </strong>
        {remaining !== null && remaining < 0 ? ' (overspent)' : ''}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={bar}
        color={remaining !== null && remaining < 0.25 ? 'secondary' : 'primary'}
        aria-labelledby={`budget-${slo.name}-${objective.displayName}`}
        style={{ height: 8, borderRadius: 4, margin: '6px 0' }}
      />
      <BurnDown objective={objective} title={objective.displayName} />
      <Table size="small" aria-label={`Burn rates of ${objective.displayName}`}>
        <TableHead>
          <TableRow>
            <TableCell>Burn rate</TableCell>
            {WINDOWS.map(w => (
              <TableCell key={w} align="right">
                {w}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          <TableRow>
            <TableCell component="th" scope="row">
              ×
            </TableCell>
            {WINDOWS.map(w => (
              <TableCell key={w} align="right">
                {objective.burnRates[w] === null
                  ? '—'
                  : objective.burnRates[w]!.toFixed(1)}
              </TableCell>
            ))}
          </TableRow>
        </TableBody>
      </Table>
    </Box>
  );
}

/**
 * The SLOs tab: each SLO's objectives with attainment, error budget,
 * burn-down, burn rates and alert state; least remaining budget first.
 *
 * @public
 */
export function EntitySlosContent() {
  const { value, loading, error } = useEntityAnswer((api, ref) =>
    api.getSlos(ref),
  );

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;

  if (!value.slos.length) {
    return (
      <>
        <WarningList warnings={value.warnings} />
        <EmptyState
          missing="field"
          title={value.sloRef ? 'No SLOs could be read' : 'No SLOs defined yet'}
          description={
            value.sloRef
              ? `The annotation devops-personas.io/slo-ref points at ${value.sloRef}, but no valid OpenSLO SLO was found there; see the warnings above.`
              : 'Describe the service level objectives in OpenSLO v1 and point the devops-personas.io/slo-ref annotation at the file.'
          }
          action={
            <CodeSnippet language="yaml" text={EXAMPLE} showCopyCodeButton />
          }
        />
      </>
    );
  }

  return (
    <>
      <WarningList warnings={value.warnings} />
      <Grid container spacing={2}>
        {value.slos.map(slo => (
          <Grid item xs={12} lg={6} key={slo.name}>
            <InfoCard
              title={slo.displayName ?? slo.name}
              subheader={`${slo.budgetingMethod} · ${
                slo.window.isRolling ? 'rolling' : 'calendar'
              } ${slo.window.duration} (${slo.window.start.slice(
                0,
                10,
              )} to ${slo.window.end.slice(0, 10)}) · ${
                slo.sampleSize
              } samples`}
            >
              {slo.description && (
                <Typography variant="body2" paragraph>
                  {slo.description}
                </Typography>
              )}
              {slo.objectives.map(objective => (
                <Objective
                  key={objective.displayName}
                  slo={slo}
                  objective={objective}
                />
              ))}
            </InfoCard>
          </Grid>
        ))}
      </Grid>
    </>
  );
}
