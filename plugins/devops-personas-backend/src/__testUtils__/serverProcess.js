/*
 * Running a throw-away server process for the tests and the example portal
 * (Prometheus, see prometheusServer.js): finding its binary, a loopback port
 * for it, starting it with the end of its log kept, waiting until it is
 * ready, and stopping it — also when this process exits or is interrupted —
 * and removing its working directory; and running one from the command line
 * until Ctrl-C. scripts/start-portal.js stops its own processes with
 * stopOnExit from here too, so that one set of exit hooks ends them all.
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const STOP_TIMEOUT_MS = 5_000;
// What is kept of a process's own output, to say why it failed.
const LOG_TAIL_CHARS = 8_000;

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The path of a binary, or null when none is installed. `fromEnv` (the value
 * of an environment variable naming it), when set, is the only candidate.
 * Otherwise the first of `names` (the Debian package's binary) is looked for
 * in /usr/bin, even when PATH lacks it, and then every name in each PATH
 * directory in turn.
 */
function findBinary(fromEnv, names) {
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : null;
  const candidates = [`/usr/bin/${names[0]}`];
  for (const dir of (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)) {
    for (const name of names) candidates.push(path.join(dir, name));
  }
  return candidates.find(isExecutable) ?? null;
}

/** The first line `<binary> --version` prints, or null (no binary, or it failed). */
function versionLine(binary) {
  if (!binary) return null;
  try {
    const out = execFileSync(binary, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return out.split('\n')[0].trim();
  } catch {
    return null;
  }
}

/**
 * Resolves to `port` if nothing listens on 127.0.0.1:`port`, or, for port 0,
 * to a free one. A taken port is refused with a message saying that
 * `serverName` needs it.
 */
function claimableLoopbackPort(port, serverName) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', error =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${port} on 127.0.0.1 is in use: ${serverName} needs it. Stop what listens there and try again.`,
            )
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => {
      const claimed = server.address().port;
      server.close(() => resolve(claimed));
    });
  });
}

// The synchronous stoppers of everything still running, for exit and signals.
const stoppers = new Set();
let exitHooksInstalled = false;

function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const stopNow of stoppers) stopNow();
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    const onSignal = () => {
      for (const stopNow of stoppers) stopNow();
      // Let the signal do what it would have done without this listener.
      process.removeListener(signal, onSignal);
      if (process.listenerCount(signal) === 0)
        process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/**
 * Calls `stopNow` when this process exits or receives SIGINT or SIGTERM
 * (after which the signal takes its usual course unless someone else
 * listens for it). `stopNow` must be synchronous: nothing can be waited for
 * there. Returns a function that undoes the registration.
 */
function stopOnExit(stopNow) {
  stoppers.add(stopNow);
  installExitHooks();
  return () => {
    stoppers.delete(stopNow);
  };
}

/**
 * Keeps the last 8,000 characters that `child` writes to its (piped) stdout
 * and stderr, and passes every chunk on to the stream `log`, if given.
 * Returns `{ text, append }`: `text()` is what is kept, `append(line)` adds a
 * line of one's own (such as why the process could not be started).
 */
function keepOutputTail(child, log) {
  let kept = '';
  const keep = text => {
    kept = (kept + text).slice(-LOG_TAIL_CHARS);
  };
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', chunk => {
      keep(chunk);
      log?.write(chunk);
    });
  }
  return { text: () => kept, append: line => keep(`\n${line}`) };
}

async function waitUntilReady({ name, readyUrl, timeoutMs, child, logTail }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${name} exited (${
          child.exitCode ?? child.signalCode
        }) before it was ready:\n${logTail()}`,
      );
    }
    try {
      const response = await fetch(readyUrl, {
        signal: AbortSignal.timeout(1_000),
      });
      // Read to the end, so that the connection is not left hanging.
      await response.text();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(
    `${name} was not ready at ${readyUrl} within ${
      timeoutMs / 1000
    }s:\n${logTail()}`,
  );
}

/**
 * Starts `binary` with `args` and waits until `readyUrl` answers with a 2xx
 * status, for at most `readyTimeoutMs`; `name` names the server in errors,
 * which end with the end of its log. `log`, a writable stream, receives its
 * whole output. `workDir`, the server's own temporary directory, is removed
 * when it stops (also when it does not get ready).
 *
 * Resolves to `{ stop, logTail }`: `stop()` ends it (SIGTERM, SIGKILL after
 * 5 s) and removes `workDir`, resolving once it has exited (calling it again
 * returns the same promise); `logTail()` returns the end of its log. It is
 * also stopped (SIGKILL) when this process exits or is interrupted, which
 * cuts short a `stop()` under way. Neither it nor its pipes keep this process
 * alive.
 */
async function startServerProcess({
  name,
  binary,
  args,
  workDir,
  readyUrl,
  readyTimeoutMs,
  log,
}) {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // The exit hooks stop it when nobody else does.
  child.unref();
  const output = keepOutputTail(child, log);
  for (const stream of [child.stdout, child.stderr]) stream.unref?.();
  child.once('error', error => output.append(error.message));
  const exited = new Promise(resolve => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  const alive = () => child.exitCode === null && child.signalCode === null;
  const removeWorkDir = () =>
    fs.rmSync(workDir, { recursive: true, force: true });
  const forget = stopOnExit(() => {
    forget();
    if (alive()) child.kill('SIGKILL');
    removeWorkDir();
  });
  let stopping = null;
  const stop = () => {
    stopping ??= (async () => {
      if (alive()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      removeWorkDir();
      forget();
    })();
    return stopping;
  };

  try {
    await waitUntilReady({
      name,
      readyUrl,
      timeoutMs: readyTimeoutMs,
      child,
      logTail: output.text,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop, logTail: output.text };
}

/**
 * For a script's command line: once `starting` (the promise of a start
 * function above) resolves, prints `describe(server)` and keeps this process
 * alive (the server and its pipes do not) until Ctrl-C or SIGTERM, whose exit
 * hooks stop the server; if it rejects, prints why and exits with status 1.
 */
function serveUntilInterrupted(starting, describe) {
  starting.then(
    server => {
      console.log(`${describe(server)} Ctrl-C stops it.`);
      setInterval(() => {}, 1 << 30);
    },
    error => {
      console.error(error.message);
      process.exit(1);
    },
  );
}

module.exports = {
  findBinary,
  versionLine,
  claimableLoopbackPort,
  stopOnExit,
  keepOutputTail,
  startServerProcess,
  serveUntilInterrupted,
};
