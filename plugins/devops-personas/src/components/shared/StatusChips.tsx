import { DoraTier } from '@devops-personas/plugin-devops-personas-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';

/** Fills behind white text, each at least 4.5:1 (7.9, 5.1, 5.6 and 5.6:1). */
const TIER_COLORS: Record<DoraTier, string> = {
  elite: '#1b5e20',
  high: '#2e7d32',
  medium: '#bf360c',
  low: '#c62828',
};

/** Fills of the SLO alert states behind white text (5.6, 6.1 and 5.1:1). */
const ALERT_COLORS = { page: '#c62828', ticket: '#a84300', ok: '#2e7d32' };

const ALERT_TEXT = {
  page: 'Page: burning budget fast enough to exhaust it within days',
  ticket: 'Ticket: burning budget faster than sustainable',
  ok: 'OK: burn rate within budget',
};

/** Fills of bad news, news to watch and good news behind white text (5.6, 6.1 and 5.1:1). */
const TONE_COLORS = {
  bad: ALERT_COLORS.page,
  warning: ALERT_COLORS.ticket,
  good: ALERT_COLORS.ok,
};

const useStyles = makeStyles({
  chip: {
    fontWeight: 600,
    // printers drop backgrounds by default: white text on white paper
    '@media print': {
      WebkitPrintColorAdjust: 'exact',
      printColorAdjust: 'exact',
    },
  },
  tier: { textTransform: 'capitalize' },
});

/** A DORA tier, in the same colours wherever it is shown. */
export function TierChip(props: { tier: DoraTier; title?: string }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={props.tier}
      title={props.title}
      className={`${classes.chip} ${classes.tier}`}
      style={{ backgroundColor: TIER_COLORS[props.tier], color: '#fff' }}
    />
  );
}

/** An SLO objective's alert state (page, ticket or ok), explained on hover. */
export function AlertChip(props: { alert: 'page' | 'ticket' | 'ok' }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={props.alert.toLocaleUpperCase('en-US')}
      title={ALERT_TEXT[props.alert]}
      aria-label={`Alert state ${props.alert}`}
      className={classes.chip}
      style={{ backgroundColor: ALERT_COLORS[props.alert], color: '#fff' }}
    />
  );
}

/**
 * A state in a few words ("Late", "Target missed") on a fill that reads: the
 * colours of the alert states, bad in red, to watch in orange, good in green.
 */
export function StatusChip(props: {
  label: string;
  tone: keyof typeof TONE_COLORS;
  /** The longer explanation, on hover. */
  title?: string;
}) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={props.label}
      title={props.title}
      className={classes.chip}
      style={{ backgroundColor: TONE_COLORS[props.tone], color: '#fff' }}
    />
  );
}
