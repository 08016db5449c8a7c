import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, entityRouteRef } from '@backstage/plugin-catalog-react';
import { useRouteRef } from '@backstage/core-plugin-api';
import { OverviewItem } from '@internal/plugin-devops-personas-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { Link as RouterLink } from 'react-router-dom';
import Link from '@material-ui/core/Link';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { devopsPersonasApiRef, OverviewQuery } from '../../api';

const PAGE_SIZE = 25;

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

/**
 * The org-wide overview: persona coverage, gaps, ownerless KPIs and the
 * people wearing the most hats, with filters and paging.
 *
 * @public
 */
export function OverviewPage() {
  const api = useApi(devopsPersonasApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const [kind, setKind] = useState('');
  const [owner, setOwner] = useState('');
  const [system, setSystem] = useState('');
  const [sort, setSort] = useState<OverviewQuery['sort']>('warnings');
  const [page, setPage] = useState(0);

  const { value, loading, error } = useAsync(
    () =>
      api.getOverview({
        kind: kind || undefined,
        owner: owner || undefined,
        system: system || undefined,
        sort,
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
      }),
    [api, kind, owner, system, sort, page],
  );

  const tabLink = (ref: string) => {
    const { kind: k, namespace, name } = parseEntityRef(ref);
    return `${entityRoute({ kind: k, namespace, name })}/personas`;
  };

  const columns: TableColumn<OverviewItem>[] = [
    {
      title: 'Entity',
      field: 'title',
      render: row => (
        <Link component={RouterLink} to={tabLink(row.entityRef)}>
          {row.title}
        </Link>
      ),
    },
    { title: 'Kind', field: 'kind' },
    {
      title: 'Owner',
      render: row =>
        row.owner ? (
          <EntityRefLink entityRef={row.owner} defaultKind="group" />
        ) : (
          '—'
        ),
    },
    {
      title: 'System',
      render: row =>
        row.system ? (
          <EntityRefLink entityRef={row.system} defaultKind="system" />
        ) : (
          '—'
        ),
    },
    {
      title: 'Coverage',
      render: row =>
        `${Math.round(row.coverage.ratio * 100)} % (${
          row.coverage.explicit
        } set, ${row.coverage.inherited} inherited, ${
          row.coverage.missing
        } missing)`,
    },
    {
      title: 'Missing core personas',
      render: row => row.missingCorePersonas.join(', ') || '—',
    },
    {
      title: 'Ownerless KPIs',
      render: row => String(row.ownerlessKpis.length),
    },
    {
      title: 'Warnings',
      render: row =>
        Object.entries(row.warningCounts)
          .map(([code, n]) => `${code} ${n}`)
          .join(', ') || '—',
    },
    {
      title: 'DORA tiers',
      render: row =>
        Object.values(row.doraTiers).some(Boolean)
          ? Object.entries(row.doraTiers)
              .map(
                ([id, tier]) =>
                  `${id
                    .split('-')
                    .map(w => w[0])
                    .join('')
                    .toUpperCase()} ${tier ?? '—'}`,
              )
              .join(' · ')
          : 'no data',
    },
  ];

  const filter = (
    label: string,
    val: string,
    set: (v: string) => void,
    options?: string[],
  ) => (
    <TextField
      label={label}
      value={val}
      size="small"
      variant="outlined"
      select={!!options}
      onChange={e => {
        set(e.target.value);
        setPage(0);
      }}
      style={{ minWidth: 180, marginRight: 16 }}
      inputProps={{ 'aria-label': label }}
    >
      {options?.map(o => (
        <MenuItem key={o} value={o}>
          {o || 'all'}
        </MenuItem>
      ))}
    </TextField>
  );

  return (
    <Page themeId="tool">
      <Header
        title="DevOps Personas"
        subtitle="Who decides, who is accountable: the gaps across the catalog"
      />
      <Content>
        {error && <ResponseErrorPanel error={error} />}
        {loading && !value && <Progress />}
        {value && (
          <Grid container spacing={2}>
            <Grid item xs={12} md={3}>
              <Figure
                label="of persona slots filled (set or inherited)"
                value={`${Math.round(value.summary.coverage * 100)} %`}
              />
            </Grid>
            <Grid item xs={12} md={3}>
              <Figure
                label={`of ${value.summary.entities} entities have unassigned core personas`}
                value={String(value.summary.entitiesWithGaps)}
              />
            </Grid>
            <Grid item xs={12} md={3}>
              <Figure
                label="ownerless KPIs"
                value={String(value.summary.ownerlessKpis)}
              />
            </Grid>
            <Grid item xs={12} md={3}>
              <InfoCard title="Most hats (named explicitly)">
                {value.summary.topHatWearers.length ? (
                  <ol style={{ margin: 0, paddingLeft: 20 }}>
                    {value.summary.topHatWearers.map(h => (
                      <li key={h.holder}>
                        <EntityRefLink entityRef={h.holder}>
                          {h.displayName}
                        </EntityRefLink>
                        : {h.hats} hats on {h.entities} entities
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
        <Box mt={3} mb={2} display="flex" flexWrap="wrap">
          {filter('Kind', kind, setKind, [
            '',
            'component',
            'system',
            'domain',
            'api',
            'resource',
            'group',
          ])}
          {filter('Owner', owner, setOwner)}
          {filter('System', system, setSystem)}
          {filter(
            'Sort by',
            sort ?? 'warnings',
            v => setSort(v as OverviewQuery['sort']),
            ['warnings', 'coverage', 'entity', 'kind'],
          )}
        </Box>
        {value && (
          <Table<OverviewItem>
            title={`${value.total} entities`}
            options={{
              paging: true,
              pageSize: PAGE_SIZE,
              search: false,
              sorting: false,
              padding: 'dense',
            }}
            data={value.items}
            page={page}
            totalCount={value.total}
            onPageChange={setPage}
            columns={columns}
            isLoading={loading}
            emptyContent={
              <Box p={2}>
                <Typography>No entities match these filters.</Typography>
              </Box>
            }
          />
        )}
      </Content>
    </Page>
  );
}
