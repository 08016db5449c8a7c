#!/usr/bin/env node
/*
 * Sends the example events (examples/events/generate.js, ending now) to a
 * running backend: most through the real ingest API, 5,000 a request; those
 * of storefront-web, payment-gateway and product-catalog as GitHub,
 * PagerDuty, Alertmanager and CDEvents webhooks (examples/webhooks/generate.js)
 * through Backstage's events ingress, signed with the example portal's
 * secrets.
 *
 *   node scripts/load-example-events.js [http://localhost:7007]
 *
 * The token defaults to the example portal's static external-access token;
 * set DEVOPS_PERSONAS_TOKEN for another backend. Re-running is safe: events
 * with the same type, source and id replace the earlier ones.
 */
const { generateExampleEvents } = require('../examples/events/generate');
const { exampleWebhookDeliveries } = require('../examples/webhooks/generate');
const { EXAMPLE_SECRETS, fetchWithRetries, postDelivery } = require('./lib/webhooks');

const EXAMPLE_TOKEN = 'example-portal-events-token-change-me';
const CHUNK = 5000;

async function post(url, token, events) {
  // 503: the database is busy or the backend is restarting; it says when to come back.
  const res = await fetchWithRetries(
    url,
    {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ events }),
    },
    { timeoutMs: 120_000 },
  );
  if (res.status !== 202) {
    throw new Error(`POST ${url} answered ${res.status}: ${await res.text()}`);
  }
  return (await res.json()).accepted;
}

/** The entities the example webhooks are for. */
const WEBHOOK_ENTITIES = ['storefront-web', 'payment-gateway', 'product-catalog'];

async function waitForEntities(baseUrl, token, names, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (const name of names) {
    const url = `${baseUrl.replace(/\/$/, '')}/api/catalog/entities/by-name/component/default/${name}`;
    for (;;) {
      const res = await fetch(url, {
        headers: { Authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10_000),
      }).catch(() => undefined);
      await res?.text().catch(() => undefined);
      if (res?.ok) break;
      if (Date.now() > deadline) throw new Error(`The catalog did not list component ${name} in time`);
      await new Promise(r => setTimeout(r, 1000));
    }
  }
}

async function loadExampleEvents({
  baseUrl = 'http://localhost:7007',
  token = process.env.DEVOPS_PERSONAS_TOKEN ?? EXAMPLE_TOKEN,
  now = new Date(),
} = {}) {
  const { events, deliveries } = exampleWebhookDeliveries(generateExampleEvents({ now }));
  const url = `${baseUrl.replace(/\/$/, '')}/api/devops-personas/v1/events`;
  let accepted = 0;
  for (let i = 0; i < events.length; i += CHUNK) {
    accepted += await post(url, token, events.slice(i, i + CHUNK));
  }
  // A webhook for an entity the catalog has not read yet maps to nothing:
  // wait for the catalog's first pass over the example entities.
  await waitForEntities(baseUrl, token, WEBHOOK_ENTITIES);
  // In the order the tools sent them: a deployment before the incident it
  // caused (attribution looks back), a pull request before its deployment.
  for (const delivery of deliveries) {
    const status = await postDelivery(baseUrl, delivery, EXAMPLE_SECRETS[delivery.topic]);
    if (status !== 202) throw new Error(`POST /api/events/http/${delivery.topic} answered ${status}`);
  }
  await runNotificationsNow(baseUrl, token);
  return { accepted, webhooks: deliveries.length };
}

const NOTIFICATIONS_TASK = 'devops-personas-notifications';

/**
 * Asks the backend's scheduler to run the notification task now, so the
 * example KPIs that miss their targets reach their owners' bells on start
 * instead of at the next scheduled run; waits while a run is under way
 * (409) and until the asked-for run has ended.
 */
async function runNotificationsNow(baseUrl, token, timeoutMs = 180_000) {
  const base = `${baseUrl.replace(/\/$/, '')}/api/devops-personas/.backstage/scheduler/v1/tasks`;
  const headers = { Authorization: `Bearer ${token}` };
  const endedAt = async () => {
    const res = await fetch(base, { headers, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`GET ${base} answered ${res.status}`);
    const { tasks } = await res.json();
    return tasks.find(t => t.taskId === NOTIFICATIONS_TASK)?.taskState?.lastRunEndedAt;
  };
  const deadline = Date.now() + timeoutMs;
  let before;
  for (;;) {
    before = await endedAt();
    const res = await fetch(`${base}/${NOTIFICATIONS_TASK}/trigger`, {
      method: 'POST',
      headers,
      signal: AbortSignal.timeout(10_000),
    });
    if (res.ok) break;
    if (res.status === 404) {
      console.warn('Notifications are off (devopsPersonas.notifications.enabled: false): no run to ask for');
      return;
    }
    if (res.status !== 409 || Date.now() > deadline) {
      throw new Error(`Triggering the notification run answered ${res.status}`);
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  while ((await endedAt()) === before) {
    if (Date.now() > deadline) {
      console.warn('The notification run is still going; its notifications arrive when it ends');
      return;
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

module.exports = { loadExampleEvents };

if (require.main === module) {
  loadExampleEvents({ baseUrl: process.argv[2] })
    .then(({ accepted, webhooks }) => console.log(`Loaded ${accepted} example events and ${webhooks} example webhooks`))
    .catch(e => {
      console.error(e.message);
      process.exit(1);
    });
}
