#!/usr/bin/env node
/*
 * The whole test suite, as the README's test command and CI run it:
 *   1. a throw-away PostgreSQL 15 cluster (stopped afterwards, also on failure),
 *   2. the published packages built, packed and checked
 *      (scripts/verify-packages.js),
 *   3. every unit, component and backend test (`backstage-cli repo test`),
 *      store tests on SQLite and on that PostgreSQL,
 *   4. the end-to-end tests: the example portal in headless Chromium, and the
 *      packed packages of step 2 installed into an empty npm project.
 * `npm test -- --no-e2e` skips step 4.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startPostgres } = require('./postgres');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const withE2e = !args.includes('--no-e2e');
const POSTGRES_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

// The step running now: its own process group (npx and jest, or node --test
// and the portal it starts), ended as a whole on SIGINT or SIGTERM.
let current;

function run(cmd, cmdArgs, env) {
  return new Promise(resolve => {
    // No stdin: a detached group is not the terminal's foreground group.
    const child = spawn(cmd, cmdArgs, {
      cwd: root,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    current = child;
    child.on('exit', code => {
      current = undefined;
      resolve(code ?? 1);
    });
  });
}

function jestCounts(file) {
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests + report.numRuntimeErrorTestSuites,
    };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

function reportCounts(file) {
  try {
    const { passed, failed } = JSON.parse(fs.readFileSync(file, 'utf8'));
    return { passed, failed };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

function tapCounts(file) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const count = name =>
      Number((text.match(new RegExp(`^# ${name} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
    return {
      passed: count('pass'),
      failed: count('fail') + count('cancelled'),
    };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

async function main() {
  let postgres;
  // Reports and packed tarballs of this run, removed at the end.
  let work;
  const stopPostgres = () => postgres?.stop();
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      try {
        if (current) process.kill(-current.pid, signal);
      } catch {
        // already gone
      }
      stopPostgres();
      if (work) fs.rmSync(work, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  // DEVOPS_PERSONAS_TEST_STRICT: the plugins' tests treat a missing PostgreSQL
  // (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING), Prometheus and
  // promtool (Debian package prometheus) or Alertmanager
  // (prometheus-alertmanager) as an error naming what to install. Without it,
  // as in a host repository the plugins are copied into, their store tests
  // run on SQLite only and the suites needing those servers are skipped; here
  // nothing is ever skipped.
  const env = {
    ...process.env,
    CI: process.env.CI || 'true',
    DEVOPS_PERSONAS_TEST_STRICT: 'true',
  };
  try {
    if (!env[POSTGRES_ENV]) {
      postgres = await startPostgres();
      env[POSTGRES_ENV] = postgres.connectionString;
      console.log(`PostgreSQL 15 for the tests: ${postgres.connectionString}`);
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-tests-'));
    const packs = path.join(work, 'packs');
    const packagesReport = path.join(work, 'packages.json');
    const packagesCode = await run(
      'node',
      [
        'scripts/verify-packages.js',
        '--out',
        packs,
        '--report',
        packagesReport,
      ],
      env,
    );
    const packages = reportCounts(packagesReport);
    if (packagesCode !== 0 && packages.failed === 0) packages.failed = 1;
    // The install test of e2e/ installs these tarballs instead of packing again.
    env.DEVOPS_PERSONAS_PACKED_DIR = packs;

    const report = path.join(work, 'jest.json');
    const unitCode = await run(
      'npx',
      ['backstage-cli', 'repo', 'test', '--json', `--outputFile=${report}`],
      env,
    );
    const unit = jestCounts(report);
    if (unitCode !== 0 && unit.failed === 0) unit.failed = 1;

    let e2e = { passed: 0, failed: 0 };
    if (withE2e) {
      const tap = path.join(path.dirname(report), 'e2e.tap');
      const e2eCode = await run(
        'node',
        [
          '--test',
          // One file at a time: the portal tests share ports 3000, 3001, 7007, 9091.
          '--test-concurrency=1',
          // A hung hook or test fails instead of holding CI.
          '--test-timeout=900000',
          '--test-reporter=spec',
          '--test-reporter-destination=stdout',
          '--test-reporter=tap',
          `--test-reporter-destination=${tap}`,
          'e2e/',
        ],
        env,
      );
      e2e = tapCounts(tap);
      if (e2eCode !== 0 && e2e.failed === 0) e2e.failed = 1;
    }
    const passed = packages.passed + unit.passed + e2e.passed;
    const failed = packages.failed + unit.failed + e2e.failed;
    console.log(
      `\nPackage checks: ${packages.passed} passed, ${packages.failed} failed`,
    );
    console.log(
      `Unit, component and backend tests: ${unit.passed} passed, ${unit.failed} failed`,
    );
    if (withE2e)
      console.log(
        `End-to-end tests: ${e2e.passed} passed, ${e2e.failed} failed`,
      );
    console.log(`tests: ${passed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
  } finally {
    stopPostgres();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  code => process.exit(code),
  e => {
    console.error(e);
    process.exit(1);
  },
);
