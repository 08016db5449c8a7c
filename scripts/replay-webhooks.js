#!/usr/bin/env node
/*
 * Replays saved webhook deliveries into a portal, through Backstage's events
 * ingress and so through the same source modules, checks and translators
 * as live webhooks: a team loads last quarter's history on day one.
 *
 *   node scripts/replay-webhooks.js <file.jsonl | directory> [--backend http://localhost:7007] [--sign]
 *
 * Each line of a `.jsonl` file is one delivery:
 *   {"topic": "github", "headers": {"x-github-event": "deployment_status"}, "body": {...}}
 * `body` may be the raw text as received (a string), which keeps a recorded
 * signature valid. With --sign, each delivery is signed afresh with the
 * secret from the environment: GITHUB_WEBHOOK_SECRET, GITLAB_WEBHOOK_TOKEN,
 * PAGERDUTY_WEBHOOK_SECRET, ALERTMANAGER_TOKEN, CDEVENTS_TOKEN.
 *
 * Files are read in name order and lines in file order: keep deliveries in
 * the order the tool sent them (a pull request before the deployment that
 * ships it, an incident's trigger before its resolution). Replaying twice is
 * safe: events with the same id replace the earlier ones.
 */
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { postDelivery, SECRET_VARIABLES } = require('./lib/webhooks');

function parseArgs(argv) {
  const options = { backend: 'http://localhost:7007', sign: false, inputs: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--backend') options.backend = argv[++i];
    else if (argv[i] === '--sign') options.sign = true;
    else options.inputs.push(argv[i]);
  }
  if (!options.inputs.length) {
    throw new Error('Usage: replay-webhooks.js <file.jsonl | directory> [--backend URL] [--sign]');
  }
  return options;
}

function filesOf(input) {
  const stat = fs.statSync(input);
  if (!stat.isDirectory()) return [input];
  return fs
    .readdirSync(input)
    .filter(name => name.endsWith('.jsonl'))
    .sort()
    .map(name => path.join(input, name));
}

function secretFor(topic, sign) {
  if (!sign) return undefined;
  const variable = SECRET_VARIABLES[topic];
  const secret = variable && process.env[variable];
  if (!secret) throw new Error(`--sign needs ${variable ?? `a secret for topic ${topic}`} in the environment`);
  return secret;
}

async function replay({ backend, sign, inputs }) {
  const statuses = new Map();
  let sent = 0;
  for (const file of inputs.flatMap(filesOf)) {
    const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
    let lineNo = 0;
    for await (const line of lines) {
      lineNo++;
      if (!line.trim()) continue;
      let delivery;
      try {
        delivery = JSON.parse(line);
      } catch (e) {
        throw new Error(`${file}:${lineNo}: not JSON (${e.message})`);
      }
      const status = await postDelivery(backend, delivery, secretFor(delivery.topic, sign));
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 400) console.error(`${file}:${lineNo}: ${delivery.topic} answered ${status}`);
      sent++;
    }
  }
  return { sent, statuses };
}

module.exports = { replay };

if (require.main === module) {
  Promise.resolve()
    .then(() => replay(parseArgs(process.argv.slice(2))))
    .then(({ sent, statuses }) => {
      const summary = [...statuses].map(([status, n]) => `${n} × ${status}`).join(', ');
      console.log(`Replayed ${sent} deliveries (${summary || 'none'}). See GET /api/devops-personas/v1/sources for what was stored and dropped.`);
      if ([...statuses.keys()].some(s => s >= 400)) process.exit(1);
    })
    .catch(e => {
      console.error(e.message);
      process.exit(1);
    });
}
