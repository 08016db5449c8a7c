#!/usr/bin/env node
/*
 * Starts the example portal: the backend (:7007, embedded SQLite, example
 * catalog) and the app dev server (:3000). Extra config files are layered
 * over app-config.yaml: `npm start -- --config my-overrides.yaml`.
 * Loads the example events (examples/events) through the ingest API and
 * the events ingress (examples/webhooks); pass
 * --no-example-events to start empty. Stops both on Ctrl-C. Used by the
 * quick start and the end-to-end tests.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const { loadExampleEvents } = require('./load-example-events');

const root = path.resolve(__dirname, '..');
const BACKEND_URL = process.env.PORTAL_BACKEND_URL ?? 'http://localhost:7007';
const APP_URL = process.env.PORTAL_APP_URL ?? 'http://localhost:3000';

function configArgs(argv) {
  const files = [path.join(root, 'app-config.yaml')];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--config' && argv[i + 1]) files.push(path.resolve(argv[++i]));
  }
  return files.flatMap(f => ['--config', f]);
}

async function waitFor(url, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not come up at ${url}`);
    await new Promise(r => setTimeout(r, 1000));
  }
}

/**
 * Starts backend and app; resolves once both answer. `stop()` ends both.
 */
async function startPortal({ argv = [], log = process.stdout, exampleEvents = true } = {}) {
  const children = [];
  const start = (name, args) => {
    const child = spawn('npm', args, {
      cwd: root,
      env: { ...process.env, BROWSER: 'none', FORCE_COLOR: '0' },
      detached: true,
    });
    child.stdout.on('data', d => log.write(`[${name}] ${d}`));
    child.stderr.on('data', d => log.write(`[${name}] ${d}`));
    children.push(child);
    return child;
  };
  const config = configArgs(argv);
  start('backend', ['--workspace', 'backend', 'start', '--', ...config]);
  start('app', ['--workspace', 'app', 'start', '--', ...config]);

  const stop = () => {
    for (const child of children) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  try {
    await waitFor(`${BACKEND_URL}/api/devops-personas/health`, 'The backend', 180_000);
    if (exampleEvents) {
      // The embedded database starts empty: send the example events through
      // the real ingest API so every KPI tab is full on first start.
      const { accepted, webhooks } = await loadExampleEvents({ baseUrl: BACKEND_URL });
      log.write(`Loaded ${accepted} example events and ${webhooks} example webhooks\n`);
    }
    await waitFor(APP_URL, 'The app', 180_000);
  } catch (e) {
    stop();
    throw e;
  }
  return { stop, backendUrl: BACKEND_URL, appUrl: APP_URL };
}

module.exports = { startPortal };

if (require.main === module) {
  const argv = process.argv.slice(2);
  startPortal({ argv, exampleEvents: !argv.includes('--no-example-events') })
    .then(({ stop, appUrl }) => {
      console.log(`\nThe example portal is up: open ${appUrl} (Ctrl-C stops it)\n`);
      const end = () => {
        stop();
        process.exit(0);
      };
      process.on('SIGINT', end);
      process.on('SIGTERM', end);
    })
    .catch(e => {
      console.error(e.message);
      process.exit(1);
    });
}
