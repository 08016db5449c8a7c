/*
 * The published packages: find them, build them and pack them as `npm publish`
 * would. Shared by scripts/verify-packages.js and the install test
 * (e2e/packages.test.js).
 */
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { promisify } = require('node:util');

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const BUILD_TIMEOUT_MS = 600_000;

/** Every package under plugins/ that is not private: the ones users install. */
function publishedPackages() {
  const plugins = path.join(root, 'plugins');
  return fs
    .readdirSync(plugins)
    .map(dir => path.join(plugins, dir))
    .filter(dir => fs.existsSync(path.join(dir, 'package.json')))
    .map(dir => ({
      dir,
      manifest: JSON.parse(
        fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
      ),
    }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({
      dir,
      name: manifest.name,
      version: manifest.version,
      manifest,
    }));
}

/**
 * Type declarations at the root (dist-types, which `package build` bundles into
 * each package's dist/*.d.ts), then every published package.
 */
async function buildPackages({ log = () => {} } = {}) {
  log('Type declarations (tsc at the root)');
  await run('npx', ['tsc'], {
    cwd: root,
    timeout: BUILD_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const pkg of publishedPackages()) {
    log(`Building ${pkg.name}`);
    await run('npx', ['backstage-cli', 'package', 'build'], {
      cwd: pkg.dir,
      timeout: BUILD_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
    });
  }
}

/**
 * `backstage-cli package prepack` rewrites package.json for publishing and
 * keeps the original as package.json-prepack until postpack puts it back. A
 * pack that failed or was killed in between leaves the rewritten one, whose
 * entry points are dist/: put the original back.
 */
function restorePrepackedManifest(dir) {
  const saved = path.join(dir, 'package.json-prepack');
  if (fs.existsSync(saved))
    fs.renameSync(saved, path.join(dir, 'package.json'));
}

/**
 * `npm pack` of every published package into `destination` (its prepack and
 * postpack scripts rewrite package.json as publishing does). Returns each
 * package with the path of its tarball.
 */
async function packPackages(destination, { log = () => {} } = {}) {
  fs.mkdirSync(destination, { recursive: true });
  const packed = [];
  for (const pkg of publishedPackages()) {
    log(`Packing ${pkg.name}`);
    restorePrepackedManifest(pkg.dir);
    try {
      const { stdout } = await run(
        'npm',
        ['pack', '--json', '--pack-destination', destination],
        {
          cwd: pkg.dir,
          timeout: BUILD_TIMEOUT_MS,
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      // npm prints the prepack script's output before the JSON report.
      const report = JSON.parse(stdout.slice(stdout.indexOf('[')));
      packed.push({
        ...pkg,
        tarball: path.join(destination, report[0].filename),
      });
    } finally {
      restorePrepackedManifest(pkg.dir);
    }
  }
  return packed;
}

module.exports = { root, publishedPackages, buildPackages, packPackages };
