/*
 * Webhook deliveries as the example loader and the replay command send them:
 * `{ topic, headers, body }`, signed as each tool signs (GitHub, GitLab,
 * PagerDuty) or with the bearer token its source expects (Alertmanager,
 * CDEvents), and posted to Backstage's events ingress.
 */
const crypto = require('node:crypto');

/** The environment variables the secrets are read from, per topic. */
const SECRET_VARIABLES = {
  github: 'GITHUB_WEBHOOK_SECRET',
  gitlab: 'GITLAB_WEBHOOK_TOKEN',
  pagerduty: 'PAGERDUTY_WEBHOOK_SECRET',
  alertmanager: 'ALERTMANAGER_TOKEN',
  cdevents: 'CDEVENTS_TOKEN',
};

/** The example portal's secrets (app-config.yaml); never use them elsewhere. */
const EXAMPLE_SECRETS = {
  github: 'example-github-webhook-secret-change-me',
  gitlab: 'example-gitlab-webhook-token-change-me',
  pagerduty: 'example-pagerduty-webhook-secret-change-me',
  alertmanager: 'example-alertmanager-token-change-me',
  cdevents: 'example-cdevents-token-change-me',
};

const hmac = (secret, body) => crypto.createHmac('sha256', secret).update(body).digest('hex');

/** The body as the bytes to send: a string is sent as it is (its recorded signature stays valid). */
function bodyText(delivery) {
  return typeof delivery.body === 'string' ? delivery.body : JSON.stringify(delivery.body);
}

/**
 * Headers of a delivery, with its signature or token made with `secret`
 * (replacing a recorded one).
 */
function signedHeaders(delivery, secret) {
  const headers = { 'content-type': 'application/json', ...lowerCased(delivery.headers ?? {}) };
  if (secret === undefined) return headers;
  const body = bodyText(delivery);
  switch (delivery.topic) {
    case 'github':
      headers['x-hub-signature-256'] = `sha256=${hmac(secret, body)}`;
      break;
    case 'gitlab':
      headers['x-gitlab-token'] = secret;
      break;
    case 'pagerduty':
      headers['x-pagerduty-signature'] = `v1=${hmac(secret, body)}`;
      break;
    default:
      headers.authorization = `Bearer ${secret}`;
  }
  return headers;
}

function lowerCased(headers) {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

/**
 * `fetch(url, init)`, each try limited to `timeoutMs`; retries a backend that
 * is busy or restarting (503: after its Retry-After, at most 10 s; 5 tries in
 * all) or not answering (a network error or time-out: 3 tries). Resolves to
 * the last response, its body unread.
 */
async function fetchWithRetries(url, init, { timeoutMs = 30_000 } = {}) {
  for (let attempt = 1; ; attempt++) {
    let res;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      if (attempt >= 3) throw e;
      await sleep(1000 * attempt);
      continue;
    }
    if (res.status !== 503 || attempt >= 5) return res;
    const seconds = Number(res.headers.get('retry-after')) || attempt;
    await res.text();
    await sleep(Math.min(seconds, 10) * 1000);
  }
}

/**
 * Posts one delivery to `<baseUrl>/api/events/http/<topic>`; retries a
 * backend that is busy or restarting (see fetchWithRetries). Resolves to the
 * HTTP status.
 */
async function postDelivery(baseUrl, delivery, secret, { timeoutMs = 30_000 } = {}) {
  if (typeof delivery.topic !== 'string' || !/^[a-z0-9._-]+$/i.test(delivery.topic)) {
    throw new Error(`A delivery needs a topic such as "github"; got ${JSON.stringify(delivery.topic)}`);
  }
  const url = `${baseUrl.replace(/\/$/, '')}/api/events/http/${delivery.topic}`;
  const init = { method: 'POST', headers: signedHeaders(delivery, secret), body: bodyText(delivery) };
  const res = await fetchWithRetries(url, init, { timeoutMs });
  await res.text();
  return res.status;
}

module.exports = { EXAMPLE_SECRETS, SECRET_VARIABLES, bodyText, fetchWithRetries, postDelivery, signedHeaders };
