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

/**
 * Posts one delivery to `<baseUrl>/api/events/http/<topic>`; retries a
 * backend that is starting or busy. Resolves to the HTTP status.
 */
async function postDelivery(baseUrl, delivery, secret, { timeoutMs = 30_000 } = {}) {
  if (typeof delivery.topic !== 'string' || !/^[a-z0-9._-]+$/i.test(delivery.topic)) {
    throw new Error(`A delivery needs a topic such as "github"; got ${JSON.stringify(delivery.topic)}`);
  }
  const url = `${baseUrl.replace(/\/$/, '')}/api/events/http/${delivery.topic}`;
  const init = { method: 'POST', headers: signedHeaders(delivery, secret), body: bodyText(delivery) };
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      await res.text();
      if ((res.status === 503 || res.status === 404) && attempt < 5) {
        // starting (routes not mounted yet) or busy: come back shortly
        await new Promise(r => setTimeout(r, 1000 * attempt));
        continue;
      }
      return res.status;
    } catch (e) {
      if (attempt >= 3) throw e;
      await new Promise(r => setTimeout(r, 1000 * attempt));
    }
  }
}

module.exports = { EXAMPLE_SECRETS, SECRET_VARIABLES, bodyText, postDelivery, signedHeaders };
