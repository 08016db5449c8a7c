#!/usr/bin/env node
/*
 * Sends the example events (examples/events/generate.js, ending now) to a
 * running backend through the real ingest API, 5,000 a request.
 *
 *   node scripts/load-example-events.js [http://localhost:7007]
 *
 * The token defaults to the example portal's static external-access token;
 * set DEVOPS_PERSONAS_TOKEN for another backend. Re-running is safe: events
 * with the same type, source and id replace the earlier ones.
 */
const { generateExampleEvents } = require('../examples/events/generate');

const EXAMPLE_TOKEN = 'example-portal-events-token-change-me';
const CHUNK = 5000;

async function post(url, token, events) {
  for (let attempt = 1; ; attempt++) {
    let res;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ events }),
      });
    } catch (e) {
      if (attempt >= 3) throw e;
      await new Promise(r => setTimeout(r, 1000 * attempt));
      continue;
    }
    // 503: the database is busy or the backend is restarting; it says when to come back.
    if (res.status === 503 && attempt < 5) {
      const seconds = Number(res.headers.get('retry-after')) || attempt;
      await res.text();
      await new Promise(r => setTimeout(r, Math.min(seconds, 10) * 1000));
      continue;
    }
    if (res.status !== 202) {
      throw new Error(`POST ${url} answered ${res.status}: ${await res.text()}`);
    }
    return (await res.json()).accepted;
  }
}

async function loadExampleEvents({
  baseUrl = 'http://localhost:7007',
  token = process.env.DEVOPS_PERSONAS_TOKEN ?? EXAMPLE_TOKEN,
  now = new Date(),
} = {}) {
  const events = generateExampleEvents({ now });
  const url = `${baseUrl.replace(/\/$/, '')}/api/devops-personas/v1/events`;
  let accepted = 0;
  for (let i = 0; i < events.length; i += CHUNK) {
    accepted += await post(url, token, events.slice(i, i + CHUNK));
  }
  return accepted;
}

module.exports = { loadExampleEvents };

if (require.main === module) {
  loadExampleEvents({ baseUrl: process.argv[2] })
    .then(n => console.log(`Loaded ${n} example events`))
    .catch(e => {
      console.error(e.message);
      process.exit(1);
    });
}
