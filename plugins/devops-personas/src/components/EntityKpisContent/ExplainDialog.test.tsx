import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  KpiEventsResponse,
  KpiExplainedEvent,
  KpiResult,
} from '@devops-personas/plugin-devops-personas-common';
import { DevopsPersonasApi } from '../../api';
import { never, renderWith } from '../../__testUtils__/render';
import { ExplainDialog, roleInWords, safeUrl } from './ExplainDialog';

const WINDOW = {
  start: '2026-11-01T00:00:00.000Z',
  end: '2026-12-01T00:00:00.000Z',
};
const checkoutRef = {
  kind: 'component',
  namespace: 'default',
  name: 'checkout',
};

function kpi(id: string, title: string, unit: string, value: number | null) {
  return {
    id,
    title,
    unit,
    value,
    direction: 'lower',
    kind: 'built-in',
    group: 'dora',
    dora: true,
    tier: null,
    tierPeriod: null,
    tierNote: null,
    sampleSize: 3,
    baseline: null,
    baselineWindow: null,
    change: null,
    changeRatio: null,
    assessment: null,
    target: null,
    targetSource: null,
    met: null,
    trend: [],
    owner: { holders: [], provenance: 'unassigned' },
    response: '',
  } as KpiResult;
}

const leadTime = kpi(
  'lead-time-for-changes',
  'Lead time for changes',
  'seconds',
  7200,
);

function event(
  type: string,
  id: string,
  fields: Record<string, unknown> = {},
): KpiExplainedEvent['event'] {
  return {
    type,
    id,
    source: 'github',
    entityRef: 'component:default/checkout',
    ...fields,
  };
}

function answer(extra: Partial<KpiEventsResponse> = {}): KpiEventsResponse {
  return {
    entityRef: 'component:default/checkout',
    kpi: 'lead-time-for-changes',
    window: WINDOW,
    value: 7200,
    sampleSize: 3,
    formula:
      'median of (first deployment finishedAt − change createdAt) over changes whose first production deployment finished in the window',
    figureUnit: 'seconds',
    events: [
      // the backend's order (most contributing first), not by date or id
      {
        role: 'change',
        figure: 3 * 86400,
        note: 'first deployed by deploy-9',
        event: event('change', 'checkout#40', {
          createdAt: '2026-11-20T08:00:00.000Z',
          url: 'https://github.com/acme/checkout/pull/40',
        }),
      },
      {
        role: 'change',
        figure: 7200,
        event: event('change', 'checkout#12', {
          createdAt: '2026-11-02T10:30:00.000Z',
          // eslint-disable-next-line no-script-url
          url: 'javascript:alert(document.cookie)',
        }),
      },
      {
        role: 'first-deployment',
        figure: null,
        event: event('deployment', 'deploy-9', {
          finishedAt: '2026-11-23T08:00:00.000Z',
          url: 'ftp://example.com/deploy-9',
        }),
      },
    ],
    ...extra,
  };
}

async function render(
  api: Partial<DevopsPersonasApi>,
  props: { kpi?: KpiResult; onClose?: () => void } = {},
) {
  const onClose = props.onClose ?? jest.fn();
  await renderWith(
    <ExplainDialog
      entityRef={checkoutRef}
      kpi={props.kpi ?? leadTime}
      window={WINDOW}
      query={{ window: '30d', until: WINDOW.end }}
      onClose={onClose}
    />,
    api,
  );
  return { onClose, dialog: await screen.findByRole('dialog') };
}

const rowsOf = (table: HTMLElement) =>
  within(table).getAllByRole('row').slice(1); // without the header

describe('ExplainDialog', () => {
  it('asks for the events of the KPI over the window on screen', async () => {
    const getKpiEvents = jest.fn().mockResolvedValue(answer());
    await render({ getKpiEvents });
    expect(getKpiEvents).toHaveBeenCalledWith(
      checkoutRef,
      'lead-time-for-changes',
      { window: '30d', until: WINDOW.end },
    );
  });

  it('titles itself with the KPI, its value and the window dates, and focuses inside', async () => {
    const { dialog } = await render({
      getKpiEvents: jest.fn().mockResolvedValue(answer()),
    });
    const title = within(dialog).getByRole('heading', { level: 2 });
    expect(title).toHaveTextContent(
      'Lead time for changes: 2 h, 1 Nov – 30 Nov 2026',
    );
    expect(dialog).toHaveAccessibleName(
      'Lead time for changes: 2 h, 1 Nov – 30 Nov 2026',
    );
    await waitFor(() => expect(title).toHaveFocus());
    expect(dialog).toContainElement(document.activeElement as HTMLElement);
  });

  it('says the formula in words with value and sample size', async () => {
    const { dialog } = await render({
      getKpiEvents: jest.fn().mockResolvedValue(answer()),
    });
    const description = await within(dialog).findByText(/How it is computed/);
    expect(description.closest('p')).toHaveTextContent(
      'How it is computed: median of (first deployment finishedAt − change createdAt) over changes whose first production deployment finished in the window. Value 2 h from 3 data points between 1 Nov – 30 Nov 2026 (UTC).',
    );
  });

  it('says "1 data point" for a single one', async () => {
    const { dialog } = await render({
      getKpiEvents: jest
        .fn()
        .mockResolvedValue(answer({ sampleSize: 1, events: [] })),
    });
    expect(
      await within(dialog).findByText(/from 1 data point between/),
    ).toBeInTheDocument();
    expect(dialog).not.toHaveTextContent('1 data points');
  });

  it('lists one row per item in the given order, with role in words, own figure, note and date', async () => {
    const { dialog } = await render({
      getKpiEvents: jest.fn().mockResolvedValue(answer()),
    });
    const table = await within(dialog).findByRole('table', {
      name: 'Events behind the value',
    });
    const header = within(table).getAllByRole('columnheader');
    expect(header.map(h => h.textContent)).toEqual([
      'Item',
      'Counted as',
      'Its figure',
      'Why',
      'When',
    ]);
    const rows = rowsOf(table);
    expect(rows).toHaveLength(3);
    const cells = (row: HTMLElement) =>
      within(row)
        .getAllByRole('cell')
        .map(c => c.textContent);
    expect(cells(rows[0])).toEqual([
      'change checkout#40from github',
      'change',
      '3 d',
      'first deployed by deploy-9',
      'created 20 Nov 2026, 08:00 UTC',
    ]);
    expect(cells(rows[1])).toEqual([
      'change checkout#12from github',
      'change',
      '2 h',
      '',
      'created 2 Nov 2026, 10:30 UTC',
    ]);
    expect(cells(rows[2])).toEqual([
      'deployment deploy-9from github',
      'first deployment',
      '—',
      '',
      'finished 23 Nov 2026, 08:00 UTC',
    ]);
  });

  it('says in the row how each incident was linked to its deployment: named, or inferred', async () => {
    const recovery = kpi(
      'failed-deployment-recovery-time',
      'Failed deployment recovery time',
      'seconds',
      3600,
    );
    const { dialog } = await render(
      {
        getKpiEvents: jest.fn().mockResolvedValue(
          answer({
            kpi: 'failed-deployment-recovery-time',
            value: 3600,
            sampleSize: 2,
            formula:
              'median of (resolvedAt − startedAt) over incidents resolved in the window that name a deployment of the entity',
            events: [
              {
                role: 'failed-deployment-incident',
                figure: 5400,
                note: 'caused by deployment deploy-7',
                linkedBy: 'last-deployment',
                event: event('incident', 'PD-1', {
                  startedAt: '2026-11-10T10:00:00.000Z',
                  resolvedAt: '2026-11-10T11:30:00.000Z',
                }),
              },
              {
                role: 'failed-deployment-incident',
                figure: 1800,
                linkedBy: 'explicit',
                event: event('incident', 'INC-2', {
                  startedAt: '2026-11-12T09:00:00.000Z',
                  resolvedAt: '2026-11-12T09:30:00.000Z',
                }),
              },
              {
                role: 'incident',
                figure: 600,
                event: event('incident', 'INC-3', {
                  startedAt: '2026-11-14T09:00:00.000Z',
                  resolvedAt: '2026-11-14T09:10:00.000Z',
                }),
              },
            ],
          }),
        ),
      },
      { kpi: recovery },
    );
    const table = await within(dialog).findByRole('table', {
      name: 'Events behind the value',
    });
    const whyOf = (row: HTMLElement) => within(row).getAllByRole('cell')[3];
    const [inferred, named, unlinked] = rowsOf(table);
    expect(whyOf(inferred)).toHaveTextContent(
      'caused by deployment deploy-7inferred: last production deployment before the incident',
    );
    expect(
      within(whyOf(inferred)).getByText(
        'inferred: last production deployment before the incident',
      ),
    ).toHaveAttribute(
      'title',
      expect.stringContaining('The incident named no deployment'),
    );
    expect(within(inferred).getAllByRole('cell')[1]).toHaveTextContent(
      'incident from a failed deployment',
    );
    expect(whyOf(named).textContent).toBe('linked by the incident');
    expect(whyOf(unlinked).textContent).toBe('');
    expect(dialog).not.toHaveTextContent(/last-deployment|explicit/);
  });

  it('links an item only to an http(s) url, in a new tab', async () => {
    const { dialog } = await render({
      getKpiEvents: jest.fn().mockResolvedValue(answer()),
    });
    const table = await within(dialog).findByRole('table', {
      name: 'Events behind the value',
    });
    const links = within(table).getAllByRole('link');
    expect(links).toHaveLength(1);
    expect(links[0]).toHaveTextContent('change checkout#40');
    expect(links[0]).toHaveAttribute(
      'href',
      'https://github.com/acme/checkout/pull/40',
    );
    expect(links[0]).toHaveAttribute('target', '_blank');
    expect(links[0].getAttribute('rel')).toMatch(/\bnoopener\b/);
    // the javascript: and ftp: urls render no link at all
    const [, second, third] = rowsOf(table);
    expect(within(second).queryByRole('link')).not.toBeInTheDocument();
    expect(within(third).queryByRole('link')).not.toBeInTheDocument();
    expect(dialog.querySelector('a[href^="javascript"]')).toBeNull();
  });

  it('accepts only http and https urls', () => {
    expect(safeUrl('https://example.com/a')).toBe('https://example.com/a');
    expect(safeUrl('HTTP://example.com/a')).toBe('HTTP://example.com/a');
    // eslint-disable-next-line no-script-url
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl(' javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('data:text/html,<script>')).toBeUndefined();
    expect(safeUrl('//example.com')).toBeUndefined();
    expect(safeUrl(42)).toBeUndefined();
  });

  it('says each role in words', () => {
    expect(roleInWords('failed-deployment')).toBe('failed deployment');
    expect(roleInWords('first-deployment')).toBe('first deployment');
    expect(roleInWords('failure-run')).toBe('failed run');
    expect(roleInWords('rolled-back-deployment')).toBe(
      'rolled-back deployment',
    );
    expect(roleInWords('failed-deployment-incident')).toBe(
      'incident from a failed deployment',
    );
    expect(roleInWords('change')).toBe('change');
  });

  it('names the entity of an event of a rollup', async () => {
    const { dialog } = await render({
      getKpiEvents: jest.fn().mockResolvedValue(
        answer({
          entityRef: 'system:default/payments',
          events: [
            {
              role: 'incident',
              figure: 5400,
              event: event('incident', 'inc-42', {
                entityRef: 'component:default/ledger',
                startedAt: '2026-11-10T10:00:00.000Z',
                resolvedAt: '2026-11-10T11:30:00.000Z',
              }),
            },
          ],
        }),
      ),
    });
    const [row] = rowsOf(
      await within(dialog).findByRole('table', {
        name: 'Events behind the value',
      }),
    );
    expect(row).toHaveTextContent('incident inc-42from github, on ledger');
    expect(row).toHaveTextContent('90 min');
    expect(row).toHaveTextContent('resolved 10 Nov 2026, 11:30 UTC');
  });

  it('shows the first 100 rows of a long list and all on request', async () => {
    const events = Array.from({ length: 130 }, (_, i) => ({
      role: 'deployment',
      figure: null,
      event: event('deployment', `deploy-${i}`, {
        finishedAt: '2026-11-10T10:00:00.000Z',
      }),
    }));
    const { dialog } = await render({
      getKpiEvents: jest.fn().mockResolvedValue(answer({ events })),
    });
    const table = await within(dialog).findByRole('table', {
      name: 'Events behind the value',
    });
    expect(rowsOf(table)).toHaveLength(100);
    expect(rowsOf(table)[99]).toHaveTextContent('deploy-99');
    expect(dialog).toHaveTextContent('The first 100 of 130 events');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Show all 130' }),
    );
    expect(rowsOf(table)).toHaveLength(130);
    expect(rowsOf(table)[129]).toHaveTextContent('deploy-129');
    // no figure and no note in any row: no empty columns
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual(['Item', 'Counted as', 'When']);
  });

  it('says what to do when there are no events', async () => {
    const { dialog } = await render({
      getKpiEvents: jest
        .fn()
        .mockResolvedValue(answer({ events: [], sampleSize: 0, value: null })),
    });
    expect(
      await within(dialog).findByText(
        /^No events in this window\. Widen the window, or check that events arrive/,
      ),
    ).toBeInTheDocument();
    expect(within(dialog).queryByRole('table')).not.toBeInTheDocument();
  });

  it('lists the SLOs behind slo-compliance, by entity, with met in words', async () => {
    const sloCompliance = kpi(
      'slo-compliance',
      'SLO compliance',
      'fraction',
      0.5,
    );
    const { dialog } = await render(
      {
        getKpiEvents: jest.fn().mockResolvedValue(
          answer({
            kpi: 'slo-compliance',
            value: 0.5,
            sampleSize: 3,
            formula:
              'SLOs meeting their objective over their own time window ÷ SLOs',
            figureUnit: null,
            events: [],
            slos: [
              {
                entityRef: 'component:default/checkout',
                name: 'checkout-availability',
                displayName: 'Checkout availability',
                objective: '99.5 % of requests succeed',
                target: 0.995,
                attainment: 0.99624,
                met: true,
                dataSource: 'events',
              },
              {
                entityRef: 'component:default/checkout',
                name: 'checkout-latency',
                objective: 'p95 under 300 ms',
                target: 0.99,
                attainment: 0.9712,
                met: false,
                dataSource: 'prometheus',
              },
              {
                entityRef: 'component:default/ledger',
                name: 'ledger-availability',
                objective: 'ledger answers',
                target: 0.999,
                attainment: null,
                met: null,
                dataSource: 'events',
              },
            ],
          }),
        ),
      },
      { kpi: sloCompliance },
    );
    const table = await within(dialog).findByRole('table', {
      name: 'SLOs behind the value',
    });
    const rows = rowsOf(table);
    // a group row per entity, then its SLOs
    expect(rows.map(r => r.textContent)).toEqual([
      'checkout',
      'Checkout availability99.5 % of requests succeed99.5 %99.62 %met',
      'checkout-latencyfrom Prometheusp95 under 300 ms99 %97.12 %missed',
      'ledger',
      'ledger-availabilityledger answers99.9 %no datano data',
    ]);
    expect(
      within(rows[0]).getByRole('link', { name: 'checkout' }),
    ).toBeInTheDocument();
    expect(getComputedStyle(within(rows[1]).getByText('met')).color).toBe(
      'rgb(27, 94, 32)',
    );
    expect(getComputedStyle(within(rows[2]).getByText('missed')).color).toBe(
      'rgb(183, 28, 28)',
    );
    expect(dialog).toHaveTextContent('Value 50 % from 3 data points');
  });

  it('labels no entity when every SLO is of one entity', async () => {
    const sloCompliance = kpi(
      'slo-compliance',
      'SLO compliance',
      'fraction',
      1,
    );
    const { dialog } = await render(
      {
        getKpiEvents: jest.fn().mockResolvedValue(
          answer({
            events: [],
            slos: [
              {
                entityRef: 'component:default/checkout',
                name: 'checkout-availability',
                objective: 'requests succeed',
                target: 0.995,
                attainment: 0.999,
                met: true,
                dataSource: 'events',
              },
            ],
          }),
        ),
      },
      { kpi: sloCompliance },
    );
    const table = await within(dialog).findByRole('table', {
      name: 'SLOs behind the value',
    });
    expect(rowsOf(table)).toHaveLength(1);
    expect(within(table).queryByRole('link')).not.toBeInTheDocument();
  });

  it('closes with the Close button', async () => {
    const { dialog, onClose } = await render({
      getKpiEvents: jest.fn().mockResolvedValue(answer()),
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('shows loading, then an error with a retry that asks again', async () => {
    const getKpiEvents = jest
      .fn()
      .mockRejectedValueOnce(new Error('the database is busy'))
      .mockResolvedValueOnce(answer());
    const { dialog } = await render({ getKpiEvents });
    expect(
      await within(dialog).findByText(
        /Could not load the events behind this value/,
      ),
    ).toBeInTheDocument();
    expect(dialog).toHaveTextContent('the database is busy');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Try again' }),
    );
    expect(getKpiEvents).toHaveBeenCalledTimes(2);
    expect(
      await within(dialog).findByRole('table', {
        name: 'Events behind the value',
      }),
    ).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    const { dialog } = await render({ getKpiEvents: () => never() });
    expect(within(dialog).getByTestId('progress')).toBeInTheDocument();
  });
});
