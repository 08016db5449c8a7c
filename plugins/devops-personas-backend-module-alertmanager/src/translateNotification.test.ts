import {
  SourceEvent,
  SourceTranslation,
} from '@devops-personas/plugin-devops-personas-node';
import firing from './__fixtures__/checkout-firing.json';
import resolved from './__fixtures__/checkout-resolved.json';
import diskFull from './__fixtures__/disk-full-unlabelled.json';
import {
  DEFAULT_ALERTMANAGER_TRANSLATION_OPTIONS,
  AlertmanagerTranslationOptions,
} from './options';
import { translateAlertmanagerNotification } from './translateNotification';

// Recorded from Alertmanager 0.25.0 (__testUtils__/alertmanagerServer.js):
// one group of five CheckoutHighErrorRate alerts, firing then resolved, and
// a NodeDiskFull alert without the entity label.
const defaults: AlertmanagerTranslationOptions = {
  ...DEFAULT_ALERTMANAGER_TRANSLATION_OPTIONS,
};
const recordedGeneratorURL = firing.body.alerts[0].generatorURL;
const checkout = { entityRef: 'component:default/checkout' };

function eventsOf(translation: SourceTranslation): SourceEvent[] {
  if (translation.kind !== 'events') {
    throw new Error(`expected events, got ignored: ${translation.reason}`);
  }
  return translation.events;
}

function alert(
  overrides: Record<string, unknown> = {},
  labels: Record<string, unknown> = {},
) {
  return {
    status: 'firing',
    labels: {
      alertname: 'Test',
      backstage_entity: 'component:default/checkout',
      ...labels,
    },
    annotations: {},
    startsAt: '2026-06-01T10:00:00Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'https://prometheus.example.com/graph?g0.expr=up',
    fingerprint: '0123456789abcdef',
    ...overrides,
  };
}

function notification(alerts: unknown[], extra: Record<string, unknown> = {}) {
  return {
    version: '4',
    receiver: 'backstage',
    status: 'firing',
    alerts,
    ...extra,
  };
}

describe('translateAlertmanagerNotification', () => {
  it('turns each alert of a recorded notification into an alert event', () => {
    expect(translateAlertmanagerNotification(firing.body, defaults)).toEqual({
      kind: 'events',
      events: [
        {
          entity: checkout,
          event: {
            type: 'alert',
            id: '8f43a420b9f9d5f2@2026-06-01T10:00:05Z',
            firedAt: '2026-06-01T10:00:05.000Z',
            actionable: false, // severity warning
            url: recordedGeneratorURL,
          },
        },
        {
          entity: checkout,
          event: {
            type: 'alert',
            // startsAt was 12:01:00+02:00: the id is in UTC.
            id: '8cdf53b0f20caea5@2026-06-01T10:01:00Z',
            firedAt: '2026-06-01T10:01:00.000Z',
            actionable: true, // label actionable="true" beats severity warning
            url: recordedGeneratorURL,
          },
        },
        {
          entity: checkout,
          event: {
            type: 'alert',
            id: 'bb518d935b805b8c@2026-06-01T10:02:00.5Z',
            firedAt: '2026-06-01T10:02:00.500Z',
            actionable: false, // label actionable="false" beats severity critical
            url: recordedGeneratorURL,
          },
        },
        {
          entity: checkout,
          event: {
            type: 'alert',
            id: '043fcf2b7ff63bfb@2026-06-01T10:00:00.123456789Z',
            firedAt: '2026-06-01T10:00:00.123Z',
            actionable: true, // severity critical
            url: recordedGeneratorURL,
          },
        },
        {
          // job checkout-legacy: no backstage_entity label, so no entity;
          // the backend counts it as unmapped-entity.
          entity: {},
          event: {
            type: 'alert',
            id: 'e7e401927a18a20d@2026-06-01T10:03:00Z',
            firedAt: '2026-06-01T10:03:00.000Z',
            actionable: true, // severity critical
            // Its generatorURL is empty: no link.
          },
        },
      ],
    });
  });

  it('gives the resolved notification of an alert the same id and fields, so it replaces the firing one', () => {
    const firingEvents = eventsOf(
      translateAlertmanagerNotification(firing.body, defaults),
    );
    const resolvedEvents = eventsOf(
      translateAlertmanagerNotification(resolved.body, defaults),
    );
    expect(resolved.body.status).toBe('resolved');
    expect(resolvedEvents).toEqual(firingEvents);
  });

  it('names no entity for an alert without the entity label, so that the backend counts it as unmapped', () => {
    expect(translateAlertmanagerNotification(diskFull.body, defaults)).toEqual({
      kind: 'events',
      events: [
        {
          entity: {},
          event: {
            type: 'alert',
            id: '62c90af8fd6921c7@2026-06-01T09:00:00Z',
            firedAt: '2026-06-01T09:00:00.000Z',
            actionable: true, // severity page
            url: diskFull.body.alerts[0].generatorURL,
          },
        },
      ],
    });
    const blank = eventsOf(
      translateAlertmanagerNotification(
        notification([alert({}, { backstage_entity: '  ' })]),
        defaults,
      ),
    );
    expect(blank).toHaveLength(1);
    expect(blank[0].entity).toEqual({});
    expect(blank[0].event.id).toBe('0123456789abcdef@2026-06-01T10:00:00Z');
  });

  it('ignores a notification without alerts', () => {
    expect(
      translateAlertmanagerNotification(notification([]), defaults),
    ).toEqual({
      kind: 'ignored',
      reason: 'the notification has no alerts',
    });
  });

  describe('actionable', () => {
    const actionable = (labels: Record<string, unknown>, options = defaults) =>
      eventsOf(
        translateAlertmanagerNotification(
          notification([alert({}, labels)]),
          options,
        ),
      )[0].event.actionable;

    it('follows the actionable label when it is exactly true or false', () => {
      expect(actionable({ actionable: 'true', severity: 'info' })).toBe(true);
      expect(actionable({ actionable: 'false', severity: 'page' })).toBe(false);
      expect(actionable({ actionable: 'true' })).toBe(true);
    });

    it('falls back to the severity for any other actionable value', () => {
      expect(actionable({ actionable: 'TRUE', severity: 'info' })).toBe(false);
      expect(actionable({ actionable: 'yes', severity: 'critical' })).toBe(
        true,
      );
      expect(actionable({ actionable: '', severity: 'page' })).toBe(true);
    });

    it('counts critical and page as actionable by default, case-insensitively', () => {
      expect(actionable({ severity: 'critical' })).toBe(true);
      expect(actionable({ severity: 'page' })).toBe(true);
      expect(actionable({ severity: 'Critical' })).toBe(true);
      expect(actionable({ severity: 'warning' })).toBe(false);
      expect(actionable({ severity: 'info' })).toBe(false);
      expect(actionable({})).toBe(false);
    });

    it('uses the configured severities instead of the defaults', () => {
      const options = { ...defaults, actionableSeverities: ['sev1', 'SEV2'] };
      expect(actionable({ severity: 'sev1' }, options)).toBe(true);
      expect(actionable({ severity: 'sev2' }, options)).toBe(true);
      expect(actionable({ severity: 'critical' }, options)).toBe(false);
      expect(
        actionable(
          { severity: 'page' },
          { ...defaults, actionableSeverities: [] },
        ),
      ).toBe(false);
    });
  });

  it('reads the entity from the configured label and names none for alerts without it', () => {
    const options = { ...defaults, entityLabel: 'service' };
    const translation = translateAlertmanagerNotification(
      notification([
        alert(
          { fingerprint: 'aaaa000000000001' },
          {
            service: ' checkout ',
            backstage_entity: 'component:default/other',
          },
        ),
        alert(
          { fingerprint: 'aaaa000000000002' },
          { backstage_entity: 'component:default/other' },
        ),
      ]),
      options,
    );
    expect(eventsOf(translation)).toEqual([
      {
        entity: { entityRef: 'checkout' },
        event: expect.objectContaining({
          id: 'aaaa000000000001@2026-06-01T10:00:00Z',
        }),
      },
      {
        entity: {},
        event: expect.objectContaining({
          id: 'aaaa000000000002@2026-06-01T10:00:00Z',
        }),
      },
    ]);
    expect(
      eventsOf(translateAlertmanagerNotification(diskFull.body, options))[0]
        .entity,
    ).toEqual({});
  });

  describe('startsAt', () => {
    const first = (startsAt: string) =>
      eventsOf(
        translateAlertmanagerNotification(
          notification([alert({ startsAt })]),
          defaults,
        ),
      )[0].event;

    it('keeps nanoseconds in the id and cuts them to milliseconds in firedAt', () => {
      expect(first('2026-06-01T10:00:00.123456789Z')).toMatchObject({
        id: '0123456789abcdef@2026-06-01T10:00:00.123456789Z',
        firedAt: '2026-06-01T10:00:00.123Z',
      });
      expect(first('2026-06-01T10:00:00.999999999Z').firedAt).toBe(
        '2026-06-01T10:00:00.999Z',
      );
    });

    it('gives the same instant the same id whatever its offset or trailing zeros', () => {
      const ids = [
        '2026-06-01T10:00:00.1Z',
        '2026-06-01T10:00:00.100000000Z',
        '2026-06-01t10:00:00.1z',
        '2026-06-01T12:00:00.1+02:00',
        '2026-06-01T05:30:00.100-04:30',
      ].map(startsAt => first(startsAt).id);
      expect(new Set(ids)).toEqual(
        new Set(['0123456789abcdef@2026-06-01T10:00:00.1Z']),
      );
    });

    it('moves across a day boundary when the offset says so', () => {
      expect(first('2026-06-01T01:00:00+03:00')).toMatchObject({
        id: '0123456789abcdef@2026-05-31T22:00:00Z',
        firedAt: '2026-05-31T22:00:00.000Z',
      });
    });

    it.each([
      ['a date only', '2026-06-01'],
      ['no offset', '2026-06-01T10:00:00'],
      ['a day that does not exist', '2026-02-30T10:00:00Z'],
      ['hour 24', '2026-06-01T24:00:00Z'],
      ['second 60', '2026-06-01T10:00:60Z'],
      ['ten fraction digits', '2026-06-01T10:00:00.1234567890Z'],
      ['an impossible offset', '2026-06-01T10:00:00+15:00'],
      ['an offset beyond 14:00', '2026-06-01T10:00:00+14:30'],
      ['offset minutes above 59', '2026-06-01T10:00:00+01:60'],
      ['a time before year 1 in UTC', '0001-01-01T00:30:00+01:00'],
      ['a number', 1780308000000],
    ])('refuses a startsAt with %s', (_, startsAt) => {
      expect(() =>
        translateAlertmanagerNotification(
          notification([alert({ startsAt })]),
          defaults,
        ),
      ).toThrow(/^alerts\[0\]\.startsAt is .*, not an RFC 3339 time$/);
    });
  });

  describe('url', () => {
    const url = (generatorURL: unknown) =>
      eventsOf(
        translateAlertmanagerNotification(
          notification([alert({ generatorURL })]),
          defaults,
        ),
      )[0].event.url;

    it('links the generator when it is an http(s) URL', () => {
      expect(url('http://prometheus:9090/graph?g0.expr=up')).toBe(
        'http://prometheus:9090/graph?g0.expr=up',
      );
      expect(url('https://prometheus.example.com/graph')).toBe(
        'https://prometheus.example.com/graph',
      );
    });

    it('leaves the link out when there is none, it is not http(s), or it is longer than an event allows', () => {
      expect(url('')).toBeUndefined();
      expect(url(undefined)).toBeUndefined();
      expect(url('data:text/html,<h1>alert</h1>')).toBeUndefined();
      expect(url('ftp://prometheus.example.com/graph')).toBeUndefined();
      expect(url('/graph?g0.expr=up')).toBeUndefined();
      expect(
        url(`https://prometheus.example.com/graph?g0.expr=${'x'.repeat(2048)}`),
      ).toBeUndefined();
    });
  });

  describe('payloads it cannot read', () => {
    it.each([
      [
        'null',
        null,
        'Not an Alertmanager webhook notification: the body is null, not a JSON object',
      ],
      [
        'a string',
        'hello',
        'Not an Alertmanager webhook notification: the body is "hello", not a JSON object',
      ],
      [
        'a list',
        [alert()],
        'Not an Alertmanager webhook notification: the body is a list, not a JSON object',
      ],
      [
        'no alerts',
        { version: '4' },
        'Not an Alertmanager webhook notification: "alerts" is missing, not a list',
      ],
      [
        'alerts not a list',
        { alerts: {} },
        'Not an Alertmanager webhook notification: "alerts" is an object, not a list',
      ],
      [
        'another payload version',
        notification([alert()], { version: '5' }),
        'Unsupported Alertmanager webhook payload version "5"; this source reads version "4"',
      ],
      [
        'an alert that is not an object',
        notification([alert(), 7]),
        'alerts[1] is number 7, not an alert object',
      ],
      [
        'labels that are not a set',
        notification([alert({ labels: ['a'] })]),
        'alerts[0].labels is a list, not a label set',
      ],
      [
        'no fingerprint',
        notification([alert({ fingerprint: undefined })]),
        'alerts[0].fingerprint is missing; Alertmanager gives every alert one',
      ],
      [
        'no startsAt',
        notification([alert({ startsAt: undefined })]),
        'alerts[0].startsAt is missing, not an RFC 3339 time',
      ],
    ])('throws a clear error for %s', (_, body, message) => {
      expect(() => translateAlertmanagerNotification(body, defaults)).toThrow(
        new Error(message),
      );
    });

    it('reads a notification without a version field as version 4', () => {
      const body: Record<string, unknown> = { ...firing.body };
      delete body.version;
      expect(
        eventsOf(translateAlertmanagerNotification(body, defaults)),
      ).toHaveLength(5);
    });

    it('does not mistake inherited properties for labels', () => {
      const options = { ...defaults, entityLabel: 'constructor' };
      expect(
        eventsOf(
          translateAlertmanagerNotification(notification([alert()]), options),
        )[0].entity,
      ).toEqual({});
      expect(
        eventsOf(
          translateAlertmanagerNotification(
            notification([alert({}, { severity: 'toString' })]),
            {
              ...defaults,
              actionableSeverities: ['tostring'],
            },
          ),
        )[0].event.actionable,
      ).toBe(true);
    });

    it('ignores labels that are not strings', () => {
      expect(
        eventsOf(
          translateAlertmanagerNotification(
            notification([alert({}, { backstage_entity: 42 })]),
            defaults,
          ),
        )[0].entity,
      ).toEqual({});
    });
  });
});
