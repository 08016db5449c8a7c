import { SourcePayload } from '@devops-personas/plugin-devops-personas-node';
import {
  goPagerDutyVector,
  recordedAccount,
} from './__fixtures__/recordedDeliveries';
import zulipResolved from './__fixtures__/zulip-resolved_v3.json';
import zulipTriggered from './__fixtures__/zulip-triggered_v3.json';
import { createPagerDutyTranslator } from './translate';

const translate = createPagerDutyTranslator({
  customerImpactingPriorities: ['P1', 'P2'],
});

const payload = (body: unknown): SourcePayload => ({
  topic: 'pagerduty',
  body,
  headers: { 'content-type': 'application/json' },
});
const recorded = (name: keyof typeof recordedAccount.deliveries) =>
  JSON.parse(recordedAccount.deliveries[name].body);
/** The recorded trigger, with the priority of PagerDuty's own test vector. */
const withPriority = (body: any, summary: string | null) => {
  const copy = structuredClone(body);
  copy.event.data.priority =
    summary === null
      ? null
      : {
          ...JSON.parse(goPagerDutyVector.body).event.data.priority,
          summary,
        };
  return copy;
};

describe('createPagerDutyTranslator', () => {
  it('turns a recorded incident.triggered into an incident of its service', () => {
    expect(translate(payload(recorded('triggered')))).toEqual({
      kind: 'events',
      events: [
        {
          entity: {
            annotation: { key: 'pagerduty.com/service-id', value: 'PNE3JZM' },
          },
          event: {
            type: 'incident',
            id: 'Q2CKYRLH85UNN4',
            startedAt: '2025-04-07T03:47:13Z',
            severity: 'low',
            customerImpacting: false,
            url: 'https://aldaviva.pagerduty.com/incidents/Q2CKYRLH85UNN4',
          },
          mergeWithStored: true,
        },
      ],
    });
  });

  it('turns the recorded incident.resolved into the same incident with resolvedAt = occurred_at', () => {
    expect(translate(payload(recorded('resolved')))).toEqual({
      kind: 'events',
      events: [
        {
          entity: {
            annotation: { key: 'pagerduty.com/service-id', value: 'PNE3JZM' },
          },
          event: {
            type: 'incident',
            id: 'Q2CKYRLH85UNN4',
            startedAt: '2025-04-07T03:47:13Z',
            resolvedAt: '2025-04-07T03:49:36.358Z',
            severity: 'low',
            url: 'https://aldaviva.pagerduty.com/incidents/Q2CKYRLH85UNN4',
          },
          // priority is null: the stored customerImpacting must survive
          mergeWithStored: true,
        },
      ],
    });
  });

  it.each([
    ['P1', true],
    ['P2', true],
    ['p1', true],
    ['P3', false],
    [null, false],
  ])(
    'marks a trigger with priority %s customer-impacting: %s',
    (priority, expected) => {
      const result = translate(
        payload(withPriority(recorded('triggered'), priority)),
      );
      expect(
        result.kind === 'events' && result.events[0].event.customerImpacting,
      ).toBe(expected);
    },
  );

  it('reads the priority name when a payload carries name instead of summary', () => {
    const body = recorded('triggered');
    body.event.data.priority = { id: 'PSO75BM', type: 'priority', name: 'P2' };
    const result = translate(payload(body));
    expect(
      result.kind === 'events' && result.events[0].event.customerImpacting,
    ).toBe(true);
  });

  it('uses the configured priorities', () => {
    const sev1Only = createPagerDutyTranslator({
      customerImpactingPriorities: ['SEV-1'],
    });
    const p1 = sev1Only(payload(withPriority(recorded('triggered'), 'P1')));
    const sev1 = sev1Only(
      payload(withPriority(recorded('triggered'), 'SEV-1')),
    );
    expect(p1.kind === 'events' && p1.events[0].event.customerImpacting).toBe(
      false,
    );
    expect(
      sev1.kind === 'events' && sev1.events[0].event.customerImpacting,
    ).toBe(true);
  });

  it('sets customerImpacting on a resolution only when it names a priority', () => {
    const raised = translate(payload(withPriority(recorded('resolved'), 'P1')));
    expect(raised.kind === 'events' && raised.events[0].event).toMatchObject({
      customerImpacting: true,
    });
    const none = translate(payload(recorded('resolved')));
    expect(
      none.kind === 'events' && 'customerImpacting' in none.events[0].event,
    ).toBe(false);
  });

  it('reads 2021 payloads without data.created_at: the trigger starts at occurred_at, the resolution leaves the start to the stored trigger', () => {
    const triggered = translate(payload(zulipTriggered));
    expect(triggered.kind === 'events' && triggered.events[0]).toEqual({
      entity: {
        annotation: { key: 'pagerduty.com/service-id', value: 'PA2P440' },
      },
      event: {
        type: 'incident',
        id: 'PFQZPSY',
        startedAt: '2021-06-04T13:35:29.781Z',
        severity: 'high',
        customerImpacting: false,
        url: 'https://pig208.pagerduty.com/incidents/PFQZPSY',
      },
      mergeWithStored: true,
    });
    const resolved = translate(payload(zulipResolved));
    expect(resolved.kind === 'events' && resolved.events[0].event).toEqual({
      type: 'incident',
      id: 'PCPZE64',
      resolvedAt: '2021-06-04T13:16:53.816Z',
      severity: 'high',
      url: 'https://pig208.pagerduty.com/incidents/PCPZE64',
    });
  });

  it.each([
    ['acknowledged', 'incident.acknowledged'],
    ['annotated', 'incident.annotated'],
    ['ping', 'pagey.ping'],
  ] as const)('ignores the recorded %s event', (name, eventType) => {
    expect(translate(payload(recorded(name)))).toEqual({
      kind: 'ignored',
      reason: `PagerDuty ${eventType} events are not counted`,
    });
  });

  it('ignores priority_updated and service events', () => {
    expect(translate(payload(JSON.parse(goPagerDutyVector.body))).kind).toBe(
      'ignored',
    );
    const serviceUpdated = {
      event: {
        id: '01BRB6ZP4M6T8ZG4X6BP63ZB9O',
        event_type: 'service.updated',
        resource_type: 'service',
        occurred_at: '2021-03-02T13:35:11.682Z',
        agent: null,
        client: null,
        data: {
          id: 'PF9KMXH',
          type: 'service',
          summary: 'testing service updates',
        },
      },
    };
    expect(translate(payload(serviceUpdated))).toEqual({
      kind: 'ignored',
      reason: 'PagerDuty service.updated events are not counted',
    });
  });

  it('leaves out a html_url that is not an http(s) URL', () => {
    const body = recorded('triggered');
    body.event.data.html_url =
      'ftp://acme.pagerduty.com/incidents/Q2CKYRLH85UNN4';
    const result = translate(payload(body));
    expect(result.kind === 'events' && 'url' in result.events[0].event).toBe(
      false,
    );
  });

  describe('malformed payloads', () => {
    const broken = (mutate: (body: any) => void) => {
      const body = recorded('triggered');
      mutate(body);
      return payload(body);
    };

    it.each([
      ['a string body', payload('{"event":'), /no "event" object/],
      ['an array body', payload([]), /no "event" object/],
      ['null', payload(null), /no "event" object/],
      [
        'a V2 webhook',
        payload({ messages: [{ event: 'incident.trigger' }] }),
        /V1 and V2 webhooks are not read/,
      ],
      [
        'no event_type',
        broken(b => delete b.event.event_type),
        /without event\.event_type/,
      ],
      [
        'no data',
        broken(b => delete b.event.data),
        /incident\.triggered webhook without event\.data/,
      ],
      [
        'no incident id',
        broken(b => delete b.event.data.id),
        /event\.data\.id must be a non-empty string/,
      ],
      [
        'a numeric id',
        broken(b => (b.event.data.id = 42)),
        /event\.data\.id must be/,
      ],
      [
        'no service',
        broken(b => (b.event.data.service = null)),
        /event\.data\.service\.id must be/,
      ],
      [
        'neither created_at nor occurred_at',
        broken(b => {
          delete b.event.data.created_at;
          delete b.event.occurred_at;
        }),
        /event\.data\.created_at must be/,
      ],
    ])('throws a clear error for %s', (_name, input, message) => {
      expect(() => translate(input)).toThrow(message);
    });

    it('throws for a resolution without occurred_at', () => {
      const body = recorded('resolved');
      delete body.event.occurred_at;
      expect(() => translate(payload(body))).toThrow(
        'PagerDuty incident.resolved webhook: event.occurred_at must be a non-empty string',
      );
    });
  });
});
