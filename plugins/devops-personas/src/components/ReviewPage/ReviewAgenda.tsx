import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  BuiltInKpiId,
  DoraTier,
  KPI_OWNER_ANNOTATION_PREFIX,
  KpiOwner,
  ReviewAgendaResponse,
  ReviewKpiLine,
  ReviewPostmortemActionLine,
  ReviewSloLine,
  ReviewVulnerabilityLine,
} from '@devops-personas/plugin-devops-personas-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import {
  formatChange,
  formatChangeRatio,
  formatDay,
  formatKpiValue,
  formatPercent,
  formatTarget,
} from '../shared/format';
import { plural } from '../shared/plural';
import { ProvenanceText } from '../shared/provenance';
import { AlertChip, StatusChip, TierChip } from '../shared/StatusChips';
import { useStatusStyles } from '../shared/statusStyles';
import { useReviewStyles } from './styles';

/**
 * The KPI whose owner owns the lines of a section: a KPI line's own KPI, the
 * SLO compliance, vulnerability fix time and postmortem follow-up KPIs for
 * the others. An ownerless line says which annotation to add.
 */
const SECTION_KPIS: Record<
  'slos' | 'vulnerabilities' | 'actions',
  BuiltInKpiId
> = {
  slos: 'slo-compliance',
  vulnerabilities: 'critical-vulnerability-fix-time',
  actions: 'postmortem-action-closure-rate',
};

/** The entity tab a line links to, as mounted by the app and by `/alpha`. */
type Tab = 'kpis' | 'slos';

function EntityCell(props: { entityRef: string; tab: Tab }) {
  const classes = useReviewStyles();
  const entityRoute = useRouteRef(entityRouteRef);
  let ref;
  try {
    ref = parseEntityRef(props.entityRef);
  } catch {
    return <span className={classes.ref}>{props.entityRef}</span>;
  }
  const name =
    ref.namespace === 'default' ? ref.name : `${ref.namespace}/${ref.name}`;
  const kind = ref.kind.toLocaleLowerCase('en-US');
  return (
    <>
      <Link
        to={`${entityRoute({
          kind,
          namespace: ref.namespace,
          name: ref.name,
        })}/${props.tab}`}
        title={`${props.entityRef}: ${
          props.tab === 'slos' ? 'SLOs' : 'KPIs'
        } tab`}
        className={classes.ref}
      >
        {name}
      </Link>
      {kind !== 'component' && (
        <div className={classes.secondary}>
          {kind.charAt(0).toLocaleUpperCase('en-US') + kind.slice(1)}
        </div>
      )}
    </>
  );
}

/**
 * Who owns a line: the holders by display name, each linked to its catalog
 * page, and where the ownership comes from; for a line without a holder,
 * "No owner" and the annotation that names one.
 */
function OwnerCell(props: {
  owner: KpiOwner;
  holderNames: Record<string, string>;
  kpi: string;
}) {
  const classes = useReviewStyles();
  const status = useStatusStyles();
  const { owner, holderNames, kpi } = props;
  if (!owner.holders.length) {
    return (
      <>
        <strong className={status.bad}>No owner</strong>
        <div className={classes.secondary}>
          Add{' '}
          <code className={classes.code}>
            {KPI_OWNER_ANNOTATION_PREFIX}
            {kpi}
          </code>{' '}
          to the entity
        </div>
      </>
    );
  }
  return (
    <>
      <ul className={classes.lines} aria-label="Owner">
        {owner.holders.map(ref => (
          <li key={ref}>
            <EntityRefLink
              entityRef={ref}
              defaultKind="user"
              className={classes.ref}
            >
              {holderNames[ref]}
            </EntityRefLink>
          </li>
        ))}
      </ul>
      <div className={classes.secondary}>
        <ProvenanceText provenance={owner.provenance} />
      </div>
    </>
  );
}

function ResponseCell(props: { response: string }) {
  const classes = useReviewStyles();
  const status = useStatusStyles();
  if (!props.response.trim()) {
    return <span className={status.neutral}>No response agreed yet</span>;
  }
  return <span className={classes.response}>{props.response}</span>;
}

/** An id linked to its page when it has one (a vulnerability, an action). */
function IdLink(props: { id: string; url?: string }) {
  const classes = useReviewStyles();
  return props.url ? (
    <Link to={props.url} className={classes.ref}>
      {props.id}
    </Link>
  ) : (
    <span className={classes.ref}>{props.id}</span>
  );
}

interface Column<T> {
  header: string;
  /** A hint for the automatic layout, e.g. `18%`. */
  width: string;
  render: (line: T) => ReactNode;
}

/** The two columns every line ends with. */
function ownerColumns<T extends { owner: KpiOwner; response: string }>(
  holderNames: Record<string, string>,
  kpiOf: (line: T) => string,
): Column<T>[] {
  return [
    {
      header: 'Owner',
      width: '16%',
      render: line => (
        <OwnerCell
          owner={line.owner}
          holderNames={holderNames}
          kpi={kpiOf(line)}
        />
      ),
    },
    {
      header: 'Agreed response',
      width: '28%',
      render: line => <ResponseCell response={line.response} />,
    },
  ];
}

/** A section of the agenda: its title with the count, and a table or a sentence. */
function ReviewSection<T>(props: {
  id: string;
  title: string;
  /** The count in words: "2 KPIs". */
  count: string;
  empty: string;
  lines: T[];
  lineKey: (line: T) => string;
  columns: Column<T>[];
}) {
  const classes = useReviewStyles();
  const headingId = `devops-personas-review-${props.id}`;
  return (
    <section aria-labelledby={headingId} className={classes.section}>
      <Typography
        variant="h5"
        component="h2"
        id={headingId}
        gutterBottom
        className={classes.heading}
      >
        {props.title} <span className={classes.count}>({props.count})</span>
      </Typography>
      {props.lines.length === 0 ? (
        <Typography variant="body2" className={classes.empty}>
          {props.empty}
        </Typography>
      ) : (
        <Table
          size="small"
          aria-labelledby={headingId}
          className={classes.table}
        >
          <TableHead>
            <TableRow>
              {props.columns.map(column => (
                <TableCell
                  key={column.header}
                  component="th"
                  scope="col"
                  style={{ width: column.width }}
                >
                  {column.header}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {props.lines.map(line => (
              <TableRow key={props.lineKey(line)} className={classes.row}>
                {props.columns.map(column => (
                  <TableCell key={column.header}>
                    {column.render(line)}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}

function TierOrNone(props: { tier: DoraTier | null | undefined }) {
  return props.tier ? <TierChip tier={props.tier} /> : <span>no tier</span>;
}

/** "19 h → 36 h", the change in the KPI's unit, the target when missed. */
function KpiChangeCell(props: { line: ReviewKpiLine }) {
  const classes = useReviewStyles();
  const status = useStatusStyles();
  const { line } = props;
  const change = formatChange(line.change, line.unit);
  // a relative change of a fraction would be a percentage of a percentage
  const ratio =
    line.unit === 'fraction' ? null : formatChangeRatio(line.changeRatio);
  const target = line.target ? formatTarget(line.target, line.unit) : null;
  return (
    <>
      <div>
        {formatKpiValue(line.previous, line.unit)} →{' '}
        <strong>{formatKpiValue(line.value, line.unit)}</strong>
      </div>
      {change && (
        <div className={status.bad}>
          {change}
          {ratio ? ` (${ratio})` : ''}
        </div>
      )}
      {target && <div className={classes.secondary}>Target {target}</div>}
      {line.met === false && (
        <div className={classes.chips}>
          <StatusChip
            label="Target missed"
            tone="bad"
            title={target ? `Target ${target} missed` : undefined}
          />
        </div>
      )}
    </>
  );
}

function KpiCell(props: { line: ReviewKpiLine }) {
  const classes = useReviewStyles();
  const { line } = props;
  const tierChanged =
    line.tier !== undefined &&
    line.previousTier !== undefined &&
    line.tier !== line.previousTier;
  return (
    <>
      <span title={line.kpi}>{line.title}</span>
      {tierChanged && (
        <div
          className={`${classes.chips} ${classes.secondary}`}
          data-testid="tier-change"
        >
          DORA tier <TierOrNone tier={line.previousTier} /> →{' '}
          <TierOrNone tier={line.tier} />
        </div>
      )}
    </>
  );
}

function budgetShare(fraction: number): string {
  return formatKpiValue(fraction, 'fraction');
}

function SloBudgetCell(props: { line: ReviewSloLine }) {
  const classes = useReviewStyles();
  const { budgetSpent, budgetRemaining, alert } = props.line;
  return (
    <>
      <div>
        {budgetSpent === null
          ? 'Budget spent this week: no data'
          : `${budgetShare(budgetSpent)} of the budget spent this week`}
      </div>
      <div className={classes.secondary}>
        {budgetRemaining === null
          ? 'Budget remaining: no data'
          : `${budgetShare(budgetRemaining)} left${
              budgetRemaining < 0 ? ' (overspent)' : ''
            }`}
      </div>
      {alert !== 'ok' && (
        <div className={classes.chips}>
          <AlertChip alert={alert} />
        </div>
      )}
    </>
  );
}

/**
 * The four sections of the weekly review, in the order a meeting goes
 * through them: KPIs that got worse, SLOs spending budget fastest, overdue
 * critical vulnerabilities, postmortem actions due or late. Every line names
 * its owner and the agreed response.
 */
export function ReviewAgenda(props: { agenda: ReviewAgendaResponse }) {
  const classes = useReviewStyles();
  const { agenda } = props;
  const names = agenda.holderNames ?? {};
  const kpiColumns: Column<ReviewKpiLine>[] = [
    {
      header: 'Entity',
      width: '14%',
      render: line => <EntityCell entityRef={line.entityRef} tab="kpis" />,
    },
    { header: 'KPI', width: '18%', render: line => <KpiCell line={line} /> },
    {
      header: 'Last week → this week',
      width: '20%',
      render: line => <KpiChangeCell line={line} />,
    },
    ...ownerColumns<ReviewKpiLine>(names, line => line.kpi),
  ];
  const sloColumns: Column<ReviewSloLine>[] = [
    {
      header: 'Entity',
      width: '14%',
      render: line => <EntityCell entityRef={line.entityRef} tab="slos" />,
    },
    {
      header: 'SLO',
      width: '18%',
      render: line => (
        <>
          <span className={classes.ref}>{line.displayName || line.slo}</span>
          <div className={classes.secondary}>
            {line.objective} · target {formatPercent(line.target, 2)}
          </div>
        </>
      ),
    },
    {
      header: 'Error budget',
      width: '20%',
      render: line => <SloBudgetCell line={line} />,
    },
    ...ownerColumns<ReviewSloLine>(names, () => SECTION_KPIS.slos),
  ];
  const vulnerabilityColumns: Column<ReviewVulnerabilityLine>[] = [
    {
      header: 'Entity',
      width: '14%',
      render: line => <EntityCell entityRef={line.entityRef} tab="kpis" />,
    },
    {
      header: 'Vulnerability',
      width: '18%',
      render: line => (
        <>
          <IdLink id={line.id} url={line.url} />
          <div className={classes.secondary}>{line.source}</div>
        </>
      ),
    },
    {
      header: 'Overdue',
      width: '20%',
      render: line => (
        <>
          <div>Overdue since {formatDay(line.overdueSince)}</div>
          <div className={classes.secondary}>
            Detected {formatDay(line.detectedAt)}
          </div>
        </>
      ),
    },
    ...ownerColumns<ReviewVulnerabilityLine>(
      names,
      () => SECTION_KPIS.vulnerabilities,
    ),
  ];
  const actionColumns: Column<ReviewPostmortemActionLine>[] = [
    {
      header: 'Entity',
      width: '14%',
      render: line => <EntityCell entityRef={line.entityRef} tab="kpis" />,
    },
    {
      header: 'Action',
      width: '18%',
      render: line => (
        <>
          <IdLink id={line.id} url={line.url} />
          <div className={classes.secondary}>
            {line.incidentId ? (
              <>
                Incident <span className={classes.ref}>{line.incidentId}</span>{' '}
                ·{' '}
              </>
            ) : null}
            {line.source}
          </div>
        </>
      ),
    },
    {
      header: 'Due',
      width: '20%',
      render: line => (
        <>
          <div className={classes.chips}>
            {line.status === 'late' ? (
              <StatusChip label="Late" tone="bad" title="Past its due date" />
            ) : (
              <StatusChip
                label="Due"
                tone="warning"
                title="Due within the week after the review"
              />
            )}
          </div>
          <div>
            {line.status === 'late' ? 'Was due' : 'Due'} {formatDay(line.dueAt)}
          </div>
        </>
      ),
    },
    ...ownerColumns<ReviewPostmortemActionLine>(
      names,
      () => SECTION_KPIS.actions,
    ),
  ];

  return (
    <>
      <ReviewSection
        id="kpis"
        title="KPIs that got worse"
        count={plural(agenda.kpisWorse.length, 'KPI')}
        empty="No KPI got worse since last week."
        lines={agenda.kpisWorse}
        lineKey={line => `${line.entityRef} ${line.kpi}`}
        columns={kpiColumns}
      />
      {agenda.kpisOmitted ? (
        <Typography variant="body2" className={classes.secondary}>
          The KPIs of {plural(agenda.kpisOmitted, 'more Component')} were not
          compared: one review compares at most 300. Review their Systems or
          teams one by one.
        </Typography>
      ) : null}
      <ReviewSection
        id="slos"
        title="SLOs spending budget fastest"
        count={plural(agenda.slosBurning.length, 'objective')}
        empty="No SLO spent error budget this week, and none is alerting."
        lines={agenda.slosBurning}
        lineKey={line => `${line.entityRef} ${line.slo} ${line.objective}`}
        columns={sloColumns}
      />
      <ReviewSection
        id="vulnerabilities"
        title="Overdue critical vulnerabilities"
        count={plural(
          agenda.overdueVulnerabilities.length,
          'vulnerability',
          'vulnerabilities',
        )}
        empty="No critical vulnerability is past its fix time."
        lines={agenda.overdueVulnerabilities}
        lineKey={line => `${line.entityRef} ${line.source} ${line.id}`}
        columns={vulnerabilityColumns}
      />
      <ReviewSection
        id="actions"
        title="Postmortem actions due or late"
        count={plural(agenda.postmortemActions.length, 'action')}
        empty="No postmortem action is late or due in the coming week."
        lines={agenda.postmortemActions}
        lineKey={line => `${line.entityRef} ${line.source} ${line.id}`}
        columns={actionColumns}
      />
    </>
  );
}
