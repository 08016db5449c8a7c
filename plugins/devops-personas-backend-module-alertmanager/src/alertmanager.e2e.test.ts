import eventsPlugin from '@backstage/plugin-events-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the end-to-end test runs the plugin this module extends
import devopsPersonasPlugin from '@devops-personas/plugin-devops-personas-backend';
import {
  SourceTestBackend,
  startSourceTestBackend,
} from '@devops-personas/plugin-devops-personas-node/testUtils';
import {
  describeWithAlertmanager,
  RunningAlertmanager,
  startAlertmanager,
} from './__testUtils__/alertmanager';
import alertmanagerSource from './index';

/*
 * A real Prometheus Alertmanager (__testUtils__/alertmanagerServer.js) sends
 * its webhook notifications to a test backend: events backend, DevOps
 * Personas backend, this package's modules and a catalog with two
 * Components. Without Alertmanager the suite is skipped, unless
 * DEVOPS_PERSONAS_TEST_STRICT is set (npm test sets it): then it fails.
 */

jest.setTimeout(120_000);

const TOKEN = 'alertmanager-e2e-token';
const POLL_TIMEOUT_MS = 30_000;

const component = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner: 'team', lifecycle: 'production' },
});

// Times relative to now (Alertmanager drops alerts whose endsAt has long
// passed), in whole seconds plus the fractions and offsets under test.
const NOW = Math.floor(Date.now() / 1000) * 1000;
const UNTIL = new Date(NOW + 3_600_000).toISOString();
const secondsAgo = (seconds: number) =>
  new Date(NOW - seconds * 1000).toISOString().slice(0, 19);
const iso = (seconds: number) => `${secondsAgo(seconds)}Z`;

interface PostedAlert {
  labels: Record<string, string>;
  /** As posted to Alertmanager. */
  startsAt: string;
  generatorURL?: string;
  /** What the source should store for it. */
  expected?: { start: string; firedAt: string; actionable: boolean };
}

const checkout = 'component:default/checkout';
const generatorURL =
  'http://prometheus.example.com:9090/graph?g0.expr=up%3D%3D0&g0.tab=1';
// With nanoseconds, as Prometheus sends them.
const NANO_START = `${secondsAgo(7200)}.123456789Z`;
// With an offset: Alertmanager keeps it; the id is in UTC.
const OFFSET_START = `${new Date(NOW - 1800_000 + 7_200_000)
  .toISOString()
  .slice(0, 19)}+02:00`;
const alerts: PostedAlert[] = [
  {
    labels: {
      alertname: 'CheckoutHighErrorRate',
      backstage_entity: checkout,
      severity: 'critical',
    },
    startsAt: NANO_START,
    generatorURL,
    expected: {
      start: NANO_START,
      firedAt: `${secondsAgo(7200)}.123Z`,
      actionable: true,
    },
  },
  {
    labels: {
      alertname: 'CheckoutHighErrorRate',
      backstage_entity: checkout,
      severity: 'warning',
      instance: 'b',
    },
    startsAt: iso(5400),
    generatorURL,
    expected: {
      start: iso(5400),
      firedAt: `${secondsAgo(5400)}.000Z`,
      actionable: false,
    },
  },
  {
    labels: {
      alertname: 'CheckoutLatency',
      backstage_entity: checkout,
      severity: 'page',
      actionable: 'false',
    },
    startsAt: iso(3600),
    expected: {
      start: iso(3600),
      firedAt: `${secondsAgo(3600)}.000Z`,
      actionable: false,
    },
  },
  {
    labels: {
      alertname: 'CheckoutLatency',
      backstage_entity: checkout,
      severity: 'info',
      actionable: 'true',
      instance: 'c',
    },
    startsAt: OFFSET_START,
    expected: {
      start: iso(1800),
      firedAt: `${secondsAgo(1800)}.000Z`,
      actionable: true,
    },
  },
];
const ghostAlert: PostedAlert = {
  labels: {
    alertname: 'GhostDown',
    backstage_entity: 'component:default/ghost',
    severity: 'critical',
  },
  startsAt: iso(1200),
};
const unlabelledAlert: PostedAlert = {
  labels: { alertname: 'NodeDiskFull', severity: 'critical' },
  startsAt: iso(600),
};

interface StoredAlert {
  type: string;
  id: string;
  source: string;
  firedAt: string;
  actionable: boolean;
  url?: string;
}

async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  log: () => string,
) {
  const deadline = Date.now() + POLL_TIMEOUT_MS;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${
          POLL_TIMEOUT_MS / 1000
        }s waiting for ${what}; last seen ${JSON.stringify(
          last,
        )}\nAlertmanager log:\n${log()}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 250));
    last = await read();
  }
  return last;
}

describeWithAlertmanager()(
  'Alertmanager webhooks, end to end with a real Alertmanager',
  () => {
    let backend: SourceTestBackend;
    let alertmanager: RunningAlertmanager | undefined;

    beforeAll(async () => {
      backend = await startSourceTestBackend({
        features: [eventsPlugin, devopsPersonasPlugin, alertmanagerSource],
        topics: ['alertmanager'],
        entities: [component('checkout'), component('checkout-direct')],
        config: {
          devopsPersonas: { sources: { alertmanager: { token: TOKEN } } },
        },
      });
      alertmanager = await startAlertmanager({
        webhookUrl: `${backend.baseUrl}/api/events/http/alertmanager`,
        bearerToken: TOKEN,
        // No repeats: every notification after the firing ones is a resolution.
        repeatInterval: '1h',
      });
    });

    afterAll(async () => {
      // Before the backend stops (startTestBackend's own hook), even when a test failed.
      await alertmanager?.stop();
    });

    const log = () => alertmanager?.log() ?? '';

    const postToAlertmanager = async (
      posted: PostedAlert[],
      endsAt?: string,
    ) => {
      const response = await fetch(`${alertmanager!.url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(
          posted.map(({ labels, startsAt, generatorURL: url }) => ({
            labels,
            annotations: { summary: labels.alertname },
            startsAt,
            ...(endsAt ? { endsAt } : {}),
            ...(url ? { generatorURL: url } : {}),
          })),
        ),
      });
      expect(response.status).toBe(200);
    };

    const alertNoise = async (name: string) =>
      (await backend.kpis(name, `window=30d&until=${UNTIL}`))['alert-noise'];

    const storedAlerts = async (name: string): Promise<StoredAlert[]> => {
      const res = await backend.get(
        `/entities/component/default/${name}/kpis/alert-noise/events?window=30d&until=${UNTIL}`,
      );
      expect(res.status).toBe(200);
      return (res.body.events as Array<{ event: StoredAlert }>).map(
        e => e.event,
      );
    };

    const source = () => backend.source('alertmanager');

    it('stores the alerts Alertmanager sends, as the same events posted to /v1/events would be', async () => {
      await postToAlertmanager([...alerts, ghostAlert]);

      const viaAlertmanager = await waitFor(
        'the four checkout alerts to arrive',
        () => alertNoise('checkout'),
        kpi => kpi.sampleSize >= alerts.length,
        log,
      );
      expect(viaAlertmanager).toMatchObject({ value: 0.5, sampleSize: 4 });

      // The same alerts as SPEC §6 events, for a second entity.
      // Answered with 202, or the harness throws.
      await backend.ingest(
        alerts.map((alert, index) => ({
          type: 'alert',
          id: `direct-${index}`,
          entityRef: 'component:default/checkout-direct',
          firedAt: alert.startsAt,
          actionable: alert.expected!.actionable,
        })),
      );
      const viaEvents = await alertNoise('checkout-direct');
      expect(viaAlertmanager.value).toBe(viaEvents.value);
      expect(viaAlertmanager.sampleSize).toBe(viaEvents.sampleSize);

      // Ids are <fingerprint>@<startsAt>, with Alertmanager's own fingerprints.
      const active = (await (
        await fetch(`${alertmanager!.url}/api/v2/alerts`)
      ).json()) as Array<{
        fingerprint: string;
        labels: Record<string, string>;
      }>;
      const fingerprintOf = (labels: Record<string, string>) =>
        active.find(
          a =>
            JSON.stringify(a.labels) ===
            JSON.stringify(Object.fromEntries(Object.entries(labels).sort())),
        )!.fingerprint;
      const expected = alerts.map(({ labels, expected: e }) => ({
        type: 'alert',
        source: 'alertmanager',
        id: `${fingerprintOf(labels)}@${e!.start}`,
        firedAt: e!.firedAt,
        actionable: e!.actionable,
      }));
      const stored = await storedAlerts('checkout');
      expect(
        stored.map(({ type, source: s, id, firedAt, actionable }) => ({
          type,
          source: s,
          id,
          firedAt,
          actionable,
        })),
      ).toEqual(expect.arrayContaining(expected));
      expect(stored).toHaveLength(4);
      expect(stored.find(e => e.id.endsWith(NANO_START))).toMatchObject({
        url: generatorURL,
      });
    });

    it('counts an alert whose entity ref names no catalog entity, or that has no entity label, as unmapped-entity', async () => {
      const ghost = await waitFor(
        'the GhostDown notification to be counted',
        source,
        s => (s.counts.dropped['unmapped-entity'] ?? 0) >= 1,
        log,
      );
      expect(ghost.topics).toEqual(['alertmanager']);
      expect(ghost.counts.dropped['unmapped-entity']).toBe(1);
      expect(ghost.lastError?.message).toContain('component:default/ghost');

      // The NodeDiskFull alert has no backstage_entity label at all.
      await postToAlertmanager([unlabelledAlert]);
      const unlabelled = await waitFor(
        'the NodeDiskFull notification to be counted',
        source,
        s => (s.counts.dropped['unmapped-entity'] ?? 0) >= 2,
        log,
      );
      expect(unlabelled.counts.dropped['unmapped-entity']).toBe(2);
      expect(unlabelled.counts.dropped.ignored ?? 0).toBe(0);
      expect(unlabelled.counts.stored).toBe(ghost.counts.stored);
      expect(unlabelled.lastError?.reason).toBe('unmapped-entity');
      expect(unlabelled.lastError?.message).toMatch(
        new RegExp(
          `alert [0-9a-f]+@${secondsAgo(600)}Z: the payload names no entity`,
        ),
      );
    });

    it('replaces each firing alert with its resolution instead of counting it twice', async () => {
      const before = await source();
      await postToAlertmanager(alerts, iso(1));
      // Two groups (by alertname) with checkout alerts: two resolved notifications.
      await waitFor(
        'the resolved notifications',
        source,
        s => s.counts.received >= before.counts.received + 2,
        log,
      );
      expect(await alertNoise('checkout')).toMatchObject({
        value: 0.5,
        sampleSize: 4,
      });
      expect(await storedAlerts('checkout')).toHaveLength(4);
    });

    it('refuses a notification with a wrong token at the ingress and stores nothing', async () => {
      const before = await source();
      const notification = {
        version: '4',
        status: 'firing',
        receiver: 'backstage',
        alerts: [
          {
            status: 'firing',
            labels: {
              alertname: 'Forged',
              backstage_entity: checkout,
              severity: 'warning',
            },
            annotations: {},
            startsAt: iso(300),
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: '',
            fingerprint: 'ffffffffffffffff',
          },
        ],
      };
      for (const authorization of ['Bearer wrong-token', `Basic ${TOKEN}`]) {
        const response = await backend.deliver('alertmanager', notification, {
          Authorization: authorization,
        });
        expect(response.status).toBe(401);
      }
      const unauthenticated = await backend.deliver(
        'alertmanager',
        notification,
      );
      expect(unauthenticated.status).toBe(401);

      expect((await source()).counts).toEqual(before.counts);
      expect(await alertNoise('checkout')).toMatchObject({
        value: 0.5,
        sampleSize: 4,
      });
    });
  },
);
