import { KpiTrendPoint } from '@devops-personas/plugin-devops-personas-common';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import {
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  TooltipProps,
  XAxis,
  YAxis,
} from 'recharts';
import { formatDay, formatKpiValue } from '../shared/format';

/** The dash of a partial bucket, in the chart and in its legend. */
const PARTIAL_DASH = '4 3';

const useStyles = makeStyles(theme => ({
  legend: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    color: theme.palette.text.secondary,
  },
  tooltip: { padding: theme.spacing(0.5, 1) },
}));

interface Datum {
  label: string;
  start: string;
  value: number | null;
  partial: boolean;
  /** The value of a whole bucket: the solid line. */
  solid: number | null;
  /** The value of a partial bucket and its neighbours: the dashed line. */
  dashed: number | null;
}

function partialText(bucket: 'week' | 'month') {
  return `partial ${bucket}`;
}

function TrendTooltip(
  props: TooltipProps<number, string> & {
    unit: string;
    bucket: 'week' | 'month';
  },
) {
  const classes = useStyles();
  const datum = props.payload?.[0]?.payload as Datum | undefined;
  if (!props.active || !datum) return null;
  return (
    <Paper className={classes.tooltip} elevation={2}>
      <Typography variant="caption" component="div">
        {props.bucket === 'month' ? 'Month' : 'Week'} of{' '}
        {formatDay(datum.start)}
      </Typography>
      <Typography variant="body2" component="div">
        {formatKpiValue(datum.value, props.unit)}
        {datum.partial ? ` (${partialText(props.bucket)})` : ''}
      </Typography>
    </Paper>
  );
}

/**
 * A small trend line of a KPI over its buckets, with a y-axis in the KPI's
 * unit; gaps where there is no data. A bucket cut by the window's start or
 * end (`partial`) is drawn dashed and lighter, with a hollow dot, and the
 * legend says so: its figure is over part of a week or month only.
 */
export function TrendChart(props: {
  trend: KpiTrendPoint[];
  unit: string;
  title: string;
  bucket?: 'week' | 'month';
}) {
  const theme = useTheme();
  const classes = useStyles();
  const { trend, unit, title } = props;
  const bucket = props.bucket ?? 'week';
  const color = theme.palette.primary.main;
  const data: Datum[] = trend.map((p, i) => {
    const nextToPartial = Boolean(
      trend[i - 1]?.partial || trend[i + 1]?.partial,
    );
    return {
      label: formatDay(p.start, { year: false }),
      start: p.start,
      value: p.value,
      partial: Boolean(p.partial),
      solid: p.partial ? null : p.value,
      dashed: p.partial || nextToPartial ? p.value : null,
    };
  });
  const anyPartial = data.some(d => d.partial);
  const described = trend
    .map(
      p =>
        `${formatDay(p.start)} ${formatKpiValue(p.value, unit)}${
          p.partial ? ` (${partialText(bucket)})` : ''
        }`,
    )
    .join(', ');
  return (
    <div>
      <div
        role="img"
        aria-label={`${title} trend, per ${bucket}: ${described}`}
        style={{ width: '100%', height: 110 }}
      >
        <ResponsiveContainer>
          <LineChart
            data={data}
            margin={{ top: 5, right: 8, bottom: 0, left: 0 }}
          >
            <XAxis
              dataKey="label"
              tick={{ fontSize: 10 }}
              interval="preserveStartEnd"
            />
            <YAxis
              width={56}
              tick={{ fontSize: 10 }}
              tickCount={3}
              domain={axisDomain(unit)}
              tickFormatter={(v: number) => axisTick(v, unit)}
            />
            <Tooltip content={<TrendTooltip unit={unit} bucket={bucket} />} />
            {anyPartial && (
              <Line
                type="linear"
                dataKey="dashed"
                name={partialText(bucket)}
                stroke={color}
                strokeOpacity={0.55}
                strokeWidth={2}
                strokeDasharray={PARTIAL_DASH}
                connectNulls={false}
                isAnimationActive={false}
                activeDot={false}
                dot={(dot: { cx?: number; cy?: number; index?: number }) => {
                  const datum =
                    dot.index !== undefined ? data[dot.index] : undefined;
                  if (
                    !datum?.partial ||
                    datum.value === null ||
                    dot.cx === undefined ||
                    dot.cy === undefined
                  ) {
                    return <g key={`dashed-${dot.index}`} />;
                  }
                  return (
                    <circle
                      key={`partial-${dot.index}`}
                      data-partial="true"
                      cx={dot.cx}
                      cy={dot.cy}
                      r={3}
                      fill={theme.palette.background.paper}
                      stroke={color}
                      strokeOpacity={0.7}
                      strokeWidth={1.5}
                      strokeDasharray="2 1"
                    >
                      <title>
                        {`${formatDay(datum.start)}: ${formatKpiValue(
                          datum.value,
                          unit,
                        )} (${partialText(bucket)})`}
                      </title>
                    </circle>
                  );
                }}
              />
            )}
            <Line
              type="linear"
              dataKey="solid"
              name={title}
              stroke={color}
              strokeWidth={2}
              dot={{ r: 2 }}
              connectNulls={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      {anyPartial && (
        <Typography
          variant="caption"
          component="div"
          className={classes.legend}
        >
          <svg width="20" height="6" aria-hidden="true" focusable="false">
            <line
              x1="0"
              y1="3"
              x2="20"
              y2="3"
              stroke={color}
              strokeOpacity={0.55}
              strokeWidth={2}
              strokeDasharray={PARTIAL_DASH}
            />
          </svg>
          <span>
            Dashed: {partialText(bucket)}, cut by the window (its figure is over
            the part inside it)
          </span>
        </Typography>
      )}
    </div>
  );
}

/**
 * The y-axis range: rates between 0 and 100 % (never 200 % for a flat 0),
 * counts and frequencies from 0, anything else around its values.
 */
function axisDomain(
  unit: string,
): [
  number | string | ((max: number) => number),
  number | string | ((max: number) => number),
] {
  if (unit === 'fraction')
    return [0, (max: number) => Math.min(1, Math.max(0.1, max * 1.1))];
  if (unit === 'per-week' || unit === 'count')
    return [0, (max: number) => Math.max(1, max)];
  return ['auto', 'auto'];
}

/** Axis ticks short enough for a 56 px axis: "6/wk" rather than a wrapped "6 / week". */
function axisTick(value: number, unit: string): string {
  if (unit === 'per-week') return `${Math.round(value * 10) / 10}/wk`;
  return formatKpiValue(value, unit);
}
