/*
 * Runs the real example backend (`npm --workspace backend start`) for the
 * benchmark and the load test: a generated catalog, a config file layered
 * over app-config.yaml, readiness checks over HTTP. Each backend runs in its
 * own process group (npm, backstage-cli and the backend's node process), so
 * that stopping or killing it reaches all three and leaves no orphan behind.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');

// Process groups of the backends started here and not yet stopped, for killAll().
const running = new Set();

/**
 * SIGKILLs every backend started here that is still running; synchronous, so
 * that it works in a process 'exit' handler (Ctrl-C, a crash). The backends
 * run in their own process groups, so a Ctrl-C in the terminal does not reach
 * them by itself.
 */
function killAll() {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  running.clear();
}

const component = i => `svc-${String(i).padStart(5, '0')}`;

const system = s => `sys-${s}`;
const domain = d => `dom-${d}`;

/**
 * `entities` Components (svc-00000, …) with a tech lead, grouped into Systems
 * of `systemSize` (sys-0, …); with `domainSize`, the Systems are grouped into
 * Domains of that many Systems (dom-0, …, named by each System's
 * `spec.domain`). Component i is in System floor(i / systemSize), System s in
 * Domain floor(s / domainSize). `annotations(i)`, if given, returns more
 * annotations of Component i (an object of strings, or nothing).
 */
function catalogYaml(entities, systemSize, domainSize, annotations) {
  const docs = [];
  const systems = Math.ceil(entities / systemSize);
  if (domainSize) {
    for (let d = 0; d * domainSize < systems; d++) {
      docs.push(`apiVersion: backstage.io/v1alpha1\nkind: Domain\nmetadata:\n  name: ${domain(d)}\nspec:\n  owner: bench`);
    }
  }
  for (let s = 0; s < systems; s++) {
    const inDomain = domainSize ? `\n  domain: ${domain(Math.floor(s / domainSize))}` : '';
    docs.push(`apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: ${system(s)}\nspec:\n  owner: bench${inDomain}`);
  }
  for (let i = 0; i < entities; i++) {
    // JSON strings are YAML scalars: no quoting rules to get wrong.
    const extra = Object.entries(annotations?.(i) ?? {})
      .map(([key, value]) => `\n    ${JSON.stringify(key)}: ${JSON.stringify(String(value))}`)
      .join('');
    docs.push(
      `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${component(i)}\n  annotations:\n    devops-personas.io/tech-lead: bench-user${extra}\nspec:\n  type: service\n  lifecycle: production\n  owner: bench\n  system: ${system(Math.floor(i / systemSize))}`,
    );
  }
  return docs.join('\n---\n');
}

const isPlainObject = value => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `base` with `extra` laid over it: objects are merged key by key, anything else in `extra` replaces. */
function mergeConfig(base, extra) {
  if (!isPlainObject(base) || !isPlainObject(extra)) return extra;
  const merged = { ...base };
  for (const [key, value] of Object.entries(extra)) merged[key] = Object.hasOwn(base, key) ? mergeConfig(base[key], value) : value;
  return merged;
}

/** Polls `check` until it resolves truthy; a throwing check counts as "not yet". */
async function waitFor(check, what, timeoutMs, intervalMs = 1000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not ready
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, intervalMs));
  }
}

/**
 * Starts a backend on `port` with `database` (backend.database config) and a
 * static external-access `token`; resolves once the plugin is healthy and the
 * catalog (written to `dir`/catalog.yaml; see catalogYaml for `entities`,
 * `systemSize` and the optional `domainSize` and `annotations`) is processed,
 * relations included (checked on sys-0; other Systems and Domains may still
 * be settling). `extraConfig`, if given, is merged over the backend config
 * written here (e.g. `{ devopsPersonas: { sources: … } }`).
 *
 * Several backends may share `dir`: they then share one catalog file, which
 * matters when they share a database, since two replicas naming different
 * catalog locations would fight over the same entities.
 *
 * Resolves to a handle: `baseUrl` (…/api/devops-personas), `catalogMs`,
 * `stop()` (SIGTERM to the group, returns at once), `stopAndWait()` (SIGTERM,
 * then SIGKILL for stragglers), `killAndWait()` (SIGKILL to the group, as a
 * crash would; resolves once the port is closed) and `restart()` (starts it
 * again on the same config and log; resolves once it answers for the catalog).
 */
async function startBackend({
  dir,
  port,
  database,
  token,
  subject,
  entities,
  systemSize = 50,
  domainSize,
  annotations,
  extraConfig,
  configFile = path.join(dir, 'backend.json'),
  logFile = path.join(dir, 'backend.log'),
  pollMs = 1000,
  catalogTimeoutMs = 900_000,
}) {
  const baseUrl = `http://localhost:${port}/api/devops-personas`;
  const catalogFile = path.join(dir, 'catalog.yaml');
  const catalog = catalogYaml(entities, systemSize, domainSize, annotations);
  // Rewriting an identical file under a running replica could let it read a half-written one.
  if (!fs.existsSync(catalogFile) || fs.readFileSync(catalogFile, 'utf8') !== catalog) {
    fs.writeFileSync(catalogFile, catalog);
  }
  const config = {
    backend: {
      baseUrl: `http://localhost:${port}`,
      listen: { port },
      database,
      auth: { externalAccess: [{ type: 'static', options: { token, subject } }] },
    },
    catalog: {
      rules: [{ allow: ['Component', 'System', 'Domain', 'Location'] }],
      locations: [{ type: 'file', target: catalogFile }],
    },
    // The notification run only when a script asks for it (the scheduler's
    // trigger route), never in the middle of what it measures.
    devopsPersonas: {
      notifications: {
        schedule: { frequency: { trigger: 'manual' }, initialDelay: { seconds: 0 }, timeout: { minutes: 60 } },
      },
    },
  };
  fs.writeFileSync(configFile, JSON.stringify(extraConfig ? mergeConfig(config, extraConfig) : config));
  const auth = { Authorization: `Bearer ${token}` };

  let child;
  let exited;
  const spawnChild = () => {
    child = spawn(
      'npm',
      ['--workspace', 'backend', 'start', '--', '--config', path.join(root, 'app-config.yaml'), '--config', configFile],
      { cwd: root, detached: true, env: { ...process.env, FORCE_COLOR: '0' } },
    );
    // Appends, so that a restarted backend's log follows the killed one's.
    const log = fs.createWriteStream(logFile, { flags: 'a' });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    exited = new Promise(resolve => child.once('exit', resolve));
    running.add(child.pid);
  };
  const signal = name => {
    try {
      process.kill(-child.pid, name);
    } catch {
      // gone
    }
  };
  const stop = () => signal('SIGTERM');
  // `full`: also wait for the catalog's entities and relations (a first start).
  const ready = async full => {
    await waitFor(async () => (await fetch(`${baseUrl}/health`)).ok, 'the backend', 180_000, pollMs);
    const last = `${baseUrl}/v1/entities/component/default/${component(entities - 1)}/personas`;
    const t0 = Date.now();
    await waitFor(async () => (await fetch(last, { headers: auth })).ok, 'the catalog', catalogTimeoutMs, pollMs);
    if (full) {
      await waitFor(
        async () => {
          const res = await fetch(`${baseUrl}/v1/entities/system/default/sys-0/kpis`, { headers: auth });
          return res.ok && (await res.json()).entities.length > 1;
        },
        'the catalog relations',
        catalogTimeoutMs,
        pollMs,
      );
    }
    return Date.now() - t0;
  };
  const start = async (full = true) => {
    spawnChild();
    try {
      return await ready(full);
    } catch (e) {
      stop();
      throw new Error(`${e.message}; see ${logFile}`);
    }
  };
  /** Resolves once nothing answers on the port any more (the backend's own process is gone too). */
  const portClosed = () =>
    waitFor(
      async () => {
        try {
          await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(1000) });
          return false;
        } catch {
          return true;
        }
      },
      `port ${port} to close`,
      30_000,
      100,
    );

  const catalogMs = await start();
  return {
    port,
    baseUrl,
    logFile,
    catalogMs,
    get pid() {
      return child.pid;
    },
    stop,
    async killAndWait() {
      signal('SIGKILL');
      await exited;
      await portClosed();
      running.delete(child.pid);
    },
    /** SIGTERM, then SIGKILL for whatever of the group is still there after `timeoutMs`. */
    async stopAndWait(timeoutMs = 20_000) {
      stop();
      let timer;
      const timeout = new Promise(resolve => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.all([exited, portClosed()]).catch(() => {}), timeout]);
      clearTimeout(timer);
      signal('SIGKILL');
      running.delete(child.pid);
    },
    // The catalog is in the database already; a System's KPIs would read every
    // event stored meanwhile, which is not what a restart should wait for.
    restart: () => start(false),
  };
}

module.exports = { root, component, system, domain, catalogYaml, waitFor, startBackend, killAll };
