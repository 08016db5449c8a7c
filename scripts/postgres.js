/*
 * Starts and stops a throw-away PostgreSQL 15 cluster for the tests: a
 * temporary data directory, a free loopback port, trust auth. PostgreSQL
 * refuses to run as root, so as root it runs as the `postgres` user.
 */
const { execFile, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

function findPostgresBin() {
  const candidates = [];
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    for (const version of fs.readdirSync(root).sort().reverse()) {
      candidates.push(path.join(root, version, 'bin'));
    }
  }
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, 'initdb'))) return dir;
  }
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql; install the Debian package postgresql-15',
  );
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function run(bin, args) {
  const [cmd, cmdArgs] = isRoot
    ? ['runuser', ['-u', 'postgres', '--', bin, ...args]]
    : [bin, args];
  return execFileSync(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `run`, without blocking the event loop (for callers that serve requests meanwhile). */
function runAsync(bin, args) {
  const [cmd, cmdArgs] = isRoot
    ? ['runuser', ['-u', 'postgres', '--', bin, ...args]]
    : [bin, args];
  return new Promise((resolve, reject) => {
    execFile(cmd, cmdArgs, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(bin)} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/**
 * Restarts a running cluster with `pg_ctl restart -m fast`: open sessions
 * are ended (their transactions rolled back) and new ones refused until it
 * is back; resolves once it accepts connections again. It keeps the options
 * it was started with (pg_ctl reads them from postmaster.opts). For the load
 * test, which restarts the database under a running backend.
 */
function restartPostgres(dataDir, logFile) {
  return runAsync(path.join(findPostgresBin(), 'pg_ctl'), [
    '-D', dataDir, '-w', '-m', 'fast', '-l', logFile, 'restart',
  ]);
}

/**
 * Starts a cluster; resolves to `{ connectionString, stop, restart }`.
 */
async function startPostgres() {
  const bin = findPostgresBin();
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'devops-personas-pg-'));
  const dataDir = path.join(parent, 'data');
  if (isRoot) execFileSync('chown', ['postgres:postgres', parent]);
  const port = await freePort();
  run(path.join(bin, 'initdb'), [
    '-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8',
  ]);
  run(path.join(bin, 'pg_ctl'), [
    '-D', dataDir, '-w', '-l', path.join(parent, 'server.log'),
    '-o', `-p ${port} -k ${parent} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    'start',
  ]);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } catch (e) {
      console.error(`Could not stop PostgreSQL: ${e.message}`);
    }
    fs.rmSync(parent, { recursive: true, force: true });
  };
  return {
    connectionString: `postgresql://postgres@127.0.0.1:${port}`,
    stop,
    restart: () => restartPostgres(dataDir, path.join(parent, 'server.log')),
  };
}

module.exports = { startPostgres, restartPostgres };

if (require.main === module) {
  // `node scripts/postgres.js` starts a cluster for manual testing and stops it on Ctrl-C.
  startPostgres().then(({ connectionString, stop }) => {
    console.log(connectionString);
    const end = () => { stop(); process.exit(0); };
    process.on('SIGINT', end);
    process.on('SIGTERM', end);
    setInterval(() => {}, 1 << 30);
  });
}
