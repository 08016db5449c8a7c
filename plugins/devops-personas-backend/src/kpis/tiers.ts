import { DoraTier } from '@devops-personas/plugin-devops-personas-common';
import { DAY_MS, WEEK_MS } from './window';

/** Median; of an even count, the mean of the two middle values. */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * DORA tier of deployment frequency from the 12 weeks before `until`
 * (weeks counted back from `until`, most recent first): deployments and
 * distinct UTC days with a deployment, per week.
 */
export function deploymentFrequencyTier(perWeek: number[], daysPerWeek: number[]): DoraTier {
  if (median(daysPerWeek)! >= 3) return 'elite';
  if (median(perWeek)! >= 1) return 'high';
  const perPeriod = [0, 1, 2].map(p => perWeek.slice(p * 4, p * 4 + 4).reduce((sum, n) => sum + n, 0));
  if (median(perPeriod)! >= 1) return 'medium';
  return 'low';
}

/** DORA tier of the other DORA KPIs; null without a value. */
export function doraTier(kpiId: string, value: number | null): DoraTier | null {
  if (value === null) return null;
  switch (kpiId) {
    case 'lead-time-for-changes':
      if (value < DAY_MS / 1000) return 'elite';
      if (value < WEEK_MS / 1000) return 'high';
      if (value < (30 * DAY_MS) / 1000) return 'medium';
      return 'low';
    case 'change-failure-rate':
      if (value <= 0.05) return 'elite';
      if (value <= 0.1) return 'high';
      if (value <= 0.15) return 'medium';
      return 'low';
    case 'time-to-restore':
    case 'failed-deployment-recovery-time':
      if (value < 3600) return 'elite';
      if (value < DAY_MS / 1000) return 'high';
      if (value < WEEK_MS / 1000) return 'medium';
      return 'low';
    default:
      return null;
  }
}
