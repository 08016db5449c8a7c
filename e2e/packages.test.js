/*
 * The packed packages as a user installs them: the tarballs of the backend,
 * common, node, catalog module and event sources are installed with npm into
 * an empty project outside this repository (dependencies from the registry),
 * and loaded from there. `npm test` passes the tarballs that
 * scripts/verify-packages.js checked (DEVOPS_PERSONAS_PACKED_DIR); run alone,
 * the test builds and packs them itself.
 */
const { before, after, describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');
const {
  buildPackages,
  packPackages,
  publishedPackages,
} = require('../scripts/lib/packages');

const run = promisify(execFile);
const INSTALL_TIMEOUT_MS = 600_000;
const BACKEND = '@devops-personas/plugin-devops-personas-backend';
const COMMON = '@devops-personas/plugin-devops-personas-common';
const NODE = '@devops-personas/plugin-devops-personas-node';
const CATALOG_MODULE =
  '@devops-personas/plugin-catalog-backend-module-devops-personas';
const SOURCES = ['github', 'gitlab', 'pagerduty', 'alertmanager', 'cdevents'];
const SOURCE_MODULES = SOURCES.map(
  source => `@devops-personas/plugin-devops-personas-backend-module-${source}`,
);
const INSTALLED = [BACKEND, COMMON, NODE, CATALOG_MODULE, ...SOURCE_MODULES];

/** Runs inside the host project, so that every require resolves from there. */
const PROBE = `
const path = require('node:path');
const fs = require('node:fs');
const { resolvePackagePath } = require('@backstage/backend-plugin-api');
const names = JSON.parse(process.argv[1]);
const out = { features: {}, resolvedFrom: {} };
// A feature loader (featureType "loader", no deps) yields the modules it bundles.
async function registrations(feature) {
  if (feature.featureType === 'loader') {
    const loaded = await feature.loader({});
    return (await Promise.all(loaded.map(registrations))).flat();
  }
  return feature.getRegistrations().map(r => ({ type: r.type, pluginId: r.pluginId, moduleId: r.moduleId }));
}
(async () => {
for (const name of names) {
  const feature = require(name).default;
  out.resolvedFrom[name] = require.resolve(name);
  if (feature) {
    out.features[name] = { type: feature.$$type, registrations: await registrations(feature) };
  }
}
const common = require(${JSON.stringify(COMMON)});
out.permissions = common.devopsPersonasPermissions.map(p => p.name);
out.extensionPoint = require(${JSON.stringify(
  NODE,
)}).devopsPersonasSourcesExtensionPoint.id;
// Where the backend looks for its migrations at runtime.
const migrations = resolvePackagePath(${JSON.stringify(BACKEND)}, 'migrations');
out.migrations = fs.readdirSync(migrations).sort();
const manifest = require(${JSON.stringify(`${BACKEND}/package.json`)});
const schema = JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve(${JSON.stringify(
  `${BACKEND}/package.json`,
)})), manifest.configSchema), 'utf8'));
out.configSchemaKeys = Object.keys(schema.schema?.properties ?? schema.properties ?? {});
console.log(JSON.stringify(out));
})().catch(error => {
  console.error(error);
  process.exit(1);
});
`;

let host;
let ownPacks;
let probe;

before(
  async () => {
    let packsDir = process.env.DEVOPS_PERSONAS_PACKED_DIR;
    let packed;
    if (packsDir) {
      const tarballs = fs.readdirSync(packsDir);
      packed = publishedPackages().map(pkg => {
        const prefix = `${pkg.name.replace('@', '').replace('/', '-')}-${
          pkg.version
        }.tgz`;
        const tarball = tarballs.find(file => file === prefix);
        assert.ok(
          tarball,
          `${packsDir} has no tarball of ${pkg.name}@${pkg.version}`,
        );
        return { ...pkg, tarball: path.join(packsDir, tarball) };
      });
    } else {
      packsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-packs-'));
      ownPacks = packsDir;
      await buildPackages();
      packed = await packPackages(packsDir);
    }

    host = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-host-'));
    fs.writeFileSync(
      path.join(host, 'package.json'),
      JSON.stringify({ name: 'host-app', private: true }),
    );
    const tarballs = INSTALLED.map(
      name => packed.find(pkg => pkg.name === name).tarball,
    );
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
        ...tarballs,
      ],
      // No NODE_PATH: nothing may resolve from this repository.
      {
        cwd: host,
        timeout: INSTALL_TIMEOUT_MS,
        env: { ...process.env, NODE_PATH: '' },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const { stdout } = await run(
      process.execPath,
      ['-e', PROBE, JSON.stringify(INSTALLED)],
      {
        cwd: host,
        timeout: 60_000,
        env: { ...process.env, NODE_PATH: '' },
      },
    );
    probe = JSON.parse(stdout);
  },
  { timeout: INSTALL_TIMEOUT_MS + 300_000 },
);

after(() => {
  for (const dir of [host, ownPacks]) {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('the packed packages installed into an empty npm project', () => {
  it('load from the project, not from this repository', () => {
    for (const name of INSTALLED) {
      assert.ok(
        probe.resolvedFrom[name].startsWith(fs.realpathSync(host)),
        `${name} resolved to ${probe.resolvedFrom[name]}`,
      );
      assert.match(probe.resolvedFrom[name], /\/dist\/index\.cjs\.js$/);
    }
  });

  it('give the backend plugin as a backend feature', () => {
    assert.deepEqual(probe.features[BACKEND], {
      type: '@backstage/BackendFeature',
      registrations: [{ type: 'plugin-v1.1', pluginId: 'devops-personas' }],
    });
  });

  it('give the catalog module and each event source as backend modules', () => {
    assert.deepEqual(probe.features[CATALOG_MODULE].registrations, [
      { type: 'module-v1.1', pluginId: 'catalog', moduleId: 'devops-personas' },
    ]);
    for (const source of SOURCES) {
      const name = `@devops-personas/plugin-devops-personas-backend-module-${source}`;
      assert.equal(
        probe.features[name].type,
        '@backstage/BackendFeature',
        name,
      );
      const registrations = probe.features[name].registrations;
      assert.ok(
        registrations.some(
          r =>
            r.type === 'module-v1.1' &&
            r.pluginId === 'devops-personas' &&
            r.moduleId === `source-${source}`,
        ),
        `${name}: ${JSON.stringify(registrations)}`,
      );
      // Besides its source, a module may only add an ingress to the events plugin.
      for (const registration of registrations) {
        assert.ok(
          ['devops-personas', 'events'].includes(registration.pluginId),
          `${name}: ${registration.pluginId}`,
        );
      }
    }
  });

  it('bring no test tooling into the installation', () => {
    // -node's testUtils need @backstage/backend-test-utils, an optional peer.
    for (const tool of [
      '@backstage/backend-test-utils',
      'testcontainers',
      'jest',
    ]) {
      assert.equal(
        fs.existsSync(path.join(host, 'node_modules', tool)),
        false,
        `${tool} was installed`,
      );
    }
  });

  it('give the permissions and the sources extension point', () => {
    assert.deepEqual(probe.permissions, [
      'devops-personas.read',
      'devops-personas.events.ingest',
    ]);
    assert.equal(probe.extensionPoint, 'devops-personas.sources');
  });

  it('ship the migrations where the backend looks for them, and the config schema', () => {
    const repoMigrations = fs
      .readdirSync(
        path.resolve(
          __dirname,
          '../plugins/devops-personas-backend/migrations',
        ),
      )
      .sort();
    assert.deepEqual(probe.migrations, repoMigrations);
    assert.ok(
      probe.configSchemaKeys.includes('devopsPersonas'),
      probe.configSchemaKeys.join(', '),
    );
  });
});
