import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityHatsCard } from './EntityHatsCard';
import { never, renderWith } from '../../__testUtils__/render';

const carol: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'carol', namespace: 'default' },
  spec: {},
};

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
