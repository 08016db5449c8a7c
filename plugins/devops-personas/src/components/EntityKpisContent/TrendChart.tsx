import { KpiTrendPoint } from '@internal/plugin-devops-personas-common';
import { useTheme } from '@material-ui/core/styles';
import {
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatKpiValue } from '../shared/format';

/** A small trend line of a KPI over its buckets; gaps where there is no data. */
export function TrendChart(props: {
  trend: KpiTrendPoint[];
  unit: string;
  title: string;
}) {
  const theme = useTheme();
  const data = props.trend.map(p => ({
    label: p.start.slice(5, 10),
    value: p.value,
  }));
  return (
    <div
      role="img"
      aria-label={`${props.title} trend: ${props.trend
        .map(
          p => `${p.start.slice(0, 10)} ${formatKpiValue(p.value, props.unit)}`,
        )
        .join(', ')}`}
      style={{ width: '100%', height: 90 }}
    >
      <ResponsiveContainer>
        <LineChart
          data={data}
          margin={{ top: 5, right: 5, bottom: 0, left: 0 }}
        >
          <XAxis
            dataKey="label"
            tick={{ fontSize: 10 }}
            interval="preserveStartEnd"
          />
          <YAxis hide domain={['auto', 'auto']} />
          <Tooltip formatter={(v: number) => formatKpiValue(v, props.unit)} />
          <Line
            type="monotone"
            dataKey="value"
            stroke={theme.palette.primary.main}
            strokeWidth={2}
            dot={{ r: 2 }}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
