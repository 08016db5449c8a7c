/*
 * What /proc says about the processes a script started: the benchmarks find
 * the backend's own node process (under npm and backstage-cli) by the socket
 * it listens on, and read its memory.
 */
const fs = require('node:fs');
const path = require('node:path');

/** Pids of the direct and indirect children of `rootPid`. */
function descendants(rootPid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  const found = [];
  for (const queue = [rootPid]; queue.length; ) {
    for (const child of children.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Inodes of the sockets listening on `port` (IPv4 and IPv6). */
function listeningInodes(port) {
  const inodes = new Set();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines = [];
    try {
      lines = fs.readFileSync(file, 'utf8').trim().split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      // State 0A is LISTEN; the local address ends in the port, in hex.
      if (f[3] === '0A' && parseInt(f[1].split(':').pop(), 16) === port)
        inodes.add(f[9]);
    }
  }
  return inodes;
}

/** The one of `pids` that holds the socket listening on `port`, or undefined. */
function listenerAmong(pids, port) {
  const inodes = listeningInodes(port);
  for (const pid of pids) {
    try {
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        const socket = /^socket:\[(\d+)\]$/.exec(
          fs.readlinkSync(`/proc/${pid}/fd/${fd}`),
        );
        if (socket && inodes.has(socket[1])) return pid;
      }
    } catch {
      // gone, or not ours to read
    }
  }
  return undefined;
}

/** VmRSS and VmHWM (the peak) of a process, in kB; undefined when it is gone. */
function memoryOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kB = name =>
      Number(
        new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN,
      );
    return { rss: kB('VmRSS'), hwm: kB('VmHWM') };
  } catch {
    return undefined;
  }
}

/** A process's command line, shortened, for a log line. */
function commandOf(pid) {
  try {
    return fs
      .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter(Boolean)
      .map(a => path.basename(a))
      .join(' ')
      .slice(0, 100);
  } catch {
    return '?';
  }
}

module.exports = { descendants, listenerAmong, memoryOf, commandOf };
