import {
  CodeSnippet,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ResolvedPersona,
  PersonaHolder,
} from '@internal/plugin-devops-personas-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Collapse from '@material-ui/core/Collapse';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useState } from 'react';
import { ProvenanceText } from '../shared/provenance';
import { useEntityAnswer } from '../shared/useEntityAnswer';
import { WarningList } from '../shared/WarningList';

const useStyles = makeStyles(theme => ({
  holders: { margin: 0, paddingLeft: theme.spacing(2) },
  members: { margin: 0, paddingLeft: theme.spacing(2), color: theme.palette.text.secondary },
  unknown: { color: theme.palette.warning.main, marginLeft: theme.spacing(1) },
  provenance: { color: theme.palette.text.secondary },
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  section: { marginTop: theme.spacing(1.5) },
}));

function exampleSnippet(personas: ResolvedPersona[]): string {
  return [
    'metadata:',
    '  annotations:',
    ...personas.map(p => `    ${p.annotation}: ${p.id === 'platform-engineer' || p.id === 'service-owner' ? 'group:<team>' : '<user>'}`),
  ].join('\n');
}

function Holder(props: { holder: PersonaHolder }) {
  const classes = useStyles();
  const { holder } = props;
  return (
    <li>
      {holder.inCatalog ? (
        <EntityRefLink entityRef={holder.ref}>{holder.displayName}</EntityRefLink>
      ) : (
        <span>{holder.displayName}</span>
      )}
      {!holder.inCatalog && <span className={classes.unknown}>(not in catalog)</span>}
      {holder.members.length > 0 && (
        <ul className={classes.members} aria-label={`Members of ${holder.displayName}`}>
          {holder.members.map(member => (
            <li key={member.ref}>
              <EntityRefLink entityRef={member.ref}>{member.displayName}</EntityRefLink>
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
      <Typography variant="subtitle2">{props.title}</Typography>
      <ul className={classes.holders}>
        {props.items.map(item => (
          <li key={item}>
            <Typography variant="body2">{item}</Typography>
          </li>
        ))}
      </ul>
    </div>
  );
}

function PersonaCard(props: { persona: ResolvedPersona; titles: Map<string, string> }) {
  const classes = useStyles();
  const { persona, titles } = props;
  const [open, setOpen] = useState(false);
  const assigned = persona.holders.length > 0;
  return (
    <InfoCard title={persona.title} subheader={<span className={classes.provenance}><ProvenanceText provenance={persona.provenance} /></span>}>
      {assigned ? (
        <ul className={classes.holders} aria-label={`${persona.title} holders`}>
          {persona.holders.map(holder => (
            <Holder key={holder.ref} holder={holder} />
          ))}
        </ul>
      ) : (
        <Box>
          <Typography variant="body2" color="textSecondary">
            Nobody wears this hat. Add to catalog-info.yaml (here, on the System or on the Domain):
          </Typography>
          <CodeSnippet language="yaml" text={`${persona.annotation}: <user or group:team>`} />
        </Box>
      )}
      <div className={classes.section}>
        <Typography variant="body2">{persona.canvas.mission}</Typography>
      </div>
      <div className={`${classes.section} ${classes.chips}`} aria-label="Key metrics">
        {persona.canvas.kpis.map(kpi => (
          <Chip key={kpi} label={kpi} size="small" variant="outlined" />
        ))}
      </div>
      <Button size="small" onClick={() => setOpen(!open)} aria-expanded={open} className={classes.section}>
        {open ? 'Less' : 'More'}
      </Button>
      <Collapse in={open}>
        <div className={classes.section}>
          <Typography variant="subtitle2">Accountability</Typography>
          <Typography variant="body2">{persona.canvas.accountability}</Typography>
        </div>
        <ListSection title="Decides" items={persona.canvas.decisions} />
        <ListSection title="Delivers" items={persona.canvas.deliverables} />
        <ListSection title="Works with" items={persona.canvas.interfaces.map(i => titles.get(i) ?? i)} />
        <ListSection title="What we don't want" items={persona.canvas.antiGoals} />
      </Collapse>
    </InfoCard>
  );
}

/**
 * The Personas tab: who wears which hat on this entity, where each
 * assignment comes from, and the persona canvas.
 *
 * @public
 */
export function EntityPersonasContent() {
  const { value, loading, error } = useEntityAnswer((api, ref) => api.getPersonas(ref));

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;

  const titles = new Map(value.personas.map(p => [p.id, p.title]));
  if (value.personas.every(p => p.holders.length === 0)) {
    return (
      <>
        <WarningList warnings={value.warnings.filter(w => w.code !== 'unassigned-persona')} />
        <EmptyState
          missing="field"
          title="No personas assigned yet"
          description="Say who wears which hat with annotations in catalog-info.yaml. Set them once on the System or Domain and every Component inherits them."
          action={<CodeSnippet language="yaml" text={exampleSnippet(value.personas)} showCopyCodeButton />}
        />
      </>
    );
  }

  return (
    <>
      <WarningList warnings={value.warnings} />
      <Grid container spacing={2}>
        {value.personas.map(persona => (
          <Grid item xs={12} md={6} lg={4} key={persona.id}>
            <PersonaCard persona={persona} titles={titles} />
          </Grid>
        ))}
      </Grid>
    </>
  );
}
