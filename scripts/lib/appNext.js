/*
 * The new-frontend-system example app (packages/app-next) on :3001, beside
 * the example portal of scripts/start-portal.js (whose backend on :7007 it
 * uses; backend.cors.origin in app-config.yaml lists both apps):
 *
 *   cd packages/app-next && npx backstage-cli package start \
 *     --config ../../app-config.yaml --config app-config.yaml
 *
 * run in its own process group (npx, backstage-cli, the dev server), its
 * output prefixed with [app-next], and stopped with the whole group, also
 * when this process exits or is interrupted. Used by
 * e2e/new-frontend-system.test.js.
 */
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');
// The same exit hooks as the portal's processes (scripts/start-portal.js).
const {
  stopOnExit,
} = require('../../plugins/devops-personas-backend/src/__testUtils__/serverProcess');

const root = path.resolve(__dirname, '../..');
const APP_NEXT_DIR = path.join(root, 'packages', 'app-next');
/** Where it serves: app.baseUrl of packages/app-next/app-config.yaml. */
const APP_NEXT_URL = 'http://localhost:3001';
const APP_NEXT_PORT = 3001;
// What is kept of its output, to say why it did not start.
const LOG_TAIL_CHARS = 6_000;

/**
 * Polls `check` every `intervalMs` until it resolves truthy (a throwing check
 * counts as "not yet"); rejects with `Timed out waiting for <what>` after
 * `timeoutMs`, or as soon as `gaveUp()` is true, so that nothing polls on
 * after its caller has failed.
 */
async function pollUntil(
  check,
  what,
  timeoutMs,
  { intervalMs = 1000, gaveUp = () => false } = {},
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gaveUp()) throw new Error(`Gave up waiting for ${what}`);
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, intervalMs));
  }
}

/** Resolves to true when something accepts connections on `host`:`port`. */
function isListening(port, host = 'localhost') {
  return new Promise(resolve => {
    const socket = net.connect({ port, host });
    const done = answer => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The ports of `ports` that something listens on (IPv4 or IPv6 loopback). */
async function portsInUse(ports) {
  const used = [];
  for (const port of ports) {
    if (
      (await isListening(port, '127.0.0.1')) ||
      (await isListening(port, '::1'))
    ) {
      used.push(port);
    }
  }
  return used;
}

/** Resolves once nothing listens on any of `ports`; rejects after `timeoutMs`. */
function waitForPortsFree(ports, timeoutMs = 30_000) {
  return pollUntil(
    async () => (await portsInUse(ports)).length === 0,
    `ports ${ports.join(', ')} to be free`,
    timeoutMs,
    { intervalMs: 250 },
  );
}

/**
 * Starts the app's dev server and resolves once it serves its page (the
 * first compilation done), within `timeoutMs`. `configFiles` are loaded
 * after the root app-config.yaml and packages/app-next/app-config.yaml.
 * Refuses to start when port 3001 is taken, and rejects at once, with the
 * end of its output, when the dev server exits before serving.
 *
 * Resolves to `{ url, stop }`; `stop()` SIGTERMs the process group, SIGKILLs
 * what is left after `stopTimeoutMs`, and resolves once port 3001 is free.
 */
async function startAppNext({
  log = process.stdout,
  configFiles = [],
  timeoutMs = 240_000,
  stopTimeoutMs = 15_000,
} = {}) {
  if ((await portsInUse([APP_NEXT_PORT])).length) {
    throw new Error(
      `Port ${APP_NEXT_PORT} is in use: packages/app-next needs it. Stop what listens there (ss -ltnp) and try again.`,
    );
  }
  const args = [
    'backstage-cli',
    'package',
    'start',
    '--config',
    path.join(root, 'app-config.yaml'),
    '--config',
    path.join(APP_NEXT_DIR, 'app-config.yaml'),
    ...configFiles.flatMap(file => ['--config', path.resolve(file)]),
  ];
  const child = spawn('npx', args, {
    cwd: APP_NEXT_DIR,
    env: { ...process.env, BROWSER: 'none', FORCE_COLOR: '0' },
    // Its own process group: a signal to -pid reaches npx, backstage-cli
    // and the dev server, and a Ctrl-C in the terminal does not.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  let pending = '';
  const onOutput = chunk => {
    const text = String(chunk);
    tail = (tail + text).slice(-LOG_TAIL_CHARS);
    const lines = (pending + text).split('\n');
    pending = lines.pop();
    for (const line of lines) if (line) log.write(`[app-next] ${line}\n`);
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);

  let exitCode;
  const exited = new Promise(resolve => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? signal;
      if (pending) log.write(`[app-next] ${pending}\n`);
      pending = '';
      resolve();
    });
    // A command that cannot be spawned emits 'error' and never 'exit'.
    child.once('error', error => {
      exitCode = error.message;
      resolve();
    });
  });
  const signal = name => {
    try {
      process.kill(-child.pid, name);
    } catch {
      // gone
    }
  };
  const forgetChild = stopOnExit(() => signal('SIGKILL'));

  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      forgetChild();
      signal('SIGTERM');
      // Up to stopTimeoutMs for the group to end by itself …
      let timer;
      await Promise.race([
        exited,
        new Promise(resolve => {
          timer = setTimeout(resolve, stopTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      // … then whatever of it ignored SIGTERM.
      signal('SIGKILL');
      await exited;
      await waitForPortsFree([APP_NEXT_PORT], stopTimeoutMs);
    })();
    return stopping;
  };

  let failed = false;
  try {
    await Promise.race([
      pollUntil(
        async () => {
          const res = await fetch(APP_NEXT_URL, {
            signal: AbortSignal.timeout(30_000),
          });
          const html = await res.text();
          return res.ok && html.includes('id="root"');
        },
        `packages/app-next to serve ${APP_NEXT_URL} (${Math.round(
          timeoutMs / 1000,
        )} s)`,
        timeoutMs,
        { gaveUp: () => failed || exitCode !== undefined },
      ),
      exited.then(() => {
        throw new Error(
          `packages/app-next's dev server exited (${exitCode}) before serving ${APP_NEXT_URL}; its last output:\n${tail}`,
        );
      }),
    ]);
  } catch (e) {
    failed = true;
    await stop().catch(() => {});
    throw e;
  }
  return { url: APP_NEXT_URL, stop };
}

module.exports = {
  APP_NEXT_URL,
  APP_NEXT_PORT,
  startAppNext,
  portsInUse,
  waitForPortsFree,
};
