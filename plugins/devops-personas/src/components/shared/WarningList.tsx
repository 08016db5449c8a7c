import { Link } from '@backstage/core-components';
import { PersonaWarning } from '@devops-personas/plugin-devops-personas-common';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Fragment } from 'react';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { plural } from './plural';
import { useOverviewPath } from './useOverviewPath';

const TITLES: Record<string, string> = {
  'unassigned-persona': 'Unassigned personas',
  'ownerless-kpi': 'KPIs without an owner',
  'unknown-holder': 'Holders not in the catalog',
  'hero-mode': 'Hero mode',
  'raci-accountability': 'Accountability gaps',
  'invalid-annotation': 'Invalid annotations',
  'invalid-slo': 'Invalid SLO documents',
  'slo-source-unavailable': 'SLO data source unavailable',
  guardrail: 'Guardrail: fast but breaking',
};

type Severity = 'error' | 'warning' | 'info';

const SEVERITY: Record<string, Severity> = {
  'invalid-annotation': 'error',
  'invalid-slo': 'error',
  // the documents are fine; the figures come back once the source answers
  'slo-source-unavailable': 'warning',
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
  // Refs and annotation values may break anywhere; words never do.
  code: {
    fontFamily: 'monospace',
    fontSize: '0.85em',
    overflowWrap: 'anywhere',
  },
  ref: { overflowWrap: 'anywhere' },
}));

/**
 * The overview filtered to the Components of a rollup that have ownerless
 * KPIs: `?within=<rollup ref>&gap=ownerless-kpis`.
 */
export function useOwnerlessKpisLink(within: string | undefined) {
  const base = useOverviewPath();
  if (!within) return undefined;
  const query = new URLSearchParams({ within, gap: 'ownerless-kpis' });
  return `${base}?${query.toString()}`;
}

function severityOf(code: string): Severity {
  return SEVERITY[code] ?? 'info';
}

/** Up to this many Components are named in a summarised warning; beyond, only the overview link. */
const MAX_LISTED_ENTITIES = 8;

/** The message of one warning, plus the offending annotation for invalid ones. */
function WarningText(props: {
  warning: PersonaWarning;
  ownerlessKpisLink?: string;
}) {
  const classes = useStyles();
  const { warning, ownerlessKpisLink } = props;
  const entities = warning.entities ?? [];
  return (
    <Typography variant="body2" component="span">
      {warning.message}
      {warning.entityRef && (
        <>
          {' '}
          (on <span className={classes.ref}>{warning.entityRef}</span>)
        </>
      )}
      {entities.length > 0 && entities.length <= MAX_LISTED_ENTITIES && (
        <>
          {' ('}
          {entities.map((ref, i) => (
            <Fragment key={ref}>
              {i > 0 && ', '}
              <EntityRefLink entityRef={ref} />
            </Fragment>
          ))}
          )
        </>
      )}
      {entities.length > 0 && ownerlessKpisLink && (
        <>
          {' '}
          <Link
            to={ownerlessKpisLink}
            aria-label={`See them in the overview: ${plural(
              entities.length,
              'Component',
            )} with KPIs without an owner`}
          >
            See them in the overview
          </Link>
        </>
      )}
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
 *
 * Give `entityRef` (the full ref the answer is about) for a rollup: its
 * summarised ownerless-KPI warning, which lists the Components concerned in
 * `entities`, then links to the overview filtered to them.
 */
export function WarningList(props: {
  warnings: PersonaWarning[];
  entityRef?: string;
}) {
  const classes = useStyles();
  const ownerlessKpisLink = useOwnerlessKpisLink(props.entityRef);
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
                    <WarningText
                      warning={warning}
                      ownerlessKpisLink={
                        code === 'ownerless-kpi' ? ownerlessKpisLink : undefined
                      }
                    />
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
