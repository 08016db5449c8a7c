import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import {
  SourcesResponse,
  SourceStatus,
} from '@devops-personas/plugin-devops-personas-common';
import { never, renderWith } from '../../__testUtils__/render';
import { SourcesSection } from './SourcesSection';

const github: SourceStatus = {
  id: 'github',
  title: 'GitHub',
  topics: ['github'],
  annotation: 'github.com/project-slug',
  counts: {
    received: 41,
    stored: 30,
    dropped: {
      ignored: 9,
      'unmapped-entity': 1,
      'unreadable-payload': 2,
      'store-failed': 1,
    },
    ignoredReasons: {
      'event:push': 5,
      'deployment_status:pending': 2,
      'event:ping': 1,
      'workflow_run:none': 1,
    },
  },
  lastError: {
    at: '2026-11-03T14:05:09.000Z',
    reason: 'unreadable-payload',
    message: 'deployment_status without deployment.id',
  },
  ambiguities: [
    {
      annotation: 'github.com/project-slug',
      value: 'acme/shop',
      entityRefs: ['component:default/shop', 'component:default/shop-legacy'],
      chosen: 'component:default/shop',
    },
  ],
};

const pagerduty: SourceStatus = {
  id: 'pagerduty',
  title: 'PagerDuty',
  topics: ['pagerduty'],
  annotation: 'pagerduty.com/service-id',
  counts: { received: 1, stored: 1, dropped: {}, ignoredReasons: {} },
  lastError: null,
  ambiguities: [],
};

const alertmanager: SourceStatus = {
  id: 'alertmanager',
  title: 'Alertmanager',
  topics: ['alertmanager', 'alertmanager-staging'],
  annotation: null,
  counts: {
    received: 0,
    stored: 0,
    dropped: {},
    ignoredReasons: {},
  },
  lastError: null,
  ambiguities: [],
};

const answer = (sources: SourceStatus[]): SourcesResponse => ({
  sources,
  attribution: { rule: 'last-deployment', maxGapSeconds: 86400 },
});

async function render(getSources: () => Promise<SourcesResponse>) {
  return renderWith(<SourcesSection />, { getSources }, undefined);
}

const sourceCard = (title: string) =>
  screen.getByRole('region', { name: title });

describe('SourcesSection', () => {
  it('shows per source its webhook, annotation and counts with the drop reasons in words', async () => {
    const getSources = jest
      .fn()
      .mockResolvedValue(answer([github, pagerduty, alertmanager]));
    await render(getSources);
    expect(getSources).toHaveBeenCalledTimes(1);

    const card = sourceCard('GitHub');
    expect(
      within(card).getByRole('heading', { name: 'GitHub' }),
    ).toBeInTheDocument();
    expect(card).toHaveTextContent('Webhook: POST /api/events/http/github');
    expect(card).toHaveTextContent(
      'Maps entities by the annotation github.com/project-slug',
    );
    expect(card).toHaveTextContent(
      '41 payloads received · 30 events stored · 13 dropped',
    );
    const reasons = within(
      within(card).getByRole('list', { name: 'Dropped by GitHub' }),
    )
      .getAllByRole('listitem')
      .map(item => item.textContent);
    expect(reasons).toEqual([
      '9 ignored: of a kind it does not count (event:push 5, deployment_status:pending 2, event:ping 1, 1 more reason)',
      '1 unmapped: no entity carries the annotation github.com/project-slug with the value named',
      '2 unreadable: the source could not read them',
      '1 not stored: the database refused it; redeliver it from the tool, or replay it',
    ]);
  });

  it('says counts of one in the singular and a source that received nothing yet', async () => {
    await render(
      jest.fn().mockResolvedValue(answer([pagerduty, alertmanager])),
    );
    expect(sourceCard('PagerDuty')).toHaveTextContent(
      '1 payload received · 1 event stored · 0 dropped',
    );
    expect(
      within(sourceCard('PagerDuty')).queryByRole('list', {
        name: 'Dropped by PagerDuty',
      }),
    ).toBeNull();
    const am = sourceCard('Alertmanager');
    expect(am).toHaveTextContent(
      'Webhooks: POST /api/events/http/alertmanager, POST /api/events/http/alertmanager-staging',
    );
    expect(am).toHaveTextContent(
      'Maps entities by what the payload names (no annotation)',
    );
    expect(am).toHaveTextContent(
      'Nothing received yet: point the tool’s webhook at the address above.',
    );
    expect(am).not.toHaveTextContent(/Last error/);
  });

  it('shows the last error with its time, reason and message', async () => {
    await render(jest.fn().mockResolvedValue(answer([github])));
    expect(sourceCard('GitHub')).toHaveTextContent(
      'Last error, 3 Nov 2026, 14:05 UTC (unreadable): deployment_status without deployment.id',
    );
  });

  it('says which entity gets the events of an annotation value several entities carry', async () => {
    await render(jest.fn().mockResolvedValue(answer([github])));
    const card = sourceCard('GitHub');
    expect(card).toHaveTextContent(
      '2 entities carry github.com/project-slug = acme/shop; events go to component:default/shop (not to component:default/shop-legacy)',
    );
    expect(
      within(card).getByRole('link', { name: 'component:default/shop' }),
    ).toHaveAttribute('href', '/catalog/default/component/shop');
  });

  it('says how incidents are linked to deployments', async () => {
    await render(jest.fn().mockResolvedValue(answer([pagerduty])));
    expect(
      screen.getByText(
        /linked to the entity’s last production deployment that finished at most 24 h before it started/,
      ),
    ).toBeInTheDocument();
  });

  it('says what to do when no source is installed', async () => {
    await render(jest.fn().mockResolvedValue(answer([])));
    const section = screen.getByRole('region', { name: 'Event sources' });
    expect(section).toHaveTextContent(
      'No event source is installed: KPIs come only from events posted to POST /api/devops-personas/v1/events',
    );
    expect(section).toHaveTextContent(
      'add a source module package to the backend',
    );
    expect(section).toHaveTextContent(
      "backend.add(import('@devops-personas/plugin-devops-personas-backend-module-github'));",
    );
    expect(section).toHaveTextContent(
      'The topic, secret and annotation of each tool are in the section “Event sources” of the DevOps Personas README.',
    );
  });

  it('links to the README section when the app says where it is', async () => {
    await renderWith(
      <SourcesSection docsUrl="https://git.example/backstage/README.md#event-sources" />,
      { getSources: jest.fn().mockResolvedValue(answer([])) },
      undefined,
    );
    expect(
      screen.getByRole('link', {
        name: '“Event sources” of the DevOps Personas README',
      }),
    ).toHaveAttribute(
      'href',
      'https://git.example/backstage/README.md#event-sources',
    );
  });

  it('shows loading, then an error with a retry that asks again', async () => {
    const { unmount } = await render(() => never());
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    unmount();

    const error = await ResponseError.fromResponse({
      ok: false,
      status: 503,
      statusText: 'Service Unavailable',
      headers: new Headers({ 'content-type': 'application/json' }),
      text: async () =>
        JSON.stringify({
          error: { name: 'ServiceUnavailableError', message: 'database busy' },
          response: { statusCode: 503 },
        }),
    } as unknown as Response);
    const getSources = jest
      .fn()
      .mockRejectedValueOnce(error)
      .mockResolvedValue(answer([pagerduty]));
    await render(getSources);
    expect(
      screen.getByText(/Could not load the event sources/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/The server answered 503: database busy/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByRole('region', { name: 'PagerDuty' }),
    ).toBeInTheDocument();
    expect(getSources).toHaveBeenCalledTimes(2);
    expect(screen.queryByText(/Could not load the event sources/)).toBeNull();
  });
});
