import {
  CodeSnippet,
  CopyTextButton,
  EmptyState,
  InfoCard,
  Progress,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  BUILT_IN_KPI_TITLES,
  EntityPersonasResponse,
  PersonaHolder,
  ResolvedPersona,
} from '@devops-personas/plugin-devops-personas-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Collapse from '@material-ui/core/Collapse';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Fragment, useState } from 'react';
import { ErrorWithRetry } from '../shared/ErrorWithRetry';
import { plural } from '../shared/plural';
import { EntityInWords, ProvenanceText } from '../shared/provenance';
import { useEntityAnswer } from '../shared/useEntityAnswer';
import { WarningList } from '../shared/WarningList';

const useStyles = makeStyles(theme => ({
  list: { margin: 0, paddingLeft: theme.spacing(2.5) },
  // a holder shown by its ref (no display name) is one long word
  ref: { overflowWrap: 'anywhere' },
  members: {
    margin: 0,
    paddingLeft: theme.spacing(2),
    color: theme.palette.text.secondary,
  },
  holderName: { fontWeight: theme.typography.fontWeightMedium as number },
  kindLabel: {
    marginLeft: theme.spacing(0.5),
    color: theme.palette.text.secondary,
    fontSize: '0.8em',
  },
  // dark amber, 6.0:1 on white (the theme's warning.dark is 2.7:1)
  notInCatalog: {
    marginLeft: theme.spacing(1),
    color: theme.palette.type === 'dark' ? '#ffcc80' : '#a04a00',
    fontSize: '0.85em',
  },
  snippet: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    marginTop: theme.spacing(0.5),
    padding: theme.spacing(0.5, 1),
    borderRadius: theme.shape.borderRadius,
    background: theme.palette.background.default,
    '& code': {
      fontFamily: 'monospace',
      fontSize: '0.85em',
      // an annotation key is one long token: it may wrap where it must, the
      // prose around it only between words
      overflowWrap: 'anywhere',
      flex: 1,
      minWidth: 0,
    },
  },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  section: { marginTop: theme.spacing(1.5) },
  chain: { marginBottom: theme.spacing(2) },
  summary: { marginBottom: theme.spacing(1) },
}));

/** The annotation value to suggest for a persona in snippets. */
function placeholderFor(persona: ResolvedPersona): string {
  return ['platform-engineer', 'service-owner'].includes(persona.id)
    ? 'group:<team>'
    : '<user>';
}

/** A catalog-info.yaml excerpt with one annotation per persona. */
function annotationsSnippet(personas: ResolvedPersona[]): string {
  return [
    'metadata:',
    '  annotations:',
    ...personas.map(p => `    ${p.annotation}: ${placeholderFor(p)}`),
  ].join('\n');
}

function kpiTitle(kpiId: string): string {
  return (BUILT_IN_KPI_TITLES as Record<string, string>)[kpiId] ?? kpiId;
}

/** "(group of 2 members)", "(group of 1 member)", "(group, no members)". */
function groupLabel(holder: PersonaHolder): string {
  if (!holder.inCatalog) return '(group)';
  if (!holder.members.length) return '(group, no members)';
  return `(group of ${plural(holder.members.length, 'member')})`;
}

function Holder(props: { holder: PersonaHolder }) {
  const classes = useStyles();
  const { holder } = props;
  const isGroup = holder.ref.startsWith('group:');
  const looksLikeRef = /[:/]/.test(holder.displayName);
  return (
    <li>
      <Typography
        variant="body2"
        component="span"
        className={classes.holderName}
      >
        {holder.inCatalog ? (
          <EntityRefLink
            entityRef={holder.ref}
            className={looksLikeRef ? classes.ref : undefined}
          >
            {holder.displayName}
          </EntityRefLink>
        ) : (
          <span className={looksLikeRef ? classes.ref : undefined}>
            {holder.displayName}
          </span>
        )}
      </Typography>
      {isGroup && (
        <span className={classes.kindLabel}>{groupLabel(holder)}</span>
      )}
      {!holder.inCatalog && (
        <span
          className={classes.notInCatalog}
          title={`${holder.ref} is not in the catalog`}
        >
          (not in catalog)
        </span>
      )}
      {holder.members.length > 0 && (
        <ul
          className={classes.members}
          aria-label={`Members of ${holder.displayName}`}
        >
          {holder.members.map(member => (
            <li key={member.ref}>
              <Typography variant="body2" component="span">
                <EntityRefLink entityRef={member.ref}>
                  {member.displayName}
                </EntityRefLink>
              </Typography>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function ListSection(props: { title: string; items: string[] }) {
  const classes = useStyles();
  if (!props.items.length) return null;
  return (
    <div className={classes.section}>
      <Typography variant="subtitle2" component="h3">
        {props.title}
      </Typography>
      <ul className={classes.list} aria-label={props.title}>
        {props.items.map(item => (
          <li key={item}>
            <Typography variant="body2">{item}</Typography>
          </li>
        ))}
      </ul>
    </div>
  );
}

function PersonaCard(props: {
  persona: ResolvedPersona;
  titles: Map<string, string>;
}) {
  const classes = useStyles();
  const { persona, titles } = props;
  const [open, setOpen] = useState(false);
  const moreId = `devops-personas-more-${persona.id}`;
  const snippet = `${persona.annotation}: <user or group:team>`;
  return (
    <InfoCard
      variant="gridItem"
      title={persona.title}
      titleTypographyProps={{ component: 'h2', variant: 'h5' }}
      subheader={<ProvenanceText provenance={persona.provenance} />}
    >
      {persona.holders.length > 0 ? (
        <ul className={classes.list} aria-label={`Holders of ${persona.title}`}>
          {persona.holders.map(holder => (
            <Holder key={holder.ref} holder={holder} />
          ))}
        </ul>
      ) : (
        <Box>
          <Typography variant="body2" color="textSecondary">
            Nobody wears this hat. Add to catalog-info.yaml, here or once on the
            System or Domain:
          </Typography>
          <div className={classes.snippet}>
            <code>{snippet}</code>
            <CopyTextButton
              text={snippet}
              aria-label={`Copy the ${persona.title} annotation`}
            />
          </div>
        </Box>
      )}

      <div className={classes.section}>
        <Typography variant="subtitle2" component="h3">
          Mission
        </Typography>
        <Typography variant="body2">{persona.canvas.mission}</Typography>
      </div>
      <div className={classes.section}>
        <Typography variant="subtitle2" component="h3">
          Accountable for
        </Typography>
        <Typography variant="body2">{persona.canvas.accountability}</Typography>
      </div>
      {persona.canvas.kpis.length > 0 && (
        <div className={classes.section}>
          <Typography variant="subtitle2" component="h3">
            Key metrics
          </Typography>
          <ul
            className={classes.chips}
            aria-label={`Key metrics of ${persona.title}`}
          >
            {persona.canvas.kpis.map(kpi => (
              <li key={kpi}>
                <Chip label={kpiTitle(kpi)} size="small" variant="outlined" />
              </li>
            ))}
          </ul>
        </div>
      )}

      <Button
        size="small"
        color="primary"
        className={classes.section}
        onClick={() => setOpen(!open)}
        aria-expanded={open}
        aria-controls={moreId}
        aria-label={`${open ? 'Less' : 'More'} about ${persona.title}`}
      >
        {open ? 'Less' : 'More'}
      </Button>
      <Collapse in={open}>
        <div id={moreId}>
          <ListSection title="Decides" items={persona.canvas.decisions} />
          <ListSection title="Delivers" items={persona.canvas.deliverables} />
          <ListSection
            title="Works with"
            items={persona.canvas.interfaces.map(i => titles.get(i) ?? i)}
          />
          <ListSection
            title="What we don't want"
            items={persona.canvas.antiGoals}
          />
        </div>
      </Collapse>
    </InfoCard>
  );
}

/** "Personas not set on this entity are taken from System payments, then Domain commerce." */
function InheritanceChain(props: { answer: EntityPersonasResponse }) {
  const classes = useStyles();
  const [, ...ancestors] = props.answer.inheritanceChain ?? [];
  if (!ancestors.length) return null;
  return (
    <Typography variant="body2" color="textSecondary" className={classes.chain}>
      Personas not set on this entity are taken from{' '}
      {ancestors.map((ref, i) => (
        <Fragment key={ref}>
          {i > 0 && ', then '}
          <EntityInWords entityRef={ref} />
        </Fragment>
      ))}
      .
    </Typography>
  );
}

/** "5 of 7 personas assigned · 1 core persona unassigned". */
function AssignmentSummary(props: { personas: ResolvedPersona[] }) {
  const classes = useStyles();
  const { personas } = props;
  const assigned = personas.filter(p => p.holders.length > 0).length;
  const coreGaps = personas.filter(
    p => p.core && p.holders.length === 0,
  ).length;
  return (
    <Typography variant="body2" className={classes.summary}>
      {assigned} of {plural(personas.length, 'persona')} assigned
      {coreGaps > 0 && ` · ${plural(coreGaps, 'core persona')} unassigned`}
    </Typography>
  );
}

/**
 * The Personas tab: who wears which hat on this entity, where each
 * assignment comes from, and the persona canvas.
 */
export function EntityPersonasContent() {
  const { value, loading, error, retry } = useEntityAnswer((api, ref) =>
    api.getPersonas(ref),
  );

  if (loading && !value) return <Progress />;
  if (error)
    return (
      <ErrorWithRetry
        what="Could not load the personas of this entity"
        error={error}
        onRetry={retry}
      />
    );
  if (!value) return null;

  if (value.personas.every(p => p.holders.length === 0)) {
    return (
      <>
        {/* every persona is unassigned: the empty state says so once */}
        <WarningList
          warnings={value.warnings.filter(w => w.code !== 'unassigned-persona')}
        />
        <EmptyState
          missing="field"
          title="No personas assigned yet"
          description={
            <>
              Say who wears which hat with annotations in this entity's
              catalog-info.yaml. Values are user names or <code>group:</code>{' '}
              refs, comma separated for several holders. Set them once on the
              System or Domain and every Component in it inherits them.
            </>
          }
          action={
            <CodeSnippet
              language="yaml"
              text={annotationsSnippet(value.personas)}
              showCopyCodeButton
            />
          }
        />
      </>
    );
  }

  const titles = new Map(value.personas.map(p => [p.id, p.title]));
  return (
    <>
      <WarningList warnings={value.warnings} />
      <AssignmentSummary personas={value.personas} />
      <InheritanceChain answer={value} />
      <Grid container spacing={2} alignItems="stretch">
        {value.personas.map(persona => (
          <Grid item xs={12} md={6} lg={4} key={persona.id}>
            <PersonaCard persona={persona} titles={titles} />
          </Grid>
        ))}
      </Grid>
    </>
  );
}
