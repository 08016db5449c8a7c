#!/usr/bin/env node
/*
 * What users install, checked before anyone publishes it: builds every
 * published package, packs it with `npm pack` (as `npm publish` would) and
 * reads the tarball:
 *   - every import in dist/ resolves: relative ones to a shipped file, bare
 *     ones to a declared dependency or peer dependency (or a Node built-in);
 *   - main, module, types, exports (e.g. /alpha) and typesVersions point at
 *     shipped files;
 *   - a backend plugin ships its migrations/ and every package with a
 *     config.d.ts its config schema;
 *   - README, LICENSE and CHANGELOG are there; no tests, fixtures, sources or
 *     paths outside the package;
 *   - name, license, repository, homepage, bugs and keywords are set, and
 *     dependencies between our packages are ranges that the current versions
 *     satisfy.
 *
 *   node scripts/verify-packages.js [--out <dir>] [--no-build] [--report <file>]
 *
 * --out keeps the tarballs there (the install test in e2e/ uses them);
 * --no-build packs what dist/ holds already; --report writes the counts as
 * JSON ({ passed, failed }) for the test command's summary.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const { builtinModules } = require('node:module');
const { parseArgs } = require('node:util');
const os = require('node:os');
const path = require('node:path');
const semver = require('semver');
const { buildPackages, packPackages } = require('./lib/packages');

const SCOPE = '@devops-personas/';
const REQUIRED_FILES = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];
const FORBIDDEN = [
  [/\.test\.[cm]?[jt]sx?$/, 'a test file'],
  [/(^|\/)__(fixtures|testUtils|mocks)__\//, 'a test fixture or helper'],
  [/(^|\/)src\//, 'source code (only dist/ is published)'],
  [/(^|\/)node_modules\//, 'node_modules'],
  [/\.tsbuildinfo$|(^|\/)dist-types\//, 'build state'],
];
const IMPORT_PATTERNS = [
  /\brequire(?:\.resolve)?\(\s*['"]([^'"\n]+)['"]\s*[,)]/g,
  /\bfrom\s+['"]([^'"\n]+)['"]/g,
  /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g,
  /^\s*import\s+['"]([^'"\n]+)['"]/gm,
];
const BUILTINS = new Set(builtinModules);

function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function listFiles(dir, prefix = '') {
  const out = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), {
    withFileTypes: true,
  })) {
    const relative = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(dir, relative));
    else out.push(relative);
  }
  return out;
}

/** The paths an `exports` value points at, through conditions and subpaths. */
function exportTargets(value) {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') {
    // The `backstage` condition names the feature type (e.g. @backstage/FrontendPlugin), not a file.
    return Object.entries(value)
      .filter(([condition]) => condition !== 'backstage')
      .flatMap(([, target]) => exportTargets(target));
  }
  return [];
}

function resolvesRelative(files, fromFile, specifier) {
  const base = path.posix.normalize(
    path.posix.join(path.posix.dirname(fromFile), specifier),
  );
  const candidates = [
    base,
    `${base}.js`,
    `${base}.d.ts`,
    `${base}/index.js`,
    `${base}/index.d.ts`,
  ];
  if (base.endsWith('.js')) candidates.push(base.replace(/\.js$/, '.d.ts'));
  return candidates.some(candidate => files.has(candidate));
}

/** The problems of one unpacked tarball (`dir` is its `package/` folder). */
function checkPackage({ dir, entries, sourceDir, versions }) {
  const problems = [];
  const manifest = JSON.parse(
    fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
  );
  const files = new Set(listFiles(dir));

  for (const entry of entries) {
    if (!entry.startsWith('package/') || entry.split('/').includes('..')) {
      problems.push(`${entry}: a path outside the package`);
    }
  }
  for (const file of files) {
    for (const [pattern, what] of FORBIDDEN) {
      if (pattern.test(file)) problems.push(`${file}: ${what} is published`);
    }
  }
  for (const file of REQUIRED_FILES) {
    if (!files.has(file)) problems.push(`${file} is missing`);
  }

  // What the registry and Backstage's tooling read.
  if (!manifest.name?.startsWith(SCOPE))
    problems.push(`name ${manifest.name} is not under ${SCOPE}`);
  if (manifest.license !== 'Apache-2.0')
    problems.push(`license is ${manifest.license}, not Apache-2.0`);
  if (!manifest.repository?.url || !manifest.repository?.directory) {
    problems.push('repository.url and repository.directory are required');
  }
  if (!manifest.homepage) problems.push('homepage is missing');
  if (!manifest.bugs?.url) problems.push('bugs.url is missing');
  for (const keyword of ['backstage', 'backstage-plugin']) {
    if (!manifest.keywords?.includes(keyword))
      problems.push(`keyword ${keyword} is missing`);
  }
  if (!manifest.backstage?.role || !manifest.backstage?.pluginId) {
    problems.push('backstage.role and backstage.pluginId are required');
  }
  if (manifest.publishConfig?.access !== 'public')
    problems.push('publishConfig.access is not public');

  // Entry points.
  for (const field of ['main', 'module', 'types']) {
    const target = manifest[field];
    if (target !== undefined && !files.has(path.posix.normalize(target))) {
      problems.push(`${field} points at ${target}, which is not shipped`);
    }
    if (
      target !== undefined &&
      !path.posix.normalize(target).startsWith('dist/')
    ) {
      problems.push(`${field} points at ${target}, outside dist/`);
    }
  }
  const sourceManifest = JSON.parse(
    fs.readFileSync(path.join(sourceDir, 'package.json'), 'utf8'),
  );
  for (const subpath of Object.keys(sourceManifest.exports ?? {})) {
    if (!manifest.exports?.[subpath])
      problems.push(`exports["${subpath}"] is lost when packed`);
  }
  for (const [subpath, value] of Object.entries(manifest.exports ?? {})) {
    for (const target of exportTargets(value)) {
      if (!files.has(path.posix.normalize(target))) {
        problems.push(
          `exports["${subpath}"] points at ${target}, which is not shipped`,
        );
      }
    }
    const name = subpath.replace(/^\.\/?/, '');
    if (name && name !== 'package.json') {
      const typesTargets = manifest.typesVersions?.['*']?.[name];
      if (!typesTargets?.length)
        problems.push(`typesVersions has no entry for ./${name}`);
      for (const target of typesTargets ?? []) {
        if (!files.has(path.posix.normalize(target))) {
          problems.push(
            `typesVersions ./${name} points at ${target}, which is not shipped`,
          );
        }
      }
    }
  }

  // What a backend needs at runtime besides code.
  if (fs.existsSync(path.join(sourceDir, 'config.d.ts'))) {
    if (!manifest.configSchema)
      problems.push('config.d.ts exists but configSchema is not set');
    else if (!files.has(manifest.configSchema))
      problems.push(`configSchema ${manifest.configSchema} is not shipped`);
  }
  const migrations = path.join(sourceDir, 'migrations');
  if (fs.existsSync(migrations)) {
    for (const file of fs.readdirSync(migrations)) {
      if (!files.has(`migrations/${file}`))
        problems.push(`migrations/${file} is not shipped`);
    }
  }

  // Dependencies between our packages: ranges the released versions satisfy.
  const declared = { ...manifest.peerDependencies, ...manifest.dependencies };
  for (const [name, range] of Object.entries(declared)) {
    if (!name.startsWith(SCOPE)) continue;
    if (semver.valid(range))
      problems.push(`dependency ${name} is pinned to ${range}, not a range`);
    else if (versions[name] && !semver.satisfies(versions[name], range)) {
      problems.push(
        `dependency ${name}@${range} does not accept its version ${versions[name]}`,
      );
    }
  }

  // Every import of the published code and types.
  for (const file of files) {
    // The code that runs: dist/ and the migrations the backend loads.
    if (
      !/^(dist|migrations)\//.test(file) ||
      !/\.(c|m)?js$|\.d\.ts$/.test(file)
    )
      continue;
    let text = fs.readFileSync(path.join(dir, file), 'utf8');
    // Template literals hold text shown to people (install snippets), not imports.
    if (!file.endsWith('.d.ts'))
      text = text.replace(/`(?:\\[\s\S]|[^`\\])*`/g, '``');
    const specifiers = new Set();
    for (const pattern of IMPORT_PATTERNS) {
      for (const match of text.matchAll(pattern)) specifiers.add(match[1]);
    }
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) {
        if (!resolvesRelative(files, file, specifier))
          problems.push(`${file} imports ${specifier}, which is not shipped`);
        continue;
      }
      if (
        specifier.startsWith('node:') ||
        BUILTINS.has(packageNameOf(specifier))
      )
        continue;
      const name = packageNameOf(specifier);
      if (name === manifest.name || declared[name]) continue;
      problems.push(
        `${file} imports ${specifier}, but ${name} is not a dependency`,
      );
    }
  }
  return problems;
}

async function main() {
  // strict: an unknown option or a missing value is an error that names it.
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      report: { type: 'string' },
      'no-build': { type: 'boolean' },
    },
  });
  const out = values.out
    ? path.resolve(values.out)
    : fs.mkdtempSync(path.join(os.tmpdir(), 'dp-packs-'));
  const log = message => console.log(`  ${message}`);
  try {
    return await checkAll({
      out,
      report: values.report,
      build: !values['no-build'],
      log,
    });
  } finally {
    // Tarballs are kept only where --out asked for them.
    if (!values.out) fs.rmSync(out, { recursive: true, force: true });
  }
}

async function checkAll({ out, report, build, log }) {
  if (build) await buildPackages({ log });
  const packed = await packPackages(out, { log });
  const versions = Object.fromEntries(
    packed.map(pkg => [pkg.name, pkg.version]),
  );

  let failed = 0;
  console.log('\nPackage checks:');
  for (const pkg of packed) {
    const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-unpacked-'));
    try {
      const entries = execFileSync('tar', ['-tzf', pkg.tarball], {
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean);
      execFileSync('tar', ['-xzf', pkg.tarball, '-C', unpacked]);
      const problems = checkPackage({
        dir: path.join(unpacked, 'package'),
        entries,
        sourceDir: pkg.dir,
        versions,
      });
      const size = `${(fs.statSync(pkg.tarball).size / 1024).toFixed(0)} kB`;
      console.log(
        `  ${problems.length ? 'FAIL' : 'ok  '} ${pkg.name}@${pkg.version} (${
          entries.length
        } files, ${size})`,
      );
      for (const problem of problems) console.log(`       - ${problem}`);
      if (problems.length) failed += 1;
    } finally {
      fs.rmSync(unpacked, { recursive: true, force: true });
    }
  }
  console.log(`packages: ${packed.length - failed} passed, ${failed} failed`);
  if (report)
    fs.writeFileSync(
      report,
      JSON.stringify({ passed: packed.length - failed, failed }),
    );
  return failed === 0 ? 0 : 1;
}

module.exports = { checkPackage };

if (require.main === module) {
  main().then(
    code => process.exit(code),
    error => {
      // A failed build prints its compiler output; anything else its message.
      console.error(error.stderr?.toString() || error.message || error);
      process.exit(1);
    },
  );
}
