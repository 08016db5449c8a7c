import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  BUILT_IN_PERSONAS,
  RaciAssignment,
  STAKEHOLDERS,
} from '@internal/plugin-devops-personas-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useEntityAnswer } from '../shared/useEntityAnswer';
import { WarningList } from '../shared/WarningList';

const ROLE_NAMES: Record<string, string> = {
  R: 'Responsible',
  A: 'Accountable',
  C: 'Consulted',
  I: 'Informed',
};

const useStyles = makeStyles(theme => ({
  table: { minWidth: 900 },
  scenario: { fontWeight: 500, minWidth: 200 },
  cell: { verticalAlign: 'top', minWidth: 110 },
  letters: { fontWeight: 700, fontSize: '1rem', letterSpacing: 2 },
  accountable: { color: theme.palette.primary.main },
  gap: {
    backgroundColor: theme.palette.type === 'dark' ? '#5c1f1f' : '#fdecea',
  },
  people: { margin: 0, padding: 0, listStyle: 'none', fontSize: '0.8rem' },
  legend: { marginTop: theme.spacing(2) },
}));

/**
 * The RACI tab: scenarios × personas with R/A/C/I marks and the people
 * behind each mark.
 *
 * @public
 */
export function EntityRaciContent() {
  const classes = useStyles();
  const { value, loading, error } = useEntityAnswer((api, ref) =>
    api.getRaci(ref),
  );

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;

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

  return (
    <>
      <WarningList warnings={value.warnings} />
      <InfoCard title="Who does what (RACI)" noPadding>
        <TableContainer>
          <Table
            size="small"
            className={classes.table}
            aria-label="RACI matrix"
          >
            <TableHead>
              <TableRow>
                <TableCell component="th" scope="col">
                  Scenario
                </TableCell>
                {personaIds.map(id => (
                  <TableCell key={id} component="th" scope="col">
                    {title(id)}
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
                    className={classes.scenario}
                  >
                    {scenario.title}
                  </TableCell>
                  {personaIds.map(personaId => {
                    const marks: RaciAssignment[] = scenario.assignments.filter(
                      a => a.persona === personaId,
                    );
                    if (!marks.length)
                      return (
                        <TableCell key={personaId} className={classes.cell} />
                      );
                    const gap = marks.some(
                      m => m.role === 'A' && m.holders.length !== 1,
                    );
                    const holders = [...new Set(marks.flatMap(m => m.holders))];
                    const label = marks
                      .map(
                        m =>
                          `${ROLE_NAMES[m.role]}${
                            m.qualifier ? ` (${m.qualifier})` : ''
                          }`,
                      )
                      .join(', ');
                    return (
                      <TableCell
                        key={personaId}
                        className={`${classes.cell} ${gap ? classes.gap : ''}`}
                        aria-label={`${title(personaId)}: ${label}${
                          gap ? ', accountability gap' : ''
                        }`}
                      >
                        <div className={classes.letters}>
                          {marks.map(m => (
                            <span
                              key={m.role}
                              className={
                                m.role === 'A' ? classes.accountable : undefined
                              }
                              title={label}
                            >
                              {m.role}
                              {m.qualifier ? <sub> {m.qualifier}</sub> : null}
                            </span>
                          ))}
                        </div>
                        {holders.length ? (
                          <ul className={classes.people}>
                            {holders.map(ref => (
                              <li key={ref}>
                                <EntityRefLink entityRef={ref}>
                                  {name(ref)}
                                </EntityRefLink>
                              </li>
                            ))}
                          </ul>
                        ) : (
                          <Typography variant="caption" color="error">
                            nobody
                          </Typography>
                        )}
                      </TableCell>
                    );
                  })}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      </InfoCard>
      <Typography variant="body2" className={classes.legend} component="p">
        <strong>R</strong> Responsible: does the work · <strong>A</strong>{' '}
        Accountable: decides and answers for it (exactly one per row; Go-live
        has two by design, business and operational risk) · <strong>C</strong>{' '}
        Consulted before · <strong>I</strong> Informed after. Highlighted cells
        are accountability gaps. Stakeholders are the entity&apos;s owner.
      </Typography>
    </>
  );
}
