import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import {
  EntityRefLink,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import {
  EntityKpisResponse,
  EntityPersonasResponse,
  EntitySlosResponse,
  KpiResult,
  SLO_REF_ANNOTATION,
  SloObjectiveResult,
  SloResult,
} from '@devops-personas/plugin-devops-personas-common';
import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ReactNode } from 'react';
import { AlertChip, TierChip } from '../shared/StatusChips';
import { ErrorWithRetry } from '../shared/ErrorWithRetry';
import { formatKpiValue } from '../shared/format';
import { plural } from '../shared/plural';
import { useEntityAnswer } from '../shared/useEntityAnswer';

/**
 * Props of {@link EntityDevopsPersonasSummaryCard}.
 *
 * @public
 */
export interface EntityDevopsPersonasSummaryCardProps {
  /**
   * Paths of the entity page tabs the card links to, relative to the entity
   * page; by default `personas`, `kpis` and `slos`, as the tabs are mounted
   * in the example app and by the `/alpha` plugin.
   */
  tabs?: { personas?: string; kpis?: string; slos?: string };
}

const DEFAULT_TABS = { personas: 'personas', kpis: 'kpis', slos: 'slos' };

/** An objective with less than a quarter of its budget left is burning. */
const LOW_BUDGET = 0.25;

const useStyles = makeStyles(theme => {
  const dark = theme.palette.type === 'dark';
  return {
    section: { '& + &': { marginTop: theme.spacing(2) } },
    heading: { marginBottom: theme.spacing(0.5) },
    list: { margin: 0, padding: 0, listStyle: 'none' },
    item: {
      display: 'flex',
      flexWrap: 'wrap',
      alignItems: 'baseline',
      columnGap: theme.spacing(1),
      padding: theme.spacing(0.25, 0),
    },
    // a fixed column, so the values line up; "Failed deployment recovery
    // time" wraps inside it instead of pushing its value out of line
    label: { flex: '0 0 11em', fontWeight: 500 },
    // 6.6:1 on white; pale pink on the dark theme's paper
    nobody: { color: dark ? '#ffcdd2' : '#b71c1c', fontWeight: 600 },
    code: {
      fontFamily: 'monospace',
      fontSize: '0.85em',
      overflowWrap: 'anywhere',
    },
    muted: { color: theme.palette.text.secondary },
    links: {
      display: 'flex',
      flexWrap: 'wrap',
      gap: theme.spacing(2),
      marginTop: theme.spacing(2),
      paddingTop: theme.spacing(1),
    },
  };
});

type Classes = ReturnType<typeof useStyles>;

function Section(props: { id: string; title: string; children: ReactNode }) {
  const classes = useStyles();
  const headingId = `devops-personas-summary-${props.id}`;
  return (
    <section aria-labelledby={headingId} className={classes.section}>
      <Typography
        variant="subtitle2"
        component="h3"
        id={headingId}
        className={classes.heading}
      >
        {props.title}
      </Typography>
      {props.children}
    </section>
  );
}

/** Loading, error (with retry) or the section's content: each answer on its own. */
function Answer<T>(props: {
  state: {
    value?: T;
    loading: boolean;
    error?: Error;
    retry: () => void;
  };
  what: string;
  children: (value: T) => ReactNode;
}) {
  const { value, loading, error, retry } = props.state;
  if (loading && value === undefined) return <Progress />;
  if (error)
    return <ErrorWithRetry what={props.what} error={error} onRetry={retry} />;
  if (value === undefined) return null;
  return <>{props.children(value)}</>;
}

function CoreHats(props: { answer: EntityPersonasResponse; classes: Classes }) {
  const { answer, classes } = props;
  const core = answer.personas.filter(p => p.core);
  if (!core.length) {
    return (
      <Typography variant="body2" className={classes.muted}>
        No core personas are defined in this portal&apos;s configuration.
      </Typography>
    );
  }
  return (
    <ul className={classes.list} aria-label="Core hats">
      {core.map(persona => (
        <li
          key={persona.id}
          className={classes.item}
          aria-label={`${persona.title}: ${
            persona.holders.length
              ? persona.holders.map(h => h.displayName).join(', ')
              : 'nobody'
          }`}
        >
          <Typography
            variant="body2"
            component="span"
            className={classes.label}
          >
            {persona.title}
          </Typography>
          <Typography variant="body2" component="span">
            {persona.holders.length ? (
              persona.holders.map((holder, i) => (
                <span key={holder.ref}>
                  {i > 0 && ', '}
                  {holder.inCatalog ? (
                    <EntityRefLink entityRef={holder.ref}>
                      {holder.displayName}
                    </EntityRefLink>
                  ) : (
                    <span title={`${holder.ref} is not in the catalog`}>
                      {holder.displayName} (not in catalog)
                    </span>
                  )}
                </span>
              ))
            ) : (
              <>
                <span className={classes.nobody}>nobody</span> — set{' '}
                <code className={classes.code}>{persona.annotation}</code>
              </>
            )}
          </Typography>
        </li>
      ))}
    </ul>
  );
}

function tierTitle(kpi: KpiResult): string | undefined {
  if (!kpi.tierPeriod) return undefined;
  const day = (at: string) => at.slice(0, 10);
  return `Tier over ${day(kpi.tierPeriod.start)} to ${day(kpi.tierPeriod.end)}`;
}

function Dora(props: {
  answer: EntityKpisResponse;
  kpisLink: string;
  classes: Classes;
}) {
  const { answer, kpisLink, classes } = props;
  const dora = answer.kpis.filter(k => k.dora);
  if (!dora.length || dora.every(k => k.value === null)) {
    return (
      <Typography variant="body2" className={classes.muted}>
        No deployments, changes or incidents in the last 30 days.{' '}
        <Link to={kpisLink}>How to send them</Link>
      </Typography>
    );
  }
  const others = answer.entities.filter(ref => ref !== answer.entityRef);
  return (
    <>
      {answer.rollup && others.length > 0 && (
        <Typography variant="body2" className={classes.muted}>
          Rolled up over {plural(others.length, 'entity', 'entities')}
        </Typography>
      )}
      <ul className={classes.list} aria-label="DORA KPIs">
        {dora.map(kpi => (
          <li
            key={kpi.id}
            className={classes.item}
            aria-label={`${kpi.title}: ${formatKpiValue(
              kpi.value,
              kpi.unit,
            )}, ${kpi.tier ? `${kpi.tier} tier` : kpi.tierNote ?? 'no tier'}`}
          >
            <Typography
              variant="body2"
              component="span"
              className={classes.label}
            >
              {kpi.title}
            </Typography>
            <Typography variant="body2" component="strong">
              {formatKpiValue(kpi.value, kpi.unit)}
            </Typography>
            {kpi.tier ? (
              <TierChip tier={kpi.tier} title={tierTitle(kpi)} />
            ) : (
              <Typography variant="caption" className={classes.muted}>
                {kpi.tierNote ?? 'no tier'}
              </Typography>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function isBurning(objective: SloObjectiveResult): boolean {
  return (
    objective.alert !== 'ok' ||
    (objective.budgetRemaining !== null &&
      objective.budgetRemaining < LOW_BUDGET)
  );
}

function budgetText(remaining: number | null): string {
  if (remaining === null) return 'no data';
  if (remaining < 0)
    return `budget overspent (${Math.round(remaining * 100)} %)`;
  return `${Math.round(remaining * 100)} % budget left`;
}

function Slos(props: {
  answer: EntitySlosResponse;
  pageRef: string;
  classes: Classes;
}) {
  const { answer, pageRef, classes } = props;
  if (!answer.slos.length) {
    return (
      <Typography variant="body2" className={classes.muted}>
        No SLOs: add the{' '}
        <code className={classes.code}>{SLO_REF_ANNOTATION}</code> annotation
        pointing to an OpenSLO file.
      </Typography>
    );
  }
  const burning: Array<{ slo: SloResult; objective: SloObjectiveResult }> = [];
  for (const slo of answer.slos) {
    for (const objective of slo.objectives) {
      if (isBurning(objective)) burning.push({ slo, objective });
    }
  }
  if (!burning.length) {
    return (
      <Typography variant="body2">
        {answer.slos.length === 1
          ? 'The SLO is within budget'
          : `All ${plural(answer.slos.length, 'SLO')} within budget`}
      </Typography>
    );
  }
  const burningSlos = new Set(burning.map(b => b.slo)).size;
  const calm = answer.slos.length - burningSlos;
  return (
    <>
      <Typography variant="body2">
        {plural(burningSlos, 'SLO')} burning budget
        {calm > 0 && ` · ${calm} within budget`}
      </Typography>
      <ul className={classes.list} aria-label="SLOs burning budget">
        {burning.map(({ slo, objective }) => {
          const name = slo.displayName ?? slo.name;
          const label =
            slo.objectives.length > 1
              ? `${name}: ${objective.displayName}`
              : name;
          return (
            <li
              key={`${slo.entityRef}/${slo.name}/${objective.displayName}`}
              className={classes.item}
            >
              <Typography
                variant="body2"
                component="span"
                className={classes.label}
              >
                {label}
                {slo.entityRef && slo.entityRef !== pageRef && (
                  <>
                    {' '}
                    <span className={classes.muted}>on</span>{' '}
                    <EntityRefLink entityRef={slo.entityRef} />
                  </>
                )}
              </Typography>
              {objective.alert !== 'ok' && (
                <AlertChip alert={objective.alert} />
              )}
              <Typography variant="body2" component="span">
                {budgetText(objective.budgetRemaining)}
              </Typography>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/**
 * A card for the entity's Overview tab: who wears the core hats (and which
 * are unassigned), the DORA KPIs of the last 30 days with their tiers,
 * the SLOs burning their error budget, and links to the Personas, KPIs and
 * SLOs tabs. Each part loads, fails and retries on its own.
 *
 * @public
 */
export function EntityDevopsPersonasSummaryCard(
  props: EntityDevopsPersonasSummaryCardProps,
) {
  const classes = useStyles();
  const tabs = { ...DEFAULT_TABS, ...props.tabs };
  const entityLink = useEntityRefLink();
  const personas = useEntityAnswer((api, ref) => api.getPersonas(ref));
  const kpis = useEntityAnswer((api, ref) =>
    api.getKpis(ref, { window: '30d' }),
  );
  const slos = useEntityAnswer((api, ref) => api.getSlos(ref));
  const base = entityLink(personas.entity);
  const tab = (path: string) => `${base}/${path.replace(/^\//, '')}`;
  const pageRef = stringifyEntityRef(personas.entityRef).toLocaleLowerCase(
    'en-US',
  );

  return (
    <InfoCard
      title="DevOps Personas"
      titleTypographyProps={{ component: 'h2', variant: 'h5' }}
      subheader="Who wears the hats, delivery and SLOs at a glance"
      variant="gridItem"
    >
      <Section id="hats" title="Core hats">
        <Answer
          state={personas}
          what="Could not load the personas of this entity"
        >
          {value => <CoreHats answer={value} classes={classes} />}
        </Answer>
      </Section>
      <Section id="dora" title="DORA, last 30 days">
        <Answer state={kpis} what="Could not load the KPIs of this entity">
          {value => (
            <Dora answer={value} kpisLink={tab(tabs.kpis)} classes={classes} />
          )}
        </Answer>
      </Section>
      <Section id="slos" title="SLOs">
        <Answer state={slos} what="Could not load the SLOs of this entity">
          {value => <Slos answer={value} pageRef={pageRef} classes={classes} />}
        </Answer>
      </Section>
      <Divider />
      <Box
        className={classes.links}
        component="nav"
        aria-label="DevOps Personas tabs"
      >
        <Link to={tab(tabs.personas)}>All personas</Link>
        <Link to={tab(tabs.kpis)}>KPIs and trends</Link>
        <Link to={tab(tabs.slos)}>SLOs and burn rates</Link>
      </Box>
    </InfoCard>
  );
}
