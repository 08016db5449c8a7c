import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import {
  BUILT_IN_PERSONAS,
  EntityPersonasResponse,
  PersonaWarning,
  ResolvedPersona,
} from '@devops-personas/plugin-devops-personas-common';
import { EntityPersonasContent } from './EntityPersonasContent';
import { checkout, never, renderWith } from '../../__testUtils__/render';
import { contrastRatio } from '../../__testUtils__/contrast';

type PersonaOverrides = Partial<Record<string, Partial<ResolvedPersona>>>;

/** An answer for component:default/checkout: every persona unassigned unless overridden. */
function answer(
  overrides: PersonaOverrides = {},
  warnings: PersonaWarning[] = [],
): EntityPersonasResponse {
  return {
    entityRef: 'component:default/checkout',
    inheritanceChain: [
      'component:default/checkout',
      'system:default/payments',
      'domain:default/commerce',
    ],
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

const bob = {
  ref: 'user:default/bob',
  displayName: 'Bob Martin',
  members: [],
  inCatalog: true,
};

const sreTeam = {
  ref: 'group:default/sre',
  displayName: 'SRE Team',
  inCatalog: true,
  members: [
    { ref: 'user:default/carol', displayName: 'Carol Diaz' },
    { ref: 'user:default/dan', displayName: 'Dan Okafor' },
  ],
};

const assigned: PersonaOverrides = {
  'tech-lead': { holders: [bob], provenance: 'explicit' },
  'service-owner': {
    holders: [sreTeam],
    provenance: 'inherited:system:default/payments',
  },
  'platform-engineer': {
    holders: [
      {
        ref: 'group:default/platform',
        displayName: 'Platform',
        members: [],
        inCatalog: true,
      },
    ],
    provenance: 'config-default',
  },
  'release-manager': {
    holders: [
      {
        ref: 'user:default/zoe',
        displayName: 'zoe',
        members: [],
        inCatalog: false,
      },
    ],
    provenance: 'explicit',
  },
};

/** The card of one persona, found by its heading. */
function card(title: string): HTMLElement {
  const heading = screen.getByRole('heading', { name: title });
  return heading.closest('.MuiCard-root') as HTMLElement;
}

describe('EntityPersonasContent', () => {
  it('asks for the personas of the entity on the page', async () => {
    const getPersonas = jest.fn().mockResolvedValue(answer(assigned));
    await renderWith(<EntityPersonasContent />, { getPersonas });
    expect(getPersonas).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'checkout',
    });
  });

  it('shows one card per persona with its holders linked to their catalog pages', async () => {
    await renderWith(<EntityPersonasContent />, {
      getPersonas: jest.fn().mockResolvedValue(answer(assigned)),
    });

    for (const persona of BUILT_IN_PERSONAS) {
      expect(
        screen.getByRole('heading', { name: persona.title, level: 2 }),
      ).toBeInTheDocument();
    }
    const techLead = within(card('Tech Lead')).getByRole('list', {
      name: 'Holders of Tech Lead',
    });
    expect(
      within(techLead).getByRole('link', { name: 'Bob Martin' }),
    ).toHaveAttribute('href', '/catalog/default/user/bob');
    expect(screen.getByRole('link', { name: 'Platform' })).toHaveAttribute(
      'href',
      '/catalog/default/group/platform',
    );
  });

  it('lists the members of a group holder, each linked', async () => {
    await renderWith(<EntityPersonasContent />, {
      getPersonas: jest.fn().mockResolvedValue(answer(assigned)),
    });
    expect(screen.getByRole('link', { name: 'SRE Team' })).toHaveAttribute(
      'href',
      '/catalog/default/group/sre',
    );
    const members = screen.getByRole('list', { name: 'Members of SRE Team' });
    expect(within(members).getAllByRole('listitem')).toHaveLength(2);
    expect(
      within(members).getByRole('link', { name: 'Carol Diaz' }),
    ).toHaveAttribute('href', '/catalog/default/user/carol');
    expect(
      within(members).getByRole('link', { name: 'Dan Okafor' }),
    ).toHaveAttribute('href', '/catalog/default/user/dan');
  });

  it('marks a holder that is not in the catalog and does not link it', async () => {
    await renderWith(<EntityPersonasContent />, {
      getPersonas: jest.fn().mockResolvedValue(answer(assigned)),
    });
    const releaseManager = within(card('Release Manager'));
    expect(releaseManager.getByText('zoe')).toBeInTheDocument();
    expect(releaseManager.getByText('(not in catalog)')).toBeInTheDocument();
    expect(
      releaseManager.queryByRole('link', { name: 'zoe' }),
    ).not.toBeInTheDocument();
    // holders in the catalog are not marked
    expect(screen.getAllByText('(not in catalog)')).toHaveLength(1);
  });

  it('says in words where each assignment comes from', async () => {
    await renderWith(<EntityPersonasContent />, {
      getPersonas: jest.fn().mockResolvedValue(answer(assigned)),
    });
    expect(card('Tech Lead')).toHaveTextContent('Set on this entity');
    expect(card('Release Manager')).toHaveTextContent('Set on this entity');

    const serviceOwner = card('Service Owner');
    expect(serviceOwner).toHaveTextContent('Inherited from System payments');
    expect(
      within(serviceOwner).getByRole('link', { name: 'payments' }),
    ).toHaveAttribute('href', '/catalog/default/system/payments');

    expect(card('Platform Engineer')).toHaveTextContent('Config default');
    expect(card('Security Owner')).toHaveTextContent('Unassigned');
  });

  it('tells how to assign an unassigned persona', async () => {
    await renderWith(<EntityPersonasContent />, {
      getPersonas: jest.fn().mockResolvedValue(answer(assigned)),
    });
    const securityOwner = card('Security Owner');
    expect(securityOwner).toHaveTextContent('Nobody wears this hat');
    expect(securityOwner).toHaveTextContent(
      'devops-personas.io/security-owner: <user or group:team>',
    );
    expect(
      within(securityOwner).getByRole('button', {
        name: 'Copy the Security Owner annotation',
      }),
    ).toBeInTheDocument();
    expect(card('Tech Lead')).not.toHaveTextContent('Nobody wears this hat');
  });

  it('names the entities personas are inherited from', async () => {
    await renderWith(<EntityPersonasContent />, {
      getPersonas: jest.fn().mockResolvedValue(answer(assigned)),
    });
    expect(document.body).toHaveTextContent(
      'Personas not set on this entity are taken from System payments, then Domain commerce.',
    );
    expect(screen.getByRole('link', { name: 'commerce' })).toHaveAttribute(
      'href',
      '/catalog/default/domain/commerce',
    );
  });

  it('shows the mission and key metrics, and the rest of the canvas under More', async () => {
    await renderWith(<EntityPersonasContent />, {
      getPersonas: jest.fn().mockResolvedValue(answer(assigned)),
    });
    const techLead = BUILT_IN_PERSONAS.find(p => p.id === 'tech-lead')!;
    const techLeadCard = within(card('Tech Lead'));
    expect(techLeadCard.getByText(techLead.canvas.mission)).toBeVisible();
    expect(
      techLeadCard.getByText(techLead.canvas.accountability),
    ).toBeVisible();
    const kpis = techLeadCard.getByRole('list', {
      name: 'Key metrics of Tech Lead',
    });
    expect(within(kpis).getAllByRole('listitem')).toHaveLength(
      techLead.canvas.kpis.length,
    );
    expect(within(kpis).getByText('Lead time for changes')).toBeInTheDocument();

    const more = techLeadCard.getByRole('button', {
      name: 'More about Tech Lead',
    });
    expect(more).toHaveAttribute('aria-expanded', 'false');
    expect(
      techLeadCard.getByText(techLead.canvas.antiGoals[0]),
    ).not.toBeVisible();

    await userEvent.click(more);
    const less = techLeadCard.getByRole('button', {
      name: 'Less about Tech Lead',
    });
    expect(less).toHaveAttribute('aria-expanded', 'true');
    expect(techLeadCard.getByText(techLead.canvas.antiGoals[0])).toBeVisible();
    expect(techLeadCard.getByText(techLead.canvas.decisions[0])).toBeVisible();
    expect(
      techLeadCard.getByText(techLead.canvas.deliverables[0]),
    ).toBeVisible();
    expect(
      techLeadCard.getByRole('list', { name: 'Works with' }),
    ).toBeVisible();
    // the other cards stay closed
    expect(
      within(card('Service Owner')).getByRole('button', {
        name: 'More about Service Owner',
      }),
    ).toHaveAttribute('aria-expanded', 'false');
  });

  it('shows the warnings above the cards: hero mode, invalid annotations with key and value, unassigned personas', async () => {
    await renderWith(<EntityPersonasContent />, {
      getPersonas: jest.fn().mockResolvedValue(
        answer(assigned, [
          {
            code: 'unassigned-persona',
            message: 'No Security Owner is assigned.',
            persona: 'security-owner',
          },
          {
            code: 'hero-mode',
            message: 'Bob Martin wears 4 of 7 hats here.',
            holder: 'user:default/bob',
            personas: [
              'tech-lead',
              'product-owner',
              'quality-engineer',
              'release-manager',
            ],
          },
          {
            code: 'invalid-annotation',
            message: 'Unknown persona.',
            key: 'devops-personas.io/qa-lead',
            value: 'erin',
          },
        ]),
      ),
    });
    const warnings = screen.getByRole('region', { name: 'Warnings' });

    const invalid = within(warnings).getByRole('list', {
      name: 'Invalid annotations',
    });
    expect(invalid).toHaveTextContent('Unknown persona.');
    expect(
      within(invalid).getByLabelText('Annotation devops-personas.io/qa-lead'),
    ).toHaveTextContent('devops-personas.io/qa-lead: "erin"');

    expect(
      within(warnings).getByRole('list', { name: 'Hero mode' }),
    ).toHaveTextContent('Bob Martin wears 4 of 7 hats here.');
    expect(
      within(warnings).getByRole('list', { name: 'Unassigned personas' }),
    ).toHaveTextContent('No Security Owner is assigned.');

    // errors first (the API sent the invalid annotation last), then warnings in the API's order
    const titles = within(warnings)
      .getAllByRole('list')
      .map(list => list.getAttribute('aria-label'));
    expect(titles).toEqual([
      'Invalid annotations',
      'Unassigned personas',
      'Hero mode',
    ]);
    // and all of it above the cards
    expect(
      warnings.compareDocumentPosition(
        screen.getByRole('heading', { name: 'Product Owner' }),
      ) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });

  it('shows an empty state with the annotations to paste when no persona is assigned', async () => {
    await renderWith(<EntityPersonasContent />, {
      getPersonas: jest.fn().mockResolvedValue(
        answer({}, [
          {
            code: 'unassigned-persona',
            message: 'No Product Owner is assigned.',
            persona: 'product-owner',
          },
          {
            code: 'invalid-annotation',
            message: 'Unparseable ref.',
            key: 'devops-personas.io/tech-lead',
            value: 'user:',
          },
        ]),
      ),
    });
    expect(screen.getByText('No personas assigned yet')).toBeInTheDocument();
    expect(document.body).toHaveTextContent(
      /set them once on the System or Domain/i,
    );
    for (const persona of BUILT_IN_PERSONAS) {
      expect(document.body).toHaveTextContent(`${persona.annotation}:`);
    }
    expect(document.body).toHaveTextContent(
      'devops-personas.io/product-owner: <user>',
    );
    expect(document.body).toHaveTextContent(
      'devops-personas.io/service-owner: group:<team>',
    );
    // no persona cards, and the unassigned warnings are not repeated
    expect(
      screen.queryByRole('heading', { name: 'Product Owner' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByText('No Product Owner is assigned.'),
    ).not.toBeInTheDocument();
    // but an invalid annotation (maybe the reason nothing is assigned) is shown
    expect(screen.getByText('Unparseable ref.')).toBeInTheDocument();
  });

  it('shows a progress bar while loading', async () => {
    await renderWith(<EntityPersonasContent />, { getPersonas: () => never() });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(
      screen.queryByRole('heading', { name: 'Tech Lead' }),
    ).not.toBeInTheDocument();
  });

  it('shows the message of a failed request, and asks again on retry', async () => {
    const error = new Error('Something went wrong on the way');
    const getPersonas = jest
      .fn()
      .mockRejectedValueOnce(error)
      .mockResolvedValueOnce(answer(assigned));
    await renderWith(<EntityPersonasContent />, { getPersonas });
    expect(
      screen.getByText(/Could not load the personas of this entity/),
    ).toBeInTheDocument();
    expect(document.body).toHaveTextContent('Something went wrong on the way');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(getPersonas).toHaveBeenCalledTimes(2);
    expect(
      await screen.findByRole('heading', { name: 'Tech Lead' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/Could not load the personas/),
    ).not.toBeInTheDocument();
  });

  it('shows the backend message of an error response', async () => {
    const body = {
      error: {
        name: 'NotFoundError',
        message: 'No entity component:default/checkout in the catalog',
      },
      response: { statusCode: 404 },
    };
    const error = await ResponseError.fromResponse({
      ok: false,
      status: 404,
      statusText: 'Not Found',
      headers: new Headers({ 'content-type': 'application/json' }),
      text: async () => JSON.stringify(body),
    } as unknown as Response);
    await renderWith(<EntityPersonasContent />, {
      getPersonas: jest.fn().mockRejectedValue(error),
    });
    expect(
      screen.getByText(/Could not load the personas of this entity/),
    ).toBeInTheDocument();
    expect(document.body).toHaveTextContent(
      'The server answered 404: No entity component:default/checkout in the catalog',
    );
    expect(document.body).toHaveTextContent(
      'The catalog does not know this entity',
    );
  });

  it('counts assigned personas and core gaps, and group members, in the right number', async () => {
    await renderWith(<EntityPersonasContent />, {
      getPersonas: jest.fn().mockResolvedValue(
        answer({
          ...assigned,
          'product-owner': {
            holders: [
              {
                ref: 'group:default/po-team',
                displayName: 'PO Team',
                inCatalog: true,
                members: [{ ref: 'user:default/erin', displayName: 'Erin' }],
              },
            ],
            provenance: 'explicit',
          },
        }),
      ),
    });
    // 5 of 7 assigned; the Security Owner is the one core gap
    expect(document.body).toHaveTextContent(
      '5 of 7 personas assigned · 1 core persona unassigned',
    );
    expect(card('Service Owner')).toHaveTextContent('(group of 2 members)');
    expect(card('Product Owner')).toHaveTextContent('(group of 1 member)');
    expect(card('Platform Engineer')).toHaveTextContent('(group, no members)');
  });

  it('says "core personas" in the plural when several are unassigned', async () => {
    await renderWith(<EntityPersonasContent />, {
      getPersonas: jest
        .fn()
        .mockResolvedValue(answer({ 'tech-lead': assigned['tech-lead'] })),
    });
    expect(document.body).toHaveTextContent(
      '1 of 7 personas assigned · 4 core personas unassigned',
    );
  });

  it('lets long words wrap only where they are refs, and marks holders not in the catalog readably', async () => {
    await renderWith(<EntityPersonasContent />, {
      getPersonas: jest.fn().mockResolvedValue(
        answer({
          ...assigned,
          'quality-engineer': {
            holders: [
              {
                ref: 'user:default/a-very-long-user-name-without-a-title',
                displayName:
                  'user:default/a-very-long-user-name-without-a-title',
                members: [],
                inCatalog: true,
              },
            ],
            provenance: 'explicit',
          },
        }),
      ),
    });
    const ref = screen.getByRole('link', {
      name: 'user:default/a-very-long-user-name-without-a-title',
    });
    expect(getComputedStyle(ref).overflowWrap).toBe('anywhere');
    expect(
      getComputedStyle(screen.getByRole('link', { name: 'Bob Martin' }))
        .overflowWrap,
    ).not.toBe('anywhere');
    const snippet = within(card('Security Owner')).getByText(
      'devops-personas.io/security-owner: <user or group:team>',
    );
    expect(getComputedStyle(snippet).wordBreak).not.toBe('break-all');
    const notInCatalog = screen.getByText('(not in catalog)');
    expect(
      contrastRatio(getComputedStyle(notInCatalog).color, '#ffffff'),
    ).toBeGreaterThanOrEqual(4.5);
  });

  it('works on a System page too', async () => {
    const getPersonas = jest.fn().mockResolvedValue(answer(assigned));
    await renderWith(
      <EntityPersonasContent />,
      { getPersonas },
      {
        ...checkout,
        kind: 'System',
        metadata: { name: 'payments', namespace: 'default' },
      },
    );
    expect(getPersonas).toHaveBeenCalledWith({
      kind: 'System',
      namespace: 'default',
      name: 'payments',
    });
  });
});
