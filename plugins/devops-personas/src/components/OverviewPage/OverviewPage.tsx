import {
  InfoCard,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  BUILT_IN_KPIS,
  BUILT_IN_KPI_TITLES,
  BUILT_IN_PERSONA_TITLES,
  OverviewItem,
} from '@devops-personas/plugin-devops-personas-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Link from '@material-ui/core/Link';
import TablePagination from '@material-ui/core/TablePagination';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  CSSProperties,
  Fragment,
  ReactNode,
  useEffect,
  useRef,
  useState,
} from 'react';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { devopsPersonasApiRef, OverviewQuery, OverviewSort } from '../../api';
import { ErrorWithRetry } from '../shared/ErrorWithRetry';
import { PageFrame } from '../shared/PageFrame';
import { plural } from '../shared/plural';
import { SourcesSection } from './SourcesSection';

/** Rows per page a person can choose; the first request uses the default. */
const PAGE_SIZES = [5, 10, 20];
const DEFAULT_PAGE_SIZE = 20;
const DEFAULT_SORT: OverviewSort = 'warnings';
/** The direction a column sorts in when first clicked (worst first for gaps and warnings). */
const FIRST_ORDER: Record<OverviewSort, 'asc' | 'desc'> = {
  entity: 'asc',
  title: 'asc',
  kind: 'asc',
  owner: 'asc',
  coverage: 'asc',
  gaps: 'desc',
  warnings: 'desc',
};
const SORTS = Object.keys(FIRST_ORDER) as OverviewSort[];
const KINDS = ['component', 'system', 'domain', 'api', 'resource', 'group'];
const GAPS: Record<NonNullable<OverviewQuery['gap']>, string> = {
  'ownerless-kpis': 'KPIs without an owner',
  'missing-personas': 'Unassigned core personas',
};
/** Warning codes said in words: [one, several]. */
const WARNING_WORDS: Record<string, [string, string]> = {
  'unassigned-persona': ['unassigned persona', 'unassigned personas'],
  'ownerless-kpi': ['KPI without an owner', 'KPIs without an owner'],
  'unknown-holder': ['holder not in the catalog', 'holders not in the catalog'],
  'hero-mode': ['person wearing too many hats', 'people wearing too many hats'],
  'raci-accountability': [
    'RACI row without one accountable',
    'RACI rows without one accountable',
  ],
  'invalid-annotation': ['invalid annotation', 'invalid annotations'],
  guardrail: ['guardrail warning', 'guardrail warnings'],
  'invalid-slo': ['invalid SLO document', 'invalid SLO documents'],
  'slo-source-unavailable': [
    'SLO source unavailable',
    'SLO sources unavailable',
  ],
};
const FILTERS = ['kind', 'owner', 'system', 'within', 'gap'] as const;
type FilterName = (typeof FILTERS)[number];

/** Everything a link to this page keeps: filters, sort and page. */
interface ViewState extends Record<FilterName, string> {
  sort: OverviewSort;
  order: 'asc' | 'desc';
  /** Zero-based; the URL says `page=1` for the first page. */
  page: number;
  pageSize: number;
}

function readState(params: URLSearchParams): ViewState {
  const sortParam = params.get('sort') as OverviewSort | null;
  const sort =
    sortParam && SORTS.includes(sortParam) ? sortParam : DEFAULT_SORT;
  const orderParam = params.get('order');
  const pageParam = Number(params.get('page'));
  const pageSizeParam = Number(params.get('pageSize'));
  const gap = params.get('gap') ?? '';
  return {
    kind: params.get('kind') ?? '',
    owner: params.get('owner') ?? '',
    system: params.get('system') ?? '',
    within: params.get('within') ?? '',
    gap: gap in GAPS ? gap : '',
    sort,
    order:
      orderParam === 'asc' || orderParam === 'desc'
        ? orderParam
        : FIRST_ORDER[sort],
    page: Number.isInteger(pageParam) && pageParam > 1 ? pageParam - 1 : 0,
    pageSize: PAGE_SIZES.includes(pageSizeParam)
      ? pageSizeParam
      : DEFAULT_PAGE_SIZE,
  };
}

/** Writes a state into the URL's query, leaving out defaults and keeping other parameters. */
function writeState(current: URLSearchParams, state: ViewState) {
  const next = new URLSearchParams(current);
  const put = (name: string, value: string, fallback = '') => {
    if (value === fallback) next.delete(name);
    else next.set(name, value);
  };
  for (const name of FILTERS) put(name, state[name]);
  put('sort', state.sort, DEFAULT_SORT);
  put('order', state.order, FIRST_ORDER[state.sort]);
  put('page', String(state.page + 1), '1');
  put('pageSize', String(state.pageSize), String(DEFAULT_PAGE_SIZE));
  return next;
}

/** The page's state, kept in the URL so a reload or a shared link shows the same view. */
function useViewState() {
  const [params, setParams] = useSearchParams();
  const state = readState(params);
  const update = (
    change: Partial<ViewState>,
    options?: { replace?: boolean },
  ) =>
    setParams(
      current => writeState(current, { ...readState(current), ...change }),
      options,
    );
  return { state, update, params };
}

/**
 * The value of a text filter while it is typed: the URL (and the request)
 * follow a moment after the last key stroke, not at each one.
 */
function useDraft(value: string, commit: (value: string) => void) {
  const [draft, setDraft] = useState(value);
  const committed = useRef(value);
  const commitRef = useRef(commit);
  commitRef.current = commit;
  useEffect(() => {
    // changed from outside: the back button, a link, "Clear filters"
    if (value !== committed.current) {
      committed.current = value;
      setDraft(value);
    }
  }, [value]);
  useEffect(() => {
    if (draft === committed.current) return undefined;
    const timer = setTimeout(() => {
      committed.current = draft;
      commitRef.current(draft);
    }, 300);
    return () => clearTimeout(timer);
  }, [draft]);
  return [draft, setDraft] as const;
}

/** Wrap at spaces only: never "Commerc / e Team". */
const noBreaks = {
  wordBreak: 'normal',
  overflowWrap: 'normal',
  hyphens: 'none',
} as const;

const useStyles = makeStyles(theme => ({
  // "Recovery: no tier" on one line, however narrow the page
  nowrap: { whiteSpace: 'nowrap' },
  root: {
    // a visible keyboard focus on every link, button and sortable header
    '& a:focus-visible, & button:focus-visible, & [role="button"]:focus-visible, & .Mui-focusVisible':
      {
        outline: `2px solid ${theme.palette.primary.main}`,
        outlineOffset: 2,
      },
  },
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    margin: theme.spacing(3, 0, 2),
  },
  subtitle: { marginBottom: theme.spacing(2) },
  filter: { width: 180 },
  wideFilter: { width: 240 },
  results: { transition: 'opacity 150ms' },
  busy: { opacity: 0.6 },
  list: {
    margin: 0,
    padding: 0,
    listStyle: 'none',
    ...noBreaks,
    '& > li + li': { marginTop: 2 },
  },
  secondary: {
    // Backstage's textSubtle: 4.8:1 on the striped rows (#F8F8F8) of the
    // light theme, where text.secondary would be 4.3:1
    color: theme.palette.textSubtle ?? theme.palette.text.secondary,
    fontSize: '0.75rem',
    ...noBreaks,
  },
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    margin: -1,
    padding: 0,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    border: 0,
  },
}));

function Figure(props: { label: string; value: string }) {
  return (
    <InfoCard>
      <Typography variant="h4" component="p">
        {props.value}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {props.label}
      </Typography>
    </InfoCard>
  );
}

const capitalize = (word: string) =>
  word ? word[0].toLocaleUpperCase('en-US') + word.slice(1) : word;

const personaTitle = (id: string) =>
  (BUILT_IN_PERSONA_TITLES as Record<string, string>)[id] ?? id;

const kpiTitle = (id: string) =>
  (BUILT_IN_KPI_TITLES as Record<string, string>)[id] ?? id;

/** "4 unassigned personas", the code itself in the tooltip. */
function warningInWords(code: string, count: number) {
  const words = WARNING_WORDS[code];
  return words ? plural(count, words[0], words[1]) : `${count} × ${code}`;
}

/** Ids of the DORA KPIs: a new one fails to compile until it has a short name. */
type DoraKpiId = Extract<(typeof BUILT_IN_KPIS)[number], { dora: true }>['id'];

/** Short names for the narrow DORA column; the full title is in the tooltip. */
const DORA_SHORT_TITLES: Record<DoraKpiId, string> = {
  'deployment-frequency': 'Deploys',
  'lead-time-for-changes': 'Lead time',
  'change-failure-rate': 'Failures',
  'time-to-restore': 'Restore',
  'failed-deployment-recovery-time': 'Recovery',
};

function doraShortTitle(id: string): string {
  return (DORA_SHORT_TITLES as Record<string, string>)[id] ?? kpiTitle(id);
}

/** "3 of 8 Components have ownerless KPIs". */
function rollupInWords(rollup: {
  components: number;
  withOwnerlessKpis: number;
}) {
  if (!rollup.components) return 'No Components to roll up';
  return `${rollup.withOwnerlessKpis} of ${plural(
    rollup.components,
    'Component',
  )} ${rollup.withOwnerlessKpis === 1 ? 'has' : 'have'} ownerless KPIs`;
}

const TITLE = 'DevOps Personas';
const SUBTITLE = 'Who decides, who is accountable: the gaps across the catalog';

/**
 * The org-wide overview: persona coverage, gaps, ownerless KPIs and the
 * people wearing the most hats, with filters, sorting and paging kept in the
 * URL (`kind`, `owner`, `system`, `within`, `gap`, `sort`, `order`, `page`,
 * `pageSize`); below the table, the event sources of the backend and what
 * they received, stored and dropped. A whole page with its own header, for
 * the legacy frontend system.
 *
 * @public
 */
export function OverviewPage(
  props: {
    /**
     * Where your copy of the README's "Event sources" section is published
     * (e.g. `https://github.com/acme/backstage/blob/main/README.md#event-sources-kpis-from-the-tools-you-run`):
     * the sources section links to it when no source is installed.
     */
    eventSourcesDocsUrl?: string;
  } = {},
) {
  return <OverviewPageView {...props} withHeader />;
}

/** The props of the overview page, in either frontend system. */
type OverviewPageProps = NonNullable<Parameters<typeof OverviewPage>[0]>;

/**
 * The overview page for the new frontend system, whose page layout already
 * shows the title (the `PageBlueprint`'s): the content only, without a
 * second header.
 */
export function NfsOverviewPage(props: OverviewPageProps = {}) {
  return <OverviewPageView {...props} withHeader={false} />;
}

function OverviewPageView(props: OverviewPageProps & { withHeader: boolean }) {
  const classes = useStyles();
  const api = useApi(devopsPersonasApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const { state, update, params } = useViewState();
  const { kind, owner, system, within, gap, sort, order, page, pageSize } =
    state;

  const setFilter = (name: FilterName, value: string, replace = false) =>
    update({ [name]: value, page: 0 }, { replace });
  const [ownerDraft, setOwnerDraft] = useDraft(owner, v =>
    setFilter('owner', v, true),
  );
  const [systemDraft, setSystemDraft] = useDraft(system, v =>
    setFilter('system', v, true),
  );
  const [withinDraft, setWithinDraft] = useDraft(within, v =>
    setFilter('within', v, true),
  );
  const hasFilters = FILTERS.some(name => state[name]);
  const clearFilters = () => {
    setOwnerDraft('');
    setSystemDraft('');
    setWithinDraft('');
    update({ kind: '', owner: '', system: '', within: '', gap: '', page: 0 });
  };

  const { value, loading, error, retry } = useAsyncRetry(
    () =>
      api.getOverview({
        kind: kind || undefined,
        owner: owner || undefined,
        system: system || undefined,
        within: within || undefined,
        gap: (gap || undefined) as OverviewQuery['gap'],
        sort,
        order,
        offset: page * pageSize,
        limit: pageSize,
      }),
    [api, kind, owner, system, within, gap, sort, order, page, pageSize],
  );

  const tabLink = (ref: string) => {
    const { kind: k, namespace, name } = parseEntityRef(ref);
    return `${entityRoute({ kind: k, namespace, name })}/personas`;
  };

  /** This page showing the Components a rollup covers that have ownerless KPIs. */
  const rollupLink = (ref: string) => {
    const next = new URLSearchParams(params);
    for (const name of ['kind', 'owner', 'system', 'page']) next.delete(name);
    next.set('within', ref);
    next.set('gap', 'ownerless-kpis');
    return { search: `?${next}` };
  };

  /** A header clicked: the other direction if it is the sort already, else its first direction. */
  const sortBy = (key: OverviewSort) => {
    const flipped = order === 'asc' ? 'desc' : 'asc';
    update({
      sort: key,
      order: sort === key ? flipped : FIRST_ORDER[key],
      page: 0,
    });
  };

  const header = (label: string, key?: OverviewSort): ReactNode => {
    if (!key) return label;
    const active = sort === key;
    return (
      <TableSortLabel
        active={active}
        direction={active ? order : FIRST_ORDER[key]}
        onClick={() => sortBy(key)}
      >
        {label}
        {active && (
          <span className={classes.visuallyHidden}>
            {order === 'asc' ? ', sorted ascending' : ', sorted descending'}
          </span>
        )}
      </TableSortLabel>
    );
  };

  const cellStyle: CSSProperties = {
    padding: '6px 8px',
    verticalAlign: 'top',
    fontSize: '0.8125rem',
    ...noBreaks,
  };
  const headerStyle: CSSProperties = {
    padding: '8px',
    whiteSpace: 'normal',
    fontSize: '0.75rem',
    lineHeight: 1.3,
    ...noBreaks,
  };
  const column = (
    title: string,
    sortKey: OverviewSort | undefined,
    render: (row: OverviewItem) => ReactNode,
  ): TableColumn<OverviewItem> => ({
    title: header(title, sortKey) as TableColumn<OverviewItem>['title'],
    render,
    cellStyle,
    headerStyle,
  });

  const columns: TableColumn<OverviewItem>[] = [
    column('Entity', 'title', row => (
      <>
        <Link
          component={RouterLink}
          to={tabLink(row.entityRef)}
          title={row.entityRef}
        >
          {row.title}
        </Link>
        {row.system && (
          <div className={classes.secondary}>
            in <EntityRefLink entityRef={row.system} defaultKind="system" />
          </div>
        )}
      </>
    )),
    column('Kind', 'kind', row => capitalize(row.kind)),
    column('Owner', 'owner', row =>
      row.owner ? (
        <span title={row.owner}>
          <EntityRefLink entityRef={row.owner} defaultKind="group">
            {row.ownerTitle ?? undefined}
          </EntityRefLink>
        </span>
      ) : (
        'No owner'
      ),
    ),
    column('Coverage', 'coverage', row => (
      <>
        <div>{Math.round(row.coverage.ratio * 100)} %</div>
        <div className={classes.secondary}>
          {row.coverage.explicit} set, {row.coverage.inherited} inherited,{' '}
          {row.coverage.missing} missing
        </div>
      </>
    )),
    column('Gaps', 'gaps', row => {
      const lines: ReactNode[] = [];
      if (row.missingCorePersonas.length) {
        lines.push(
          <li key="personas">
            Unassigned:{' '}
            {row.missingCorePersonas.map((id, i) => (
              <Fragment key={id}>
                {i > 0 && ', '}
                <span title={id}>{personaTitle(id)}</span>
              </Fragment>
            ))}
          </li>,
        );
      }
      if (row.rollup?.withOwnerlessKpis) {
        lines.push(
          <li key="rollup">
            <Link component={RouterLink} to={rollupLink(row.entityRef)}>
              {rollupInWords(row.rollup)}
            </Link>
          </li>,
        );
      } else if (row.ownerlessKpis.length) {
        lines.push(
          <li key="kpis" title={row.ownerlessKpis.join(', ')}>
            {plural(row.ownerlessKpis.length, 'KPI')} without an owner
          </li>,
        );
      }
      return lines.length ? (
        <ul className={classes.list}>{lines}</ul>
      ) : (
        'No gaps'
      );
    }),
    column('Warnings', 'warnings', row => {
      const entries = Object.entries(row.warningCounts).filter(([, n]) => n);
      return entries.length ? (
        <ul className={classes.list}>
          {entries.map(([code, n]) => (
            <li key={code} title={code}>
              {warningInWords(code, n)}
            </li>
          ))}
        </ul>
      ) : (
        'None'
      );
    }),
    column('DORA tiers (30 days)', undefined, row => {
      const tiers = Object.entries(row.doraTiers);
      if (!tiers.some(([, tier]) => tier)) return 'No delivery data';
      return (
        <ul className={classes.list}>
          {tiers.map(([id, tier]) => (
            <li
              key={id}
              className={classes.nowrap}
              title={`${kpiTitle(id)} (${id}): ${
                tier ?? 'no tier (no data, or too small a sample)'
              }`}
            >
              {doraShortTitle(id)}: {tier ?? 'no tier'}
            </li>
          ))}
        </ul>
      );
    }),
  ];

  const textFilter = (
    name: FilterName,
    label: string,
    draft: string,
    setDraft: (v: string) => void,
    placeholder: string,
  ) => (
    <TextField
      id={`devops-personas-overview-${name}`}
      label={label}
      value={draft}
      placeholder={placeholder}
      size="small"
      variant="outlined"
      className={name === 'within' ? classes.wideFilter : classes.filter}
      InputLabelProps={{ shrink: true }}
      onChange={e => setDraft(e.target.value)}
      onKeyDown={e => {
        // Enter applies at once
        if (e.key === 'Enter' && draft !== state[name]) setFilter(name, draft);
      }}
    />
  );
  const selectFilter = (
    name: FilterName,
    label: string,
    options: Array<[string, string]>,
  ) => (
    <TextField
      id={`devops-personas-overview-${name}`}
      label={label}
      value={state[name]}
      size="small"
      variant="outlined"
      select
      className={classes.filter}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      onChange={e => setFilter(name, e.target.value)}
    >
      {options.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </TextField>
  );

  const items = value?.items ?? [];
  const pastTheEnd = !!value && value.total > 0 && items.length === 0;
  const emptyContent = (
    <Box p={2}>
      {pastTheEnd ? (
        <>
          <Typography paragraph>
            Page {page + 1} is past the last page.
          </Typography>
          <Button variant="outlined" onClick={() => update({ page: 0 })}>
            Go to the first page
          </Button>
        </>
      ) : (
        <>
          <Typography paragraph>No entities match these filters.</Typography>
          {hasFilters ? (
            <Button variant="outlined" color="primary" onClick={clearFilters}>
              Clear filters
            </Button>
          ) : (
            <Typography variant="body2">
              Annotate catalog entities with devops-personas.io/… to see them
              here.
            </Typography>
          )}
        </>
      )}
    </Box>
  );

  return (
    <PageFrame
      withHeader={props.withHeader}
      title={TITLE}
      subtitle={SUBTITLE}
      className={classes.root}
      subtitleClassName={classes.subtitle}
    >
      {error && (
        <ErrorWithRetry
          what="Could not load the overview"
          error={error}
          onRetry={retry}
        />
      )}
      {loading && !value && <Progress />}
      {value && (
        <Grid container spacing={2}>
          <Grid item xs={12} sm={4} lg={3}>
            <Figure
              label="of persona slots filled (set or inherited)"
              value={`${Math.round(value.summary.coverage * 100)} %`}
            />
          </Grid>
          <Grid item xs={12} sm={4} lg={3}>
            <Figure
              label={`of ${plural(
                value.summary.entities,
                'entity',
                'entities',
              )} ${
                value.summary.entitiesWithGaps === 1 ? 'has' : 'have'
              } unassigned core personas`}
              value={String(value.summary.entitiesWithGaps)}
            />
          </Grid>
          <Grid item xs={12} sm={4} lg={3}>
            <Figure
              label={`${
                value.summary.ownerlessKpis === 1
                  ? 'KPI without an owner'
                  : 'KPIs without an owner'
              }, each counted once on its Component`}
              value={String(value.summary.ownerlessKpis)}
            />
          </Grid>
          <Grid item xs={12} lg={3}>
            <InfoCard title="Most hats (named explicitly)">
              {value.summary.topHatWearers.length ? (
                <ol style={{ margin: 0, paddingLeft: 20 }}>
                  {value.summary.topHatWearers.map(h => (
                    <li key={h.holder}>
                      <EntityRefLink entityRef={h.holder}>
                        {h.displayName}
                      </EntityRefLink>
                      : {plural(h.hats, 'hat')} on{' '}
                      {plural(h.entities, 'entity', 'entities')}
                    </li>
                  ))}
                </ol>
              ) : (
                <Typography variant="body2">Nobody is named yet.</Typography>
              )}
            </InfoCard>
          </Grid>
        </Grid>
      )}
      <div className={classes.filters}>
        {selectFilter('kind', 'Kind', [
          ['', 'All kinds'],
          ...KINDS.map((k): [string, string] => [k, capitalize(k)]),
        ])}
        {textFilter('owner', 'Owner', ownerDraft, setOwnerDraft, 'Name or ref')}
        {textFilter(
          'system',
          'System',
          systemDraft,
          setSystemDraft,
          'e.g. payments',
        )}
        {textFilter(
          'within',
          'Within',
          withinDraft,
          setWithinDraft,
          'system:default/payments',
        )}
        {selectFilter('gap', 'Gap', [['', 'Any'], ...Object.entries(GAPS)])}
        {hasFilters && <Button onClick={clearFilters}>Clear filters</Button>}
      </div>
      {value && (
        <div
          className={`${classes.results} ${loading ? classes.busy : ''}`}
          aria-busy={loading}
        >
          <Table<OverviewItem>
            title={plural(value.total, 'entity', 'entities')}
            options={{
              paging: false,
              search: false,
              sorting: false,
              draggable: false,
              padding: 'dense',
              tableLayout: 'auto',
            }}
            data={items}
            columns={columns}
            emptyContent={emptyContent}
          />
          <TablePagination
            component="div"
            count={value.total}
            page={
              // past the end (an old link): the empty state says so
              Math.min(page, Math.max(0, Math.ceil(value.total / pageSize) - 1))
            }
            rowsPerPage={pageSize}
            rowsPerPageOptions={PAGE_SIZES}
            onPageChange={(_e, p) => update({ page: p })}
            onRowsPerPageChange={e =>
              update({ pageSize: Number(e.target.value), page: 0 })
            }
            SelectProps={{
              native: true,
              inputProps: { 'aria-label': 'Rows per page' },
            }}
          />
        </div>
      )}
      <Box mt={3}>
        <SourcesSection docsUrl={props.eventSourcesDocsUrl} />
      </Box>
    </PageFrame>
  );
}
