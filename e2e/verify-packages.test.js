/*
 * The checks of scripts/verify-packages.js on unpacked packages written here:
 * a sound one passes, and each kind of mistake it is meant to catch is named.
 */
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { checkPackage } = require('../scripts/verify-packages');

const REPO = 'https://github.com/devops-personas/backstage-plugins';

let work;
let unpacked;
let source;

function write(dir, file, content) {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(
    path.join(dir, file),
    typeof content === 'string' ? content : JSON.stringify(content, null, 2),
  );
}

/** A backend plugin as `npm pack` leaves it, and the folder it came from. */
function soundPackage(overrides = {}) {
  const manifest = {
    name: '@devops-personas/plugin-example-backend',
    version: '0.2.0',
    license: 'Apache-2.0',
    repository: {
      type: 'git',
      url: `git+${REPO}.git`,
      directory: 'plugins/example-backend',
    },
    homepage: `${REPO}#readme`,
    bugs: { url: `${REPO}/issues` },
    keywords: ['backstage', 'backstage-plugin'],
    main: 'dist/index.cjs.js',
    types: 'dist/index.d.ts',
    publishConfig: { access: 'public' },
    backstage: { role: 'backend-plugin', pluginId: 'example' },
    dependencies: {
      '@backstage/backend-plugin-api': '^1.12.0',
      '@devops-personas/plugin-devops-personas-common': '^0.1.0',
    },
    configSchema: 'config.schema.json',
    ...overrides,
  };
  write(unpacked, 'package.json', manifest);
  for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md'])
    write(unpacked, file, file);
  write(unpacked, 'config.schema.json', '{}');
  write(
    unpacked,
    'migrations/20260101000000_init.js',
    'exports.up = async () => {};\n',
  );
  write(
    unpacked,
    'dist/index.cjs.js',
    [
      "'use strict';",
      "var backendPluginApi = require('@backstage/backend-plugin-api');",
      "var common = require('@devops-personas/plugin-devops-personas-common');",
      "var fs = require('node:fs');",
      "var path = require('path');",
      "var router = require('./router.cjs.js');",
      // Text shown to people is not an import.
      "const snippet = `backend.add(import('@backstage/plugin-events-backend'));`;",
      '',
    ].join('\n'),
  );
  write(unpacked, 'dist/router.cjs.js', "'use strict';\n");
  write(
    unpacked,
    'dist/index.d.ts',
    "import { BackendFeature } from '@backstage/backend-plugin-api';\n",
  );
  write(source, 'package.json', manifest);
  write(source, 'config.d.ts', 'export interface Config {}');
  write(source, 'migrations/20260101000000_init.js', '');
}

function check() {
  const entries = [];
  const walk = prefix => {
    for (const entry of fs.readdirSync(path.join(unpacked, prefix), {
      withFileTypes: true,
    })) {
      const relative = path.posix.join(prefix, entry.name);
      if (entry.isDirectory()) walk(relative);
      else entries.push(`package/${relative}`);
    }
  };
  walk('');
  return checkPackage({
    dir: unpacked,
    entries,
    sourceDir: source,
    versions: { '@devops-personas/plugin-devops-personas-common': '0.1.3' },
  });
}

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-verify-'));
  unpacked = path.join(work, 'package');
  source = path.join(work, 'source');
  soundPackage();
});

afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the package checks', () => {
  it('pass a sound package', () => {
    assert.deepEqual(check(), []);
  });

  it('name an import that is not a declared dependency', () => {
    fs.appendFileSync(
      path.join(unpacked, 'dist/router.cjs.js'),
      "require('knex');\n",
    );
    fs.appendFileSync(
      path.join(unpacked, 'dist/index.d.ts'),
      "import { Filter } from '@backstage/filter-predicates';\n",
    );
    assert.deepEqual(check(), [
      'dist/index.d.ts imports @backstage/filter-predicates, but @backstage/filter-predicates is not a dependency',
      'dist/router.cjs.js imports knex, but knex is not a dependency',
    ]);
  });

  it('name a relative import that is not shipped, and one in a migration', () => {
    fs.appendFileSync(
      path.join(unpacked, 'dist/router.cjs.js'),
      "require('./missing.cjs.js');\n",
    );
    fs.appendFileSync(
      path.join(unpacked, 'migrations/20260101000000_init.js'),
      "require('lodash');\n",
    );
    assert.deepEqual(check().sort(), [
      'dist/router.cjs.js imports ./missing.cjs.js, which is not shipped',
      'migrations/20260101000000_init.js imports lodash, but lodash is not a dependency',
    ]);
  });

  it('name tests, fixtures and sources that would be published', () => {
    write(unpacked, 'dist/router.test.js', '');
    write(unpacked, 'dist/__fixtures__/catalog.yaml', '');
    write(unpacked, 'src/index.ts', '');
    assert.deepEqual(check().sort(), [
      'dist/__fixtures__/catalog.yaml: a test fixture or helper is published',
      'dist/router.test.js: a test file is published',
      'src/index.ts: source code (only dist/ is published) is published',
    ]);
  });

  it('name missing files: a migration, the config schema, the CHANGELOG', () => {
    write(source, 'migrations/20260202000000_more.js', '');
    fs.rmSync(path.join(unpacked, 'config.schema.json'));
    fs.rmSync(path.join(unpacked, 'CHANGELOG.md'));
    assert.deepEqual(check().sort(), [
      'CHANGELOG.md is missing',
      'configSchema config.schema.json is not shipped',
      'migrations/20260202000000_more.js is not shipped',
    ]);
  });

  it('name an /alpha export or its types that point nowhere', () => {
    soundPackage({
      exports: {
        '.': { require: './dist/index.cjs.js', types: './dist/index.d.ts' },
        './alpha': {
          backstage: '@backstage/FrontendPlugin',
          import: './dist/alpha.esm.js',
          types: './dist/alpha.d.ts',
        },
        './package.json': './package.json',
      },
      typesVersions: { '*': { 'package.json': ['package.json'] } },
    });
    assert.deepEqual(check().sort(), [
      'exports["./alpha"] points at ./dist/alpha.d.ts, which is not shipped',
      'exports["./alpha"] points at ./dist/alpha.esm.js, which is not shipped',
      'typesVersions has no entry for ./alpha',
    ]);
  });

  it('name a pinned or unsatisfied dependency between our packages, and missing metadata', () => {
    soundPackage({
      dependencies: {
        '@backstage/backend-plugin-api': '^1.12.0',
        '@devops-personas/plugin-devops-personas-common': '0.1.0',
        '@devops-personas/plugin-devops-personas-node': '^0.1.0',
      },
      keywords: ['backstage'],
      bugs: undefined,
    });
    const versions = {
      '@devops-personas/plugin-devops-personas-node': '0.2.0',
    };
    const problems = checkPackage({
      dir: unpacked,
      entries: ['package/package.json'],
      sourceDir: source,
      versions: {
        '@devops-personas/plugin-devops-personas-common': '0.1.0',
        ...versions,
      },
    });
    assert.deepEqual(problems.sort(), [
      'bugs.url is missing',
      'dependency @devops-personas/plugin-devops-personas-common is pinned to 0.1.0, not a range',
      'dependency @devops-personas/plugin-devops-personas-node@^0.1.0 does not accept its version 0.2.0',
      'keyword backstage-plugin is missing',
    ]);
  });

  it('name a path outside the package', () => {
    const problems = checkPackage({
      dir: unpacked,
      entries: [
        'package/package.json',
        'package/../../etc/passwd',
        'other/file',
      ],
      sourceDir: source,
      versions: {},
    });
    assert.deepEqual(problems, [
      'package/../../etc/passwd: a path outside the package',
      'other/file: a path outside the package',
    ]);
  });
});
