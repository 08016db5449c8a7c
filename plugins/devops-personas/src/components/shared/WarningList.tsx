import { PersonaWarning } from '@internal/plugin-devops-personas-common';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

const TITLES: Record<string, string> = {
  'unassigned-persona': 'Unassigned personas',
  'ownerless-kpi': 'KPIs without an owner',
  'unknown-holder': 'Holders not in the catalog',
  'hero-mode': 'Hero mode',
  'raci-accountability': 'Accountability gaps',
  'invalid-annotation': 'Invalid annotations',
  guardrail: 'Guardrail: fast but breaking',
};

const SEVERITY: Record<string, 'error' | 'warning' | 'info'> = {
  'invalid-annotation': 'error',
  guardrail: 'error',
  'hero-mode': 'warning',
  'unassigned-persona': 'warning',
  'raci-accountability': 'warning',
  'ownerless-kpi': 'warning',
  'unknown-holder': 'warning',
};

/**
 * The warnings of an answer, grouped by code, most severe first.
 *
 * @public
 */
export function WarningList(props: { warnings: PersonaWarning[] }) {
  const groups = new Map<string, PersonaWarning[]>();
  for (const warning of props.warnings) {
    groups.set(warning.code, [...(groups.get(warning.code) ?? []), warning]);
  }
  const order = ['error', 'warning', 'info'];
  const codes = [...groups.keys()].sort(
    (a, b) => order.indexOf(SEVERITY[a] ?? 'info') - order.indexOf(SEVERITY[b] ?? 'info'),
  );
  if (!codes.length) return null;
  return (
    <Box mb={2} role="region" aria-label="Warnings">
      {codes.map(code => (
        <Box key={code} mb={1}>
          <Alert severity={SEVERITY[code] ?? 'info'}>
            <AlertTitle>{TITLES[code] ?? code}</AlertTitle>
            {groups.get(code)!.map((warning, i) => (
              <Typography key={i} variant="body2" component="div">
                {warning.message}
                {warning.entityRef ? ` (on ${warning.entityRef})` : ''}
              </Typography>
            ))}
          </Alert>
        </Box>
      ))}
    </Box>
  );
}
