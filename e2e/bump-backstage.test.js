/*
 * scripts/bump-backstage.js, the npm counterpart of `backstage-cli
 * versions:bump`: run as a child process with --manifest against a small fake
 * workspace in a temp dir (no network, no ports), plus the exported pure
 * function and the fetch timeout in-process with a fake fetch.
 */
const { afterEach, beforeEach, describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { bumpPackageJson, fetchManifest } = require('../scripts/bump-backstage');

const SCRIPT = path.join(__dirname, '..', 'scripts', 'bump-backstage.js');
const RELEASE = '1.56.0';

const MANIFEST = {
  releaseVersion: RELEASE,
  packages: [
    { name: '@backstage/backend-plugin-api', version: '1.13.0' },
    { name: '@backstage/catalog-model', version: '1.11.0' },
    { name: '@backstage/cli', version: '0.37.0' },
    { name: '@backstage/config', version: '1.4.0' },
    { name: '@backstage/core-plugin-api', version: '1.13.1' },
    { name: '@backstage/errors', version: '1.4.1' },
    { name: '@backstage/plugin-notifications', version: '0.6.1' },
    { name: '@backstage/plugin-signals', version: '0.0.36' },
    { name: '@backstage/theme', version: '0.7.5' },
    { name: '@backstage/types', version: '1.2.3' },
    { name: '@techdocs/cli', version: '1.10.0' },
  ],
};

const ROOT = {
  name: 'root',
  private: true,
  workspaces: ['packages/*', 'plugins/*'],
  devDependencies: { '@backstage/cli': '^0.36.6', prettier: '^2.3.2' },
};
const APP = {
  name: 'app',
  version: '0.0.0',
  dependencies: {
    '@backstage/core-plugin-api': '^1.12.10',
    '@backstage/plugin-notifications': '0.6.0',
    '@backstage/theme': '~0.7.3',
    '@backstage/plugin-unlisted': '^1.0.0',
    '@backstage/catalog-model': '>=1.10.0 <2',
    '@techdocs/cli': '^1.9.0',
    react: '^18.0.2',
  },
  devDependencies: {
    '@backstage/cli': '^0.36.6',
    '@backstage/types': 'workspace:^',
    '@backstage/errors': 'file:../errors',
  },
};
const FOO = {
  name: '@internal/plugin-foo',
  dependencies: { '@backstage/backend-plugin-api': '^1.10.1' },
  peerDependencies: {
    '@backstage/core-plugin-api': '^1.12.0',
    '@backstage/config': '*',
  },
  optionalDependencies: { '@backstage/plugin-signals': '0.0.35' },
  devDependencies: { '@backstage/cli': '^0.37.0' },
};
// Nothing to change, and not 2-space: must keep its exact bytes.
const BAR_TEXT = `{
    "name": "bar",
    "dependencies": { "@backstage/cli": "^0.37.0", "@backstage/plugin-unlisted": "~2.0.0" }
}
`;
// Not in the workspaces globs.
const OUTSIDE = { dependencies: { '@backstage/cli': '^0.36.6' } };

const json = value => `${JSON.stringify(value, null, 2)}\n`;

const EXPECTED = {
  'package.json': json({
    ...ROOT,
    devDependencies: { '@backstage/cli': '^0.37.0', prettier: '^2.3.2' },
  }),
  'packages/app/package.json': json({
    name: 'app',
    version: '0.0.0',
    dependencies: {
      '@backstage/core-plugin-api': '^1.13.1',
      '@backstage/plugin-notifications': '0.6.1',
      '@backstage/theme': '~0.7.5',
      '@backstage/plugin-unlisted': '^1.0.0',
      '@backstage/catalog-model': '>=1.10.0 <2',
      '@techdocs/cli': '^1.9.0',
      react: '^18.0.2',
    },
    devDependencies: {
      '@backstage/cli': '^0.37.0',
      '@backstage/types': 'workspace:^',
      '@backstage/errors': 'file:../errors',
    },
  }),
  'plugins/foo/package.json': json({
    name: '@internal/plugin-foo',
    dependencies: { '@backstage/backend-plugin-api': '^1.13.0' },
    peerDependencies: {
      '@backstage/core-plugin-api': '^1.13.1',
      '@backstage/config': '*',
    },
    optionalDependencies: { '@backstage/plugin-signals': '0.0.36' },
    devDependencies: { '@backstage/cli': '^0.37.0' },
  }),
  'plugins/bar/package.json': BAR_TEXT,
  'examples/outside/package.json': json(OUTSIDE),
  'packages/docs/README.md': 'no package.json here\n',
  'backstage.json': '{\n  "version": "1.56.0"\n}\n',
};

// [package.json, dependency, field, old → new] for each change, in table order.
const CHANGES = [
  ['package.json', '@backstage/cli', 'devDependencies', '^0.36.6 → ^0.37.0'],
  [
    'packages/app/package.json',
    '@backstage/core-plugin-api',
    'dependencies',
    '^1.12.10 → ^1.13.1',
  ],
  [
    'packages/app/package.json',
    '@backstage/plugin-notifications',
    'dependencies',
    '0.6.0 → 0.6.1',
  ],
  [
    'packages/app/package.json',
    '@backstage/theme',
    'dependencies',
    '~0.7.3 → ~0.7.5',
  ],
  [
    'packages/app/package.json',
    '@backstage/cli',
    'devDependencies',
    '^0.36.6 → ^0.37.0',
  ],
  [
    'plugins/foo/package.json',
    '@backstage/backend-plugin-api',
    'dependencies',
    '^1.10.1 → ^1.13.0',
  ],
  [
    'plugins/foo/package.json',
    '@backstage/core-plugin-api',
    'peerDependencies',
    '^1.12.0 → ^1.13.1',
  ],
  [
    'plugins/foo/package.json',
    '@backstage/plugin-signals',
    'optionalDependencies',
    '0.0.35 → 0.0.36',
  ],
];

let dir;
let work;
let manifestFile;

function writeFile(relative, text) {
  const file = path.join(work, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Every file under `work`, as { relative path: content }. */
function snapshot() {
  const files = {};
  const walk = sub => {
    for (const entry of fs.readdirSync(path.join(work, sub), {
      withFileTypes: true,
    })) {
      const relative = path.posix.join(sub, entry.name);
      if (entry.isDirectory()) walk(relative);
      else files[relative] = fs.readFileSync(path.join(work, relative), 'utf8');
    }
  };
  walk('');
  return files;
}

function bump(...args) {
  const result = spawnSync(
    process.execPath,
    [SCRIPT, '--root', work, ...args],
    {
      encoding: 'utf8',
      timeout: 10_000,
    },
  );
  assert.equal(result.error, undefined);
  return result;
}

/** The table: a header line, then one line per change up to a blank line. */
function assertTableRows(stdout) {
  const lines = stdout.split('\n');
  const header = lines.findIndex(line => line.startsWith('package.json '));
  assert.deepEqual(lines[header].split(/ {2,}/), [
    'package.json',
    'dependency',
    'field',
    'old → new',
  ]);
  const end = lines.indexOf('', header);
  const rows = lines.slice(header + 1, end).map(line => line.split(/ {2,}/));
  assert.deepEqual(rows, CHANGES);
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bump-backstage-'));
  work = path.join(dir, 'repo');
  writeFile('package.json', json(ROOT));
  writeFile('packages/app/package.json', json(APP));
  writeFile('packages/docs/README.md', 'no package.json here\n');
  writeFile('plugins/foo/package.json', json(FOO));
  writeFile('plugins/bar/package.json', BAR_TEXT);
  writeFile('examples/outside/package.json', json(OUTSIDE));
  writeFile('backstage.json', '{ "version": "1.55.0" }\n');
  manifestFile = path.join(dir, 'manifest.json');
  fs.writeFileSync(manifestFile, JSON.stringify(MANIFEST));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('bump-backstage --manifest', () => {
  it('rewrites the @backstage/* entries the manifest lists, keeping each range style', () => {
    const result = bump('--release', RELEASE, '--manifest', manifestFile);
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0);
    assert.deepEqual(snapshot(), EXPECTED);
    assertTableRows(result.stdout);
    assert.match(result.stdout, /^8 dependencies changed\.$/m);
    assert.match(
      result.stdout,
      /^Left as is: packages\/app\/package\.json dependencies @backstage\/catalog-model ">=1\.10\.0 <2" .*1\.11\.0\)$/m,
    );
    assert.match(result.stdout, /^backstage\.json: 1\.55\.0 → 1\.56\.0$/m);
    assert.match(result.stdout, /`npm install`/);
    assert.match(
      result.stdout,
      /https:\/\/backstage\.io\/docs\/releases\/v1\.56\.0 /,
    );
  });

  it('changes nothing on a second run', () => {
    assert.equal(
      bump('--release', RELEASE, '--manifest', manifestFile).status,
      0,
    );
    const result = bump('--release', RELEASE, '--manifest', manifestFile);
    assert.equal(result.status, 0);
    assert.deepEqual(snapshot(), EXPECTED);
    assert.match(result.stdout, /already at 1\.56\.0/);
    assert.doesNotMatch(result.stdout, / → /);
  });

  it('--dry-run prints the same changes and writes nothing', () => {
    const before = snapshot();
    const result = bump(
      '--release',
      RELEASE,
      '--manifest',
      manifestFile,
      '--dry-run',
    );
    assert.equal(result.status, 0);
    assert.deepEqual(snapshot(), before);
    assertTableRows(result.stdout);
    assert.match(result.stdout, /^backstage\.json: 1\.55\.0 → 1\.56\.0$/m);
    assert.match(result.stdout, /Dry run: nothing written/);
  });

  const badManifests = [
    [
      'has no packages',
      { releaseVersion: RELEASE },
      /packages is not a non-empty array/,
    ],
    [
      'has a version that is not semver',
      {
        ...MANIFEST,
        packages: [{ name: '@backstage/cli', version: 'latest' }],
      },
      /packages\[0\] \(@backstage\/cli\) version "latest" is not a semver version/,
    ],
    [
      'has no releaseVersion',
      { packages: MANIFEST.packages },
      /releaseVersion is missing/,
    ],
    [
      'lists a package twice',
      { ...MANIFEST, packages: [...MANIFEST.packages, MANIFEST.packages[2]] },
      /@backstage\/cli is listed twice/,
    ],
    ['is an array', [], /it is not a JSON object/],
    ['is not JSON', 'not json', /is not valid JSON/],
    [
      'is for another release',
      { ...MANIFEST, releaseVersion: '1.57.0' },
      /the manifest is for release 1\.57\.0, not for --release 1\.56\.0/,
    ],
  ];
  for (const [name, content, problem] of badManifests) {
    it(`exits 1 and writes nothing when the manifest ${name}`, () => {
      fs.writeFileSync(
        manifestFile,
        typeof content === 'string' ? content : JSON.stringify(content),
      );
      const before = snapshot();
      const result = bump('--release', RELEASE, '--manifest', manifestFile);
      assert.equal(result.status, 1);
      assert.match(result.stderr, problem);
      if (name !== 'is for another release') {
        assert.match(result.stderr, /--manifest .*manifest\.json/);
      }
      assert.equal(result.stdout, '');
      assert.deepEqual(snapshot(), before);
    });
  }

  const badArgs = [
    [
      'an unknown flag',
      ['--release', RELEASE, '--frobnicate'],
      /Unknown option '--frobnicate'/,
    ],
    ['no --release', [], /--release is required/],
    [
      'a release that is not semver',
      ['--release', 'v1.56'],
      /--release "v1\.56" is not a semver version/,
    ],
    [
      'a missing manifest file',
      ['--release', RELEASE, '--manifest', 'nope.json'],
      /cannot read --manifest nope\.json/,
    ],
  ];
  for (const [name, args, problem] of badArgs) {
    it(`exits 1 and writes nothing given ${name}`, () => {
      const before = snapshot();
      const extra = args.includes('--manifest')
        ? []
        : ['--manifest', manifestFile];
      const result = bump(...args, ...extra);
      assert.equal(result.status, 1);
      assert.match(result.stderr, problem);
      assert.deepEqual(snapshot(), before);
    });
  }

  it('writes nothing when one workspace package.json is broken', () => {
    writeFile('plugins/foo/package.json', '{ "name": ');
    const before = snapshot();
    const result = bump('--release', RELEASE, '--manifest', manifestFile);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /cannot read .*plugins\/foo\/package\.json/);
    assert.deepEqual(snapshot(), before);
  });
});

describe('bumpPackageJson', () => {
  it('returns a new object and the changes, leaving its input alone', () => {
    const input = structuredClone(FOO);
    const { packageJson, changes, skipped } = bumpPackageJson(input, MANIFEST);
    assert.deepEqual(input, FOO);
    assert.equal(json(packageJson), EXPECTED['plugins/foo/package.json']);
    assert.deepEqual(changes, [
      {
        field: 'dependencies',
        name: '@backstage/backend-plugin-api',
        from: '^1.10.1',
        to: '^1.13.0',
      },
      {
        field: 'peerDependencies',
        name: '@backstage/core-plugin-api',
        from: '^1.12.0',
        to: '^1.13.1',
      },
      {
        field: 'optionalDependencies',
        name: '@backstage/plugin-signals',
        from: '0.0.35',
        to: '0.0.36',
      },
    ]);
    assert.deepEqual(skipped, []);
  });
});

describe('fetchManifest (fake fetch, no network)', () => {
  it('returns the manifest that @backstage/release-manifests fetches', async () => {
    const urls = [];
    const fakeFetch = async (url, options) => {
      urls.push(url);
      assert.ok(options.signal instanceof AbortSignal);
      return { status: 200, url, json: async () => MANIFEST };
    };
    assert.deepEqual(
      await fetchManifest(RELEASE, { fetchImpl: fakeFetch }),
      MANIFEST,
    );
    assert.deepEqual(urls, [
      'https://versions.backstage.io/v1/releases/1.56.0/manifest.json',
    ]);
  });

  it('names a release that does not exist', async () => {
    const fakeFetch = async url => ({
      status: 404,
      url,
      json: async () => ({}),
    });
    await assert.rejects(
      fetchManifest('1.99.0', { fetchImpl: fakeFetch }),
      /No release found for 1\.99\.0 version.*--manifest/s,
    );
  });

  it(
    'gives up after its timeout when no answer comes',
    { timeout: 5_000 },
    async () => {
      // Like fetch: rejects once its signal aborts, and never answers before.
      const hangingFetch = (url, { signal }) =>
        new Promise((_, reject) => {
          if (signal.aborted) reject(new Error('aborted'));
          signal.addEventListener('abort', () => reject(new Error('aborted')));
        });
      const started = Date.now();
      await assert.rejects(
        fetchManifest(RELEASE, { fetchImpl: hangingFetch, timeoutMs: 50 }),
        /no answer within 0\.05 s.*manifest\.json by hand and pass --manifest/s,
      );
      assert.ok(Date.now() - started < 3_000);
    },
  );
});
