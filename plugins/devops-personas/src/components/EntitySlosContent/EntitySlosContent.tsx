import {
  CodeSnippet,
  EmptyState,
  InfoCard,
  Progress,
} from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  EntitySlosResponse,
  SLO_REF_ANNOTATION,
  SloObjectiveResult,
  SloResult,
} from '@devops-personas/plugin-devops-personas-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import {
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ErrorWithRetry } from '../shared/ErrorWithRetry';
import { formatPercent } from '../shared/format';
import { plural } from '../shared/plural';
import { useEntityAnswer } from '../shared/useEntityAnswer';
import { AlertChip } from '../shared/StatusChips';
import { WarningList } from '../shared/WarningList';
import { SloDataSourceLine } from './SloDataSourceLine';
import {
  budgetingMethodInWords,
  sampleSizeInWords,
  sharedTimeSliceWindow,
  sliceLengthInWords,
} from './sloWording';

/** The kinds whose SLOs are the union of their Components' SLOs. */
const ROLLUP_KINDS = ['system', 'domain', 'group'];

const useStyles = makeStyles(theme => {
  const dark = theme.palette.type === 'dark';
  return {
    // 7.9:1 on white (the theme's success green is 2.8:1); light green on
    // the dark theme's paper
    met: { color: dark ? '#a5d6a7' : '#1b5e20', fontWeight: 600 },
    // 6.6:1 on white
    missed: { color: dark ? '#ffcdd2' : '#b71c1c', fontWeight: 600 },
    component: { marginTop: theme.spacing(3) },
    componentHeading: {
      display: 'flex',
      alignItems: 'baseline',
      flexWrap: 'wrap',
      gap: theme.spacing(1),
    },
    ref: { overflowWrap: 'anywhere' },
  };
});
const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

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

/** An id made of the given parts (an id has no spaces: aria-labelledby splits on them). */
function domId(...parts: string[]): string {
  return parts.join('-').replace(/[^A-Za-z0-9_-]+/g, '_');
}

function Objective(props: {
  slo: SloResult;
  objective: SloObjectiveResult;
  /** Whether the card's subheader already gives the slice length. */
  sliceLengthShown: boolean;
}) {
  const classes = useStyles();
  const { slo, objective, sliceLengthShown } = props;
  // Without an answer from the data source the alert state is unknown, not OK.
  const sourceFailed =
    slo.dataSource.type === 'prometheus' && slo.dataSource.error !== undefined;
  const budgetId = domId(
    'budget',
    slo.entityRef ?? '',
    slo.name,
    objective.displayName,
  );
  const remaining = objective.budgetRemaining;
  const sliceNotes = [
    // when the objectives' slice lengths differ, each says its own
    objective.timeSliceWindow !== undefined && !sliceLengthShown
      ? sliceLengthInWords(objective.timeSliceWindow)
      : undefined,
    objective.timeSliceTarget !== undefined
      ? `a slice is good at ${formatPercent(objective.timeSliceTarget, 1)}`
      : undefined,
  ].filter(note => note !== undefined);
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
        {!sourceFailed && <AlertChip alert={objective.alert} />}
      </Box>
      <Typography variant="body2">
        Attainment <strong>{formatPercent(objective.attainment, 3)}</strong>{' '}
        against a target of {formatPercent(objective.target, 2)}
        {sliceNotes.length > 0 && ` (${sliceNotes.join('; ')})`}
        {objective.met !== null && ' · '}
        {objective.met === true && <span className={classes.met}>met</span>}
        {objective.met === false && (
          <span className={classes.missed}>objective missed</span>
        )}
      </Typography>
      <Typography variant="body2" id={budgetId}>
        Error budget {formatPercent(objective.errorBudget, 2)} · remaining{' '}
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
        aria-labelledby={budgetId}
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
 * "Ratio timeslices · 1-minute slices · rolling 30d (2026-05-31 to
 * 2026-06-30) · 43,200 slices with data". The sample size is left out when
 * the data source could not answer (there is none to count).
 */
function subheaderOf(slo: SloResult, sliceWindow: string | undefined) {
  const sourceFailed =
    slo.dataSource.type === 'prometheus' && slo.dataSource.error !== undefined;
  const window = `${slo.window.isRolling ? 'rolling' : 'calendar'} ${
    slo.window.duration
  } (${slo.window.start.slice(0, 10)} to ${slo.window.end.slice(0, 10)})`;
  return [
    budgetingMethodInWords(slo.budgetingMethod),
    sliceWindow !== undefined ? sliceLengthInWords(sliceWindow) : undefined,
    window,
    sourceFailed ? undefined : sampleSizeInWords(slo),
  ]
    .filter(part => part !== undefined)
    .join(' · ');
}

function SloCard(props: { slo: SloResult }) {
  const { slo } = props;
  const sliceWindow = sharedTimeSliceWindow(slo);
  const title = slo.displayName ?? slo.name;
  return (
    <Box component="article" aria-label={title}>
      <InfoCard title={title} subheader={subheaderOf(slo, sliceWindow)}>
        <SloDataSourceLine slo={slo} />
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
            sliceLengthShown={sliceWindow !== undefined}
          />
        ))}
      </InfoCard>
    </Box>
  );
}

function SloGrid(props: { slos: SloResult[] }) {
  return (
    <Grid container spacing={2}>
      {props.slos.map(slo => (
        <Grid item xs={12} lg={6} key={`${slo.entityRef}/${slo.name}`}>
          <SloCard slo={slo} />
        </Grid>
      ))}
    </Grid>
  );
}

/** "checkout", or "other-namespace/checkout". */
function shortName(ref: string): string {
  try {
    const parsed = parseEntityRef(ref);
    return parsed.namespace === 'default'
      ? parsed.name
      : `${parsed.namespace}/${parsed.name}`;
  } catch {
    return ref;
  }
}

function kindOf(ref: string): string | undefined {
  try {
    return parseEntityRef(ref).kind.toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/** "" for a Component (the usual case), else e.g. "System ". */
function kindPrefix(ref: string): string {
  const kind = kindOf(ref);
  if (!kind || kind === 'component') return '';
  return `${capitalize(kind)} `;
}

function capitalize(text: string): string {
  return (
    text.charAt(0).toLocaleUpperCase('en-US') +
    text.slice(1).toLocaleLowerCase('en-US')
  );
}

/**
 * A rollup's SLOs grouped by the Component that defines them, the group
 * with the least remaining budget first (the answer is sorted that way).
 */
function RollupSlos(props: { answer: EntitySlosResponse }) {
  const classes = useStyles();
  const { answer } = props;
  const groups = new Map<string, SloResult[]>();
  for (const slo of answer.slos) {
    const ref = slo.entityRef ?? answer.entityRef;
    groups.set(ref, [...(groups.get(ref) ?? []), slo]);
  }
  const withoutSlos = (answer.entities ?? []).filter(
    ref =>
      ref !== answer.entityRef &&
      kindOf(ref) === 'component' &&
      !groups.has(ref),
  );
  return (
    <>
      <Typography variant="body1" paragraph>
        {plural(answer.slos.length, 'SLO')} across{' '}
        {plural(groups.size, 'Component')}
        {withoutSlos.length > 0 &&
          ` (${plural(
            withoutSlos.length,
            'other Component defines',
            'other Components define',
          )} none)`}
      </Typography>
      {[...groups].map(([ref, slos], index) => {
        const headingId = domId('slos-of', ref);
        return (
          <Box
            key={ref}
            component="section"
            aria-labelledby={headingId}
            className={index ? classes.component : undefined}
          >
            <Box className={classes.componentHeading} mb={1}>
              <Typography variant="h5" component="h2" id={headingId}>
                {kindPrefix(ref)}
                <EntityRefLink entityRef={ref} className={classes.ref}>
                  {shortName(ref)}
                </EntityRefLink>
              </Typography>
              <Typography variant="body2" color="textSecondary">
                {plural(slos.length, 'SLO')}
              </Typography>
            </Box>
            <SloGrid slos={slos} />
          </Box>
        );
      })}
    </>
  );
}

function NoSlos(props: {
  answer: EntitySlosResponse;
  rollup: boolean;
  kind: string;
}) {
  const { answer, rollup, kind } = props;
  const annotation = <code>{SLO_REF_ANNOTATION}</code>;
  if (rollup) {
    const kindTitle = capitalize(kind);
    return (
      <EmptyState
        missing="field"
        title="No SLOs yet"
        description={
          <>
            None of this {kindTitle}&apos;s Components defines SLOs (add the{' '}
            {annotation} annotation to a Component&apos;s catalog-info.yaml,
            pointing to an OpenSLO file; its SLOs then show here and on the
            Component).
          </>
        }
        action={
          <CodeSnippet language="yaml" text={EXAMPLE} showCopyCodeButton />
        }
      />
    );
  }
  return (
    <EmptyState
      missing="field"
      title={answer.sloRef ? 'No SLOs could be read' : 'No SLOs yet'}
      description={
        answer.sloRef ? (
          <>
            The {annotation} annotation points at {answer.sloRef}, but no valid
            OpenSLO SLO was found there; see the warnings above.
          </>
        ) : (
          <>
            Add the {annotation} annotation pointing to an OpenSLO file that
            describes this entity&apos;s service level objectives, then send sli
            events for them.
          </>
        )
      }
      action={<CodeSnippet language="yaml" text={EXAMPLE} showCopyCodeButton />}
    />
  );
}

/**
 * The SLOs tab: each SLO's objectives with attainment, error budget,
 * burn-down, burn rates and alert state; least remaining budget first. Each
 * SLO says where its data comes from (`sli` events, or its Prometheus
 * queries) and, when Prometheus could not answer, why. On a
 * System, Domain or Group (a rollup), the SLOs of its Components, grouped by
 * Component.
 *
 * @public
 */
export function EntitySlosContent() {
  const { value, loading, error, retry, entity } = useEntityAnswer((api, ref) =>
    api.getSlos(ref),
  );

  if (loading && !value) return <Progress />;
  if (error)
    return (
      <ErrorWithRetry
        what="Could not load the SLOs of this entity"
        error={error}
        onRetry={retry}
      />
    );
  if (!value) return null;

  const kind = entity.kind.toLocaleLowerCase('en-US');
  const rollup =
    ROLLUP_KINDS.includes(kind) || (value.entities?.length ?? 0) > 1;

  return (
    <>
      <WarningList warnings={value.warnings} />
      {!value.slos.length && (
        <NoSlos answer={value} rollup={rollup} kind={entity.kind} />
      )}
      {value.slos.length > 0 &&
        (rollup ? (
          <RollupSlos answer={value} />
        ) : (
          <SloGrid slos={value.slos} />
        ))}
    </>
  );
}
