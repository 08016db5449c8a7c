import { PersonaWarning } from '@internal/plugin-devops-personas-common';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const TITLES: Record<string, string> = {
  'unassigned-persona': 'Unassigned personas',
  'ownerless-kpi': 'KPIs without an owner',
  'unknown-holder': 'Holders not in the catalog',
  'hero-mode': 'Hero mode',
  'raci-accountability': 'Accountability gaps',
  'invalid-annotation': 'Invalid annotations',
  'invalid-slo': 'Invalid SLO documents',
  guardrail: 'Guardrail: fast but breaking',
};

type Severity = 'error' | 'warning' | 'info';

const SEVERITY: Record<string, Severity> = {
  'invalid-annotation': 'error',
  'invalid-slo': 'error',
  guardrail: 'error',
  'hero-mode': 'warning',
  'unassigned-persona': 'warning',
  'raci-accountability': 'warning',
  'ownerless-kpi': 'warning',
  'unknown-holder': 'warning',
};

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'info'];

const useStyles = makeStyles(theme => ({
  list: { margin: 0, paddingLeft: theme.spacing(2) },
  code: {
    fontFamily: 'monospace',
    fontSize: '0.85em',
    wordBreak: 'break-all',
  },
}));

function severityOf(code: string): Severity {
  return SEVERITY[code] ?? 'info';
}

/** The message of one warning, plus the offending annotation for invalid ones. */
function WarningText(props: { warning: PersonaWarning }) {
  const classes = useStyles();
  const { warning } = props;
  return (
    <Typography variant="body2" component="span">
      {warning.message}
      {warning.entityRef ? ` (on ${warning.entityRef})` : ''}
      {warning.key !== undefined && (
        <>
          {' '}
          <code
            className={classes.code}
            aria-label={`Annotation ${warning.key}`}
          >
            {warning.key}: {JSON.stringify(warning.value ?? '')}
          </code>
        </>
      )}
    </Typography>
  );
}

/**
 * The warnings of an answer, most severe first (errors, then warnings, then
 * notes), one alert per kind of warning with every message listed.
 */
export function WarningList(props: { warnings: PersonaWarning[] }) {
  const classes = useStyles();
  const groups = new Map<string, PersonaWarning[]>();
  for (const warning of props.warnings) {
    groups.set(warning.code, [...(groups.get(warning.code) ?? []), warning]);
  }
  const codes = [...groups.keys()].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(severityOf(a)) -
      SEVERITY_ORDER.indexOf(severityOf(b)),
  );
  if (!codes.length) return null;
  return (
    <Box mb={2} role="region" aria-label="Warnings">
      {codes.map(code => {
        const title = TITLES[code] ?? code;
        const warnings = groups.get(code)!;
        return (
          <Box key={code} mb={1}>
            <Alert severity={severityOf(code)}>
              <AlertTitle>{title}</AlertTitle>
              <ul className={classes.list} aria-label={title}>
                {warnings.map((warning, i) => (
                  <li key={i}>
                    <WarningText warning={warning} />
                  </li>
                ))}
              </ul>
            </Alert>
          </Box>
        );
      })}
    </Box>
  );
}
