import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { HolderHat } from '@devops-personas/plugin-devops-personas-common';
import { EntityHatsCard } from './EntityHatsCard';
import { never, renderWith } from '../../__testUtils__/render';

const carol: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'carol', namespace: 'default' },
  spec: {},
};

const sre: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'sre-team', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const hat = (entity: string, persona: string): HolderHat => ({
  entityRef: `component:default/${entity}`,
  entityTitle: entity,
  persona,
  personaTitle: persona,
  provenance: 'explicit',
  assignment: 'explicit',
});

const holder = (hats: HolderHat[], groups: string[] = []) => ({
  holder: 'user:default/carol',
  displayName: 'Carol Diaz',
  groups,
  hats,
  kpis: [],
  warnings: [],
});

describe('EntityHatsCard', () => {
  it('lists the hats of a user, including those of their groups', async () => {
    const getHolder = jest.fn().mockResolvedValue({
      holder: 'user:default/carol',
      displayName: 'Carol Diaz',
      groups: ['group:default/sre-team'],
      hats: [
        {
          entityRef: 'component:default/checkout',
          entityTitle: 'Checkout',
          persona: 'service-owner',
          personaTitle: 'Service Owner',
          provenance: 'inherited:system:default/payments',
          assignment: 'inherited:system:default/payments',
        },
        {
          entityRef: 'component:default/payment-gateway',
          entityTitle: 'Payment Gateway',
          persona: 'service-owner',
          personaTitle: 'Service Owner',
          provenance: 'via-group:group:default/sre-team',
          assignment: 'explicit',
        },
      ],
      kpis: [],
      warnings: [
        {
          code: 'hero-mode',
          message:
            'Carol Diaz is named on 12 entities (more than 10): hero mode.',
          holder: 'user:default/carol',
        },
      ],
    });
    await renderWith(<EntityHatsCard />, { getHolder }, carol);
    expect(getHolder).toHaveBeenCalledWith({
      kind: 'User',
      namespace: 'default',
      name: 'carol',
    });
    expect(screen.getByRole('link', { name: 'Checkout' })).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout',
    );
    expect(
      screen.getByRole('link', { name: 'Payment Gateway' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/Through/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /sre-team/ })).toHaveAttribute(
      'href',
      '/catalog/default/group/sre-team',
    );
    expect(screen.getByText(/named on 12 entities/)).toBeInTheDocument();
  });

  it('counts hats and entities in the right number', async () => {
    const { unmount } = await renderWith(
      <EntityHatsCard />,
      {
        getHolder: jest
          .fn()
          .mockResolvedValue(
            holder([
              hat('checkout', 'Tech Lead'),
              hat('checkout', 'Service Owner'),
              hat('checkout', 'Product Owner'),
              hat('checkout', 'Security Owner'),
              hat('checkout', 'Release Manager'),
            ]),
          ),
      },
      carol,
    );
    expect(screen.getByText('5 hats on 1 entity')).toBeInTheDocument();
    unmount();
    await renderWith(
      <EntityHatsCard />,
      {
        getHolder: jest
          .fn()
          .mockResolvedValue(
            holder([hat('checkout', 'Tech Lead'), hat('gateway', 'Tech Lead')]),
          ),
      },
      carol,
    );
    expect(screen.getByText('2 hats on 2 entities')).toBeInTheDocument();
  });

  it('says "1 hat" in the singular and counts the hats that come through groups', async () => {
    await renderWith(
      <EntityHatsCard />,
      {
        getHolder: jest.fn().mockResolvedValue(
          holder(
            [
              {
                ...hat('checkout', 'Service Owner'),
                provenance: 'via-group:group:default/sre-team',
              },
            ],
            ['group:default/sre-team'],
          ),
        ),
      },
      carol,
    );
    expect(
      screen.getByText('1 hat on 1 entity (1 hat through a group)'),
    ).toBeInTheDocument();
  });

  it("links a Group's KPIs rolled up over the entities it owns and over those where it holds a persona", async () => {
    const getHolder = jest.fn().mockResolvedValue({
      ...holder([hat('checkout', 'Service Owner')]),
      holder: 'group:default/sre-team',
    });
    await renderWith(<EntityHatsCard />, { getHolder }, sre);
    expect(getHolder).toHaveBeenCalledWith({
      kind: 'Group',
      namespace: 'default',
      name: 'sre-team',
    });
    expect(
      screen.getByRole('link', { name: 'entities it owns' }),
    ).toHaveAttribute('href', '/catalog/default/group/sre-team/kpis');
    expect(
      screen.getByRole('link', {
        name: 'entities where this group holds a persona',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/group/sre-team/kpis?rollup=personas',
    );
    expect(document.body).toHaveTextContent(
      'KPIs rolled up over entities it owns · entities where this group holds a persona',
    );
  });

  it('has no rollup links on a User', async () => {
    await renderWith(
      <EntityHatsCard />,
      { getHolder: jest.fn().mockResolvedValue(holder([])) },
      carol,
    );
    expect(
      screen.queryByRole('link', {
        name: 'entities where this group holds a persona',
      }),
    ).not.toBeInTheDocument();
  });

  it('shows an error with the backend message and asks again on retry', async () => {
    const getHolder = jest
      .fn()
      .mockRejectedValueOnce(new Error('No user user:default/carol'))
      .mockResolvedValueOnce(holder([hat('checkout', 'Tech Lead')]));
    await renderWith(<EntityHatsCard />, { getHolder }, carol);
    expect(
      screen.getByText(/Could not load the hats of this user/),
    ).toBeInTheDocument();
    expect(document.body).toHaveTextContent('No user user:default/carol');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(getHolder).toHaveBeenCalledTimes(2);
    const hats = await screen.findByRole('list', { name: 'Hats' });
    expect(
      within(hats).getByRole('link', { name: 'checkout' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/Could not load the hats/),
    ).not.toBeInTheDocument();
  });

  it('explains an empty list, and shows loading and errors', async () => {
    const empty = {
      holder: 'user:default/carol',
      displayName: 'Carol',
      groups: [],
      hats: [],
      kpis: [],
      warnings: [],
    };
    const first = await renderWith(
      <EntityHatsCard />,
      { getHolder: jest.fn().mockResolvedValue(empty) },
      carol,
    );
    expect(screen.getByText(/No hats yet/)).toBeInTheDocument();
    first.unmount();
    const second = await renderWith(
      <EntityHatsCard />,
      { getHolder: () => never() },
      carol,
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    second.unmount();
    await renderWith(
      <EntityHatsCard />,
      {
        getHolder: jest
          .fn()
          .mockRejectedValue(new Error('No user user:default/carol')),
      },
      carol,
    );
    expect(
      screen.getAllByText(/No user user:default\/carol/).length,
    ).toBeGreaterThan(0);
  });
});
