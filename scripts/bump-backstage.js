#!/usr/bin/env node
/*
 * Moves the Backstage packages of an npm-workspaces repository to one Backstage
 * release: what `backstage-cli versions:bump` does, which works only with Yarn.
 *
 *   node scripts/bump-backstage.js --release 1.56.0 [--manifest manifest.json] [--dry-run] [--root <dir>]
 *
 * Every @backstage/* entry in dependencies, devDependencies, peerDependencies
 * and optionalDependencies of the root package.json and of the workspaces it
 * lists takes the version of the release manifest, in its own range style
 * (^x stays ^, ~x stays ~, an exact version stays exact). Packages the
 * manifest does not list, other packages, and workspace:, * and file: specs are
 * left alone. backstage.json gets the release version.
 *
 * The manifest comes from versions.backstage.io (30 s timeout), or with
 * --manifest from a file saved from
 * https://versions.backstage.io/v1/releases/<release>/manifest.json.
 * --dry-run prints the changes without writing. On any error nothing is written.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const semver = require('semver');

/** A plain version such as 1.56.0 (no range, no leading v). */
const isVersion = value => semver.valid(value) === value;

const USAGE =
  'Usage: node scripts/bump-backstage.js --release <x.y.z> [--manifest <file.json>] [--dry-run] [--root <dir>]';
const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
];
const FETCH_TIMEOUT_MS = 30_000;
const MAX_MANIFEST_BYTES = 10 * 1024 * 1024;
const MANIFEST_SHAPE = '{ releaseVersion, packages: [{ name, version }] }';

const manifestUrl = release =>
  `https://versions.backstage.io/v1/releases/${release}/manifest.json`;

/** Specs that point inside the repository or at anything: never rewritten. */
function isLocalOrAny(spec) {
  return spec === '*' || /^(workspace|file):/.test(spec);
}

/**
 * The pure part: `packageJson` with each @backstage/* dependency the manifest
 * lists moved to the manifest's version, in the entry's own range style.
 * Returns a new object (the input is not modified), the changes made, and the
 * listed entries left alone because their spec is not ^x, ~x or an exact x.
 */
function bumpPackageJson(packageJson, manifest) {
  const versions = new Map(manifest.packages.map(p => [p.name, p.version]));
  const result = structuredClone(packageJson);
  const changes = [];
  const skipped = [];
  for (const field of DEPENDENCY_FIELDS) {
    const deps = result[field];
    if (!deps || typeof deps !== 'object') continue;
    for (const [name, spec] of Object.entries(deps)) {
      const target = versions.get(name);
      if (!name.startsWith('@backstage/') || target === undefined) continue;
      if (typeof spec === 'string' && isLocalOrAny(spec)) continue;
      // [whole, range prefix ('^', '~' or ''), version]
      const match =
        typeof spec === 'string' ? /^([\^~]?)(.*)$/.exec(spec) : null;
      if (!match || !isVersion(match[2])) {
        skipped.push({ field, name, spec, target });
        continue;
      }
      const newSpec = match[1] + target;
      if (newSpec !== spec) {
        deps[name] = newSpec;
        changes.push({ field, name, from: spec, to: newSpec });
      }
    }
  }
  return { packageJson: result, changes, skipped };
}

/** Throws, naming the first problem, unless `manifest` is a release manifest. */
function validateManifest(manifest, source) {
  const fail = problem => {
    throw new Error(
      `${source} is not a Backstage release manifest (${MANIFEST_SHAPE}): ${problem}`,
    );
  };
  const notSemver = value =>
    value === undefined
      ? 'is missing'
      : `${JSON.stringify(value)} is not a semver version`;
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) {
    fail('it is not a JSON object');
  }
  if (
    typeof manifest.releaseVersion !== 'string' ||
    !isVersion(manifest.releaseVersion)
  ) {
    fail(`releaseVersion ${notSemver(manifest.releaseVersion)}`);
  }
  if (!Array.isArray(manifest.packages) || manifest.packages.length === 0) {
    fail('packages is not a non-empty array');
  }
  const seen = new Set();
  manifest.packages.forEach((entry, i) => {
    if (!entry || typeof entry.name !== 'string' || entry.name === '') {
      fail(`packages[${i}] has no name`);
    }
    if (typeof entry.version !== 'string' || !isVersion(entry.version)) {
      fail(
        `packages[${i}] (${entry.name}) version ${notSemver(entry.version)}`,
      );
    }
    if (seen.has(entry.name)) fail(`${entry.name} is listed twice`);
    seen.add(entry.name);
  });
  return manifest;
}

function readManifestFile(file) {
  let text;
  try {
    if (fs.statSync(file).size > MAX_MANIFEST_BYTES) {
      throw new Error(`larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MB`);
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read --manifest ${file}: ${e.message}`);
  }
  let manifest;
  try {
    manifest = JSON.parse(text);
  } catch (e) {
    throw new Error(`--manifest ${file} is not valid JSON: ${e.message}`);
  }
  return validateManifest(manifest, `--manifest ${file}`);
}

/**
 * Fetches the manifest of `release` with @backstage/release-manifests. That
 * library has no timeout of its own, so every fetch it makes gets a signal
 * that also aborts when the whole lookup has taken `timeoutMs`.
 */
async function fetchManifest(
  release,
  { fetchImpl = globalThis.fetch, timeoutMs = FETCH_TIMEOUT_MS } = {},
) {
  const { getManifestByVersion } = require('@backstage/release-manifests');
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const fetchWithDeadline = async (url, options = {}) => {
    if (deadline.signal.aborted) throw new Error('timed out');
    const controller = new AbortController();
    for (const signal of [options.signal, deadline.signal]) {
      if (signal?.aborted) controller.abort();
      signal?.addEventListener('abort', () => controller.abort(), {
        once: true,
      });
    }
    return fetchImpl(url, { signal: controller.signal });
  };
  try {
    const manifest = await getManifestByVersion({
      version: release,
      fetch: fetchWithDeadline,
    });
    return validateManifest(
      manifest,
      `the manifest from ${manifestUrl(release)}`,
    );
  } catch (e) {
    const reason = deadline.signal.aborted
      ? `no answer within ${timeoutMs / 1000} s`
      : [e.message, e.cause?.message].filter(Boolean).join(': ');
    throw new Error(
      `could not fetch the release manifest of ${release} (${reason}). ` +
        `Save ${manifestUrl(release)} by hand and pass --manifest <file>.`,
    );
  } finally {
    clearTimeout(timer);
  }
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read ${file}: ${e.message}`);
  }
}

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function subdirectories(dir) {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter(
        e => (e.isDirectory() || e.isSymbolicLink()) && !e.name.startsWith('.'),
      )
      .map(e => e.name)
      .filter(name => name !== 'node_modules');
  } catch (e) {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return [];
    throw e;
  }
}

/** The directories a `workspaces` entry such as `plugins/*` names. */
function expandWorkspacePattern(root, pattern) {
  if (typeof pattern !== 'string' || /\*\*|[?[\]{}!]/.test(pattern)) {
    throw new Error(
      `workspace pattern ${JSON.stringify(
        pattern,
      )} in package.json is not supported ` +
        '(only paths whose segments may contain *)',
    );
  }
  let dirs = [root];
  for (const segment of pattern.split('/').filter(s => s !== '' && s !== '.')) {
    if (!segment.includes('*')) {
      dirs = dirs.map(dir => path.join(dir, segment));
      continue;
    }
    const escaped = segment
      .split('*')
      .map(s => s.replace(/[.+^$()|\\]/g, '\\$&'));
    const matcher = new RegExp(`^${escaped.join('.*')}$`);
    dirs = dirs.flatMap(dir =>
      subdirectories(dir)
        .filter(name => matcher.test(name))
        .map(name => path.join(dir, name)),
    );
  }
  return dirs.filter(dir => fs.existsSync(path.join(dir, 'package.json')));
}

/** The root package.json, then each workspace's, sorted by path. */
function packageJsonFiles(root, rootPackageJson) {
  const { workspaces = [] } = rootPackageJson;
  const patterns = Array.isArray(workspaces)
    ? workspaces
    : workspaces.packages ?? [];
  const dirs = new Set(
    patterns.flatMap(pattern => expandWorkspacePattern(root, pattern)),
  );
  dirs.delete(root);
  return [root, ...[...dirs].sort()].map(dir => path.join(dir, 'package.json'));
}

function parseOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        release: { type: 'string' },
        manifest: { type: 'string' },
        root: { type: 'string', default: path.resolve(__dirname, '..') },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    // e.g. "Unknown option '--foo'", without node's hint on positionals.
    throw new Error(`${e.message.replace(/\. .*$/s, '')}\n${USAGE}`);
  }
  if (values.help) return values;
  if (values.release === undefined)
    throw new Error(`--release is required\n${USAGE}`);
  if (!isVersion(values.release)) {
    throw new Error(
      `--release ${JSON.stringify(
        values.release,
      )} is not a semver version such as 1.56.0`,
    );
  }
  return values;
}

function printTable(rows) {
  const header = ['package.json', 'dependency', 'field', 'old → new'];
  const lines = [header, ...rows];
  const widths = header.map((_, i) =>
    Math.max(...lines.map(line => line[i].length)),
  );
  for (const line of lines) {
    console.log(
      line
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
  }
}

async function main(argv) {
  const options = parseOptions(argv);
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const { release, 'dry-run': dryRun } = options;
  const root = path.resolve(options.root);
  const rootPackageJsonPath = path.join(root, 'package.json');
  if (!fs.existsSync(rootPackageJsonPath)) {
    throw new Error(`--root ${root} has no package.json`);
  }

  // Read and check everything before writing anything.
  const manifest = options.manifest
    ? readManifestFile(options.manifest)
    : await fetchManifest(release);
  if (manifest.releaseVersion !== release) {
    throw new Error(
      `the manifest is for release ${manifest.releaseVersion}, not for --release ${release}`,
    );
  }
  const files = packageJsonFiles(root, readJson(rootPackageJsonPath));
  const updates = files.map(file => ({
    file,
    relative: path.relative(root, file),
    ...bumpPackageJson(readJson(file), manifest),
  }));
  const backstageJsonPath = path.join(root, 'backstage.json');
  const backstageJson = fs.existsSync(backstageJsonPath)
    ? readJson(backstageJsonPath)
    : {};
  const previousRelease = backstageJson.version;

  console.log(
    `Backstage release ${release}: ${files.length} package.json files checked in ${root}\n`,
  );
  const rows = updates.flatMap(({ relative, changes }) =>
    changes.map(c => [relative, c.name, c.field, `${c.from} → ${c.to}`]),
  );
  if (rows.length > 0) {
    printTable(rows);
    console.log(`\n${rows.length} dependencies changed.`);
  } else {
    console.log(
      `Every @backstage/* dependency the manifest lists is already at ${release}.`,
    );
  }
  for (const { relative, skipped } of updates) {
    for (const s of skipped) {
      console.log(
        `Left as is: ${relative} ${s.field} ${s.name} ${JSON.stringify(
          s.spec,
        )} ` + `(not ^x, ~x or an exact version; ${release} has ${s.target})`,
      );
    }
  }
  if (previousRelease !== release) {
    console.log(`backstage.json: ${previousRelease ?? '(none)'} → ${release}`);
  }

  if (dryRun) {
    console.log(
      '\nDry run: nothing written. Run again without --dry-run to apply.',
    );
    return;
  }
  for (const { file, changes, packageJson } of updates) {
    if (changes.length > 0) writeJson(file, packageJson);
  }
  if (previousRelease !== release) {
    writeJson(backstageJsonPath, { ...backstageJson, version: release });
  }
  console.log('\nNext:');
  console.log(
    '  1. Run `npm install` to update node_modules and package-lock.json.',
  );
  console.log(
    `  2. Read https://backstage.io/docs/releases/v${release} for breaking changes.`,
  );
  if (previousRelease && previousRelease !== release) {
    console.log(
      `  3. Review template changes: https://backstage.github.io/upgrade-helper/?from=${previousRelease}&to=${release}`,
    );
  }
}

module.exports = { bumpPackageJson, validateManifest, fetchManifest };

if (require.main === module) {
  main(process.argv.slice(2)).catch(e => {
    console.error(`bump-backstage: error: ${e.message}`);
    process.exitCode = 1;
  });
}
