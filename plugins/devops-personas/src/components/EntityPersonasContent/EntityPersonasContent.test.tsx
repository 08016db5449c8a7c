import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  BUILT_IN_PERSONAS,
  EntityPersonasResponse,
} from '@internal/plugin-devops-personas-common';
import { EntityPersonasContent } from './EntityPersonasContent';
import { never, renderWith } from '../../__testUtils__/render';

function answer(overrides: Partial<Record<string, Partial<EntityPersonasResponse['personas'][0]>>> = {}, warnings: EntityPersonasResponse['warnings'] = []): EntityPersonasResponse {
  return {
    entityRef: 'component:default/checkout',
    inheritanceChain: ['component:default/checkout', 'system:default/payments'],
    personas: BUILT_IN_PERSONAS.map(p => ({
      id: p.id,
      title: p.title,
      annotation: p.annotation,
      core: p.core,
      canvas: p.canvas,
      holders: [],
      provenance: 'unassigned',
      ...overrides[p.id],
    })),
    warnings,
  };
}

describe('EntityPersonasContent', () => {
  it('shows holders with links, group members and where each hat comes from', async () => {
    const getPersonas = jest.fn().mockResolvedValue(
      answer(
        {
          'tech-lead': { holders: [{ ref: 'user:default/bob', displayName: 'Bob Martin', members: [], inCatalog: true }], provenance: 'explicit' },
          'service-owner': {
            holders: [
              {
                ref: 'group:default/sre',
                displayName: 'SRE Team',
                inCatalog: true,
                members: [{ ref: 'user:default/carol', displayName: 'Carol Diaz' }],
              },
            ],
            provenance: 'inherited:system:default/payments',
          },
          'release-manager': { holders: [{ ref: 'user:default/zoe', displayName: 'zoe', members: [], inCatalog: false }], provenance: 'explicit' },
        },
        [
          { code: 'hero-mode', message: 'Bob Martin wears 4 of 7 hats here.', holder: 'user:default/bob' },
          { code: 'invalid-annotation', message: 'Annotation devops-personas.io/qa-lead: "erin" is invalid.', key: 'devops-personas.io/qa-lead', value: 'erin' },
        ],
      ),
    );
    await renderWith(<EntityPersonasContent />, { getPersonas });

    expect(getPersonas).toHaveBeenCalledWith({ kind: 'Component', namespace: 'default', name: 'checkout' });
    expect(screen.getByRole('link', { name: 'Bob Martin' })).toHaveAttribute('href', '/catalog/default/user/bob');
    const sre = screen.getByRole('list', { name: 'Members of SRE Team' });
    expect(within(sre).getByRole('link', { name: 'Carol Diaz' })).toHaveAttribute('href', '/catalog/default/user/carol');
    expect(screen.getByText(/Inherited from/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /payments/ })).toHaveAttribute('href', '/catalog/default/system/payments');
    expect(screen.getAllByText('Set on this entity')).toHaveLength(2);
    expect(screen.getByText('(not in catalog)')).toBeInTheDocument();
    expect(screen.getByText('Hero mode')).toBeInTheDocument();
    expect(screen.getByText('Bob Martin wears 4 of 7 hats here.')).toBeInTheDocument();
    expect(screen.getByText(/devops-personas.io\/qa-lead: "erin" is invalid/)).toBeInTheDocument();
    // an unassigned persona says which annotation to add
    expect(document.body).toHaveTextContent('devops-personas.io/product-owner: <user or group:team>');
  });

  it('opens the full canvas of a persona', async () => {
    await renderWith(<EntityPersonasContent />, {
      getPersonas: jest.fn().mockResolvedValue(
        answer({ 'tech-lead': { holders: [{ ref: 'user:default/bob', displayName: 'Bob Martin', members: [], inCatalog: true }], provenance: 'explicit' } }),
      ),
    });
    const techLead = BUILT_IN_PERSONAS.find(p => p.id === 'tech-lead')!;
    expect(screen.getByText(techLead.canvas.mission)).toBeInTheDocument();
    const more = screen.getAllByRole('button', { name: 'More' })[1];
    expect(more).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(more);
    expect(more).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByText(techLead.canvas.antiGoals[0])).toBeVisible();
  });

  it('shows an empty state with the annotations to add when nobody is assigned', async () => {
    await renderWith(<EntityPersonasContent />, { getPersonas: jest.fn().mockResolvedValue(answer()) });
    expect(screen.getByText('No personas assigned yet')).toBeInTheDocument();
    expect(document.body).toHaveTextContent('devops-personas.io/product-owner: <user>');
    expect(document.body).toHaveTextContent('devops-personas.io/service-owner: group:<team>');
  });

  it('shows progress while loading', async () => {
    await renderWith(<EntityPersonasContent />, { getPersonas: () => never() });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error of a failed request', async () => {
    const error = new Error('No entity component:default/checkout in the catalog');
    await renderWith(<EntityPersonasContent />, { getPersonas: jest.fn().mockRejectedValue(error) });
    expect(screen.getAllByText(/No entity component:default\/checkout in the catalog/).length).toBeGreaterThan(0);
  });
});
