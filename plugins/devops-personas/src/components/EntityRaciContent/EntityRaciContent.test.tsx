import { screen, within } from '@testing-library/react';
import { EntityRaciResponse } from '@internal/plugin-devops-personas-common';
import { EntityRaciContent } from './EntityRaciContent';
import { never, renderWith } from '../../__testUtils__/render';

const raci: EntityRaciResponse = {
  entityRef: 'component:default/checkout',
  holderNames: {
    'user:default/alice': 'Alice Chen',
    'user:default/bob': 'Bob Martin',
  },
  personaTitles: {
    'product-owner': 'Product Owner',
    'tech-lead': 'Tech Lead',
    'service-owner': 'Service Owner',
    stakeholders: 'Stakeholders',
  },
  scenarios: [
    {
      id: 'go-live-approval',
      title: 'Go-live approval (risk)',
      assignments: [
        {
          role: 'R',
          persona: 'tech-lead',
          holders: ['user:default/bob'],
          provenance: 'explicit',
        },
        {
          role: 'A',
          persona: 'product-owner',
          holders: ['user:default/alice'],
          provenance: 'explicit',
          qualifier: 'business',
        },
        {
          role: 'A',
          persona: 'service-owner',
          holders: [],
          provenance: 'unassigned',
          qualifier: 'operational',
        },
      ],
    },
    {
      id: 'slos-and-alerts',
      title: 'SLOs and alerts',
      assignments: [
        {
          role: 'R',
          persona: 'tech-lead',
          holders: ['user:default/bob'],
          provenance: 'explicit',
        },
        {
          role: 'A',
          persona: 'tech-lead',
          holders: ['user:default/bob'],
          provenance: 'explicit',
        },
      ],
    },
  ],
  warnings: [
    {
      code: 'raci-accountability',
      message:
        '"Go-live approval (risk)" has no accountable holder (operational): the Service Owner is unassigned.',
      persona: 'service-owner',
    },
  ],
};

describe('EntityRaciContent', () => {
  it('shows scenarios × personas with marks, people and gaps', async () => {
    await renderWith(<EntityRaciContent />, {
      getRaci: jest.fn().mockResolvedValue(raci),
    });
    const table = screen.getByRole('table', { name: 'RACI matrix' });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    expect(headers).toEqual([
      'Scenario',
      'Product Owner',
      'Tech Lead',
      'Service Owner',
    ]);

    const goLive = within(table).getByRole('row', { name: /Go-live approval/ });
    expect(within(goLive).getByText('business')).toBeInTheDocument();
    expect(
      within(goLive).getByRole('link', { name: 'Alice Chen' }),
    ).toHaveAttribute('href', '/catalog/default/user/alice');
    // the operational accountable is missing: a highlighted gap that says so
    expect(
      within(goLive).getByLabelText(
        'Service Owner: Accountable (operational), accountability gap',
      ),
    ).toHaveTextContent('nobody');

    const slos = within(table).getByRole('row', { name: /SLOs and alerts/ });
    expect(
      within(slos).getByLabelText('Tech Lead: Responsible, Accountable'),
    ).toHaveTextContent('RA');
    expect(
      screen.getByText(/has no accountable holder \(operational\)/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Accountable: decides and answers for it/),
    ).toBeInTheDocument();
  });

  it('shows loading and errors', async () => {
    const { unmount } = await renderWith(<EntityRaciContent />, {
      getRaci: () => never(),
    });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    unmount();
    await renderWith(<EntityRaciContent />, {
      getRaci: jest.fn().mockRejectedValue(new Error('backend down')),
    });
    expect(screen.getAllByText(/backend down/).length).toBeGreaterThan(0);
  });
});
