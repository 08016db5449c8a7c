import { InfoCard, Progress } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  BUILT_IN_PERSONAS,
  EntityRaciResponse,
  RaciAssignment,
  STAKEHOLDERS,
} from '@devops-personas/plugin-devops-personas-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { ErrorWithRetry } from '../shared/ErrorWithRetry';
import { useEntityAnswer } from '../shared/useEntityAnswer';
import { WarningList } from '../shared/WarningList';

const ROLE_NAMES: Record<string, string> = {
  R: 'Responsible',
  A: 'Accountable',
  C: 'Consulted',
  I: 'Informed',
};

/**
 * Words never break inside: the Backstage theme gives table cells
 * `word-break: break-word`, which let narrow columns split "Stakeholders"
 * and "Commerce" mid-word. Set on the cells and on the text itself (a span
 * no theme rule targets). Only long refs (a holder without a display name)
 * may break anywhere.
 */
const wholeWords = {
  wordBreak: 'normal',
  overflowWrap: 'normal',
  hyphens: 'manual',
} as const;

const useStyles = makeStyles((theme: Theme) => {
  const dark = theme.palette.type === 'dark';
  return {
    table: { borderCollapse: 'separate' },
    // `&&` doubles the class, to win over the theme's MuiTableCell overrides
    head: {
      '&&': {
        ...wholeWords,
        verticalAlign: 'bottom',
        padding: theme.spacing(1),
        lineHeight: 1.3,
      },
    },
    // the scenario column stays in view when the table scrolls sideways
    sticky: {
      '&&': {
        position: 'sticky',
        left: 0,
        zIndex: 1,
        backgroundColor: theme.palette.background.paper,
        borderRight: `1px solid ${theme.palette.divider}`,
      },
    },
    scenario: {
      '&&': {
        ...wholeWords,
        fontWeight: 500,
        minWidth: 160,
        maxWidth: 220,
        padding: theme.spacing(1),
        lineHeight: 1.3,
      },
    },
    cell: {
      '&&': {
        ...wholeWords,
        verticalAlign: 'top',
        minWidth: 84,
        padding: theme.spacing(1),
        lineHeight: 1.3,
      },
    },
    words: wholeWords,
    letters: { fontWeight: 700, fontSize: '1rem', letterSpacing: 2 },
    qualifier: {
      display: 'block',
      letterSpacing: 'normal',
      fontWeight: 400,
      fontSize: '0.75rem',
      whiteSpace: 'nowrap',
    },
    accountable: { color: theme.palette.primary.main },
    // dark red on pale pink 5.7:1, pale pink on dark red 8.9:1 (the theme's
    // error red on pink was 3.2:1)
    gap: { '&&': { backgroundColor: dark ? '#5c1f1f' : '#fdecea' } },
    nobody: { color: dark ? '#ffcdd2' : '#b71c1c', fontWeight: 600 },
    people: {
      margin: 0,
      padding: 0,
      listStyle: 'none',
      fontSize: '0.8rem',
    },
    ref: { overflowWrap: 'anywhere' },
    legend: { marginTop: theme.spacing(2) },
    // the stacked layout: one card per scenario
    stackedScenario: { padding: theme.spacing(1.5, 2), height: '100%' },
    stackedList: { margin: 0, padding: 0, listStyle: 'none' },
    stackedItem: {
      ...wholeWords,
      display: 'flex',
      gap: theme.spacing(1),
      alignItems: 'baseline',
      padding: theme.spacing(0.5, 0.75),
      borderRadius: theme.shape.borderRadius,
    },
    stackedLetters: {
      fontWeight: 700,
      letterSpacing: 2,
      minWidth: '2.5em',
      flexShrink: 0,
    },
    stackedPersona: { fontWeight: 500 },
  };
});

type Classes = ReturnType<typeof useStyles>;

/** What the table and the stacked layout share: the columns, titles and names. */
function columnsOf(value: EntityRaciResponse) {
  const personaIds: string[] = [];
  for (const scenario of value.scenarios) {
    for (const a of scenario.assignments)
      if (!personaIds.includes(a.persona)) personaIds.push(a.persona);
  }
  const order = [...BUILT_IN_PERSONAS.map(p => p.id), STAKEHOLDERS];
  personaIds.sort(
    (a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99),
  );
  const title = (id: string) =>
    value.personaTitles?.[id] ??
    (id === STAKEHOLDERS
      ? 'Stakeholders'
      : BUILT_IN_PERSONAS.find(p => p.id === id)?.title ?? id);
  const name = (ref: string) =>
    value.holderNames[ref] ?? ref.slice(ref.indexOf('/') + 1);
  return { personaIds, title, name };
}

type Described = ReturnType<typeof columnsOf>;

/** The marks of one persona in one scenario, and what they say. */
function marksOf(
  assignments: RaciAssignment[],
  personaId: string,
  title: (id: string) => string,
) {
  const marks = assignments.filter(a => a.persona === personaId);
  const gap = marks.some(m => m.role === 'A' && m.holders.length !== 1);
  const holders = [...new Set(marks.flatMap(m => m.holders))];
  const roles = marks
    .map(m => `${ROLE_NAMES[m.role]}${m.qualifier ? ` (${m.qualifier})` : ''}`)
    .join(', ');
  const label = `${title(personaId)}: ${roles}${
    gap ? ', accountability gap' : ''
  }`;
  return { marks, gap, holders, roles, label };
}

function Letters(props: {
  marks: RaciAssignment[];
  roles: string;
  classes: Classes;
}) {
  const { marks, roles, classes } = props;
  return (
    <>
      {marks.map(m => (
        <span
          key={`${m.role}-${m.qualifier ?? ''}`}
          className={m.role === 'A' ? classes.accountable : undefined}
          title={roles}
        >
          {m.role}
          {m.qualifier ? (
            <span className={classes.qualifier}>{m.qualifier}</span>
          ) : null}
        </span>
      ))}
    </>
  );
}

function Holders(props: {
  holders: string[];
  name: (ref: string) => string;
  classes: Classes;
  inline?: boolean;
}) {
  const { holders, name, classes, inline } = props;
  if (!holders.length) {
    return (
      <Typography variant="caption" component="span" className={classes.nobody}>
        nobody
      </Typography>
    );
  }
  const link = (ref: string) => {
    const text = name(ref);
    // a ref shown as is (no display name) is one long word: let it wrap
    return (
      <EntityRefLink
        entityRef={ref}
        className={
          text.includes(':') || text.includes('/') ? classes.ref : classes.words
        }
      >
        {text}
      </EntityRefLink>
    );
  };
  if (inline) {
    return (
      <span>
        {holders.map((ref, i) => (
          <span key={ref}>
            {i > 0 && ', '}
            {link(ref)}
          </span>
        ))}
      </span>
    );
  }
  return (
    <ul className={classes.people}>
      {holders.map(ref => (
        <li key={ref}>{link(ref)}</li>
      ))}
    </ul>
  );
}

/** The matrix: scenarios × personas, the scenario column sticky. */
function RaciTable(props: { value: EntityRaciResponse; described: Described }) {
  const classes = useStyles();
  const { value } = props;
  const { personaIds, title, name } = props.described;
  return (
    <TableContainer>
      <Table
        size="small"
        className={classes.table}
        aria-label="RACI matrix"
        data-layout="table"
      >
        <TableHead>
          <TableRow>
            <TableCell
              component="th"
              scope="col"
              className={`${classes.head} ${classes.sticky}`}
            >
              <span className={classes.words}>Scenario</span>
            </TableCell>
            {personaIds.map(id => (
              <TableCell
                key={id}
                component="th"
                scope="col"
                className={classes.head}
              >
                <span className={classes.words}>{title(id)}</span>
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {value.scenarios.map(scenario => (
            <TableRow key={scenario.id}>
              <TableCell
                component="th"
                scope="row"
                className={`${classes.scenario} ${classes.sticky}`}
              >
                <span className={classes.words}>{scenario.title}</span>
              </TableCell>
              {personaIds.map(personaId => {
                const { marks, gap, holders, roles, label } = marksOf(
                  scenario.assignments,
                  personaId,
                  title,
                );
                if (!marks.length)
                  return <TableCell key={personaId} className={classes.cell} />;
                return (
                  <TableCell
                    key={personaId}
                    className={`${classes.cell} ${gap ? classes.gap : ''}`}
                    aria-label={label}
                  >
                    <div className={classes.letters}>
                      <Letters marks={marks} roles={roles} classes={classes} />
                    </div>
                    <Holders holders={holders} name={name} classes={classes} />
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/**
 * Below the `lg` breakpoint (1280 px: a 1024 px screen with the sidebar
 * leaves ~750 px, too little for nine columns) each scenario is a card
 * listing its personas with their marks and holders.
 */
function RaciStacked(props: {
  value: EntityRaciResponse;
  described: Described;
}) {
  const classes = useStyles();
  const { value } = props;
  const { personaIds, title, name } = props.described;
  return (
    <Box p={2} data-layout="stacked">
      <Grid container spacing={2} role="list" aria-label="RACI by scenario">
        {value.scenarios.map(scenario => {
          const headingId = `raci-${scenario.id}`;
          return (
            <Grid item xs={12} sm={6} key={scenario.id} role="listitem">
              <Paper
                variant="outlined"
                className={classes.stackedScenario}
                component="section"
                aria-labelledby={headingId}
              >
                <Typography
                  variant="subtitle1"
                  component="h3"
                  id={headingId}
                  gutterBottom
                >
                  {scenario.title}
                </Typography>
                <ul className={classes.stackedList}>
                  {personaIds.map(personaId => {
                    const { marks, gap, holders, roles, label } = marksOf(
                      scenario.assignments,
                      personaId,
                      title,
                    );
                    if (!marks.length) return null;
                    return (
                      <li
                        key={personaId}
                        className={`${classes.stackedItem} ${
                          gap ? classes.gap : ''
                        }`}
                        aria-label={label}
                      >
                        <span className={classes.stackedLetters}>
                          <Letters
                            marks={marks}
                            roles={roles}
                            classes={classes}
                          />
                        </span>
                        <Typography variant="body2" component="span">
                          <span className={classes.stackedPersona}>
                            {title(personaId)}
                          </span>
                          {': '}
                          <Holders
                            holders={holders}
                            name={name}
                            classes={classes}
                            inline
                          />
                        </Typography>
                      </li>
                    );
                  })}
                </ul>
              </Paper>
            </Grid>
          );
        })}
      </Grid>
    </Box>
  );
}

/**
 * The RACI tab: scenarios × personas with R/A/C/I marks and the people
 * behind each mark; on narrower screens (below 1280 px) one card per
 * scenario instead of the matrix.
 *
 * @public
 */
export function EntityRaciContent() {
  const classes = useStyles();
  const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'), {
    noSsr: true,
  });
  const { value, loading, error, retry } = useEntityAnswer((api, ref) =>
    api.getRaci(ref),
  );

  if (loading && !value) return <Progress />;
  if (error)
    return (
      <ErrorWithRetry
        what="Could not load the RACI of this entity"
        error={error}
        onRetry={retry}
      />
    );
  if (!value) return null;

  const described = columnsOf(value);

  return (
    <>
      <WarningList warnings={value.warnings} />
      <InfoCard title="Who does what (RACI)" noPadding>
        {narrow ? (
          <RaciStacked value={value} described={described} />
        ) : (
          <RaciTable value={value} described={described} />
        )}
      </InfoCard>
      <Typography variant="body2" className={classes.legend} component="p">
        <strong>R</strong> Responsible: does the work · <strong>A</strong>{' '}
        Accountable: decides and answers for it (exactly one per row; Go-live
        has two by design, business and operational risk) · <strong>C</strong>{' '}
        Consulted before · <strong>I</strong> Informed after. Highlighted{' '}
        {narrow ? 'lines' : 'cells'} are accountability gaps. Stakeholders are
        the entity&apos;s owner.
      </Typography>
    </>
  );
}
