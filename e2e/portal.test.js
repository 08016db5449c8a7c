/*
 * End to end: the example portal (backend + app, example catalog) in a real
 * headless Chromium, driven by playwright-core. Run by `npm test`, or alone
 * with `npm run test:e2e`.
 */
const { after, before, describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const {
  StreamableHTTPClientTransport,
} = require('@modelcontextprotocol/sdk/client/streamableHttp.js');
const { launchChromium, requireChromium } = require('../scripts/lib/browser');
const { startPortal } = require('../scripts/start-portal');
const { EXAMPLE_SECRETS, postDelivery } = require('../scripts/lib/webhooks');
const { githubDeploymentDelivery } = require('../examples/webhooks/generate');
const { replay } = require('../scripts/replay-webhooks');

const EXAMPLE_TOKEN = 'example-portal-events-token-change-me';
const MCP_TOKEN = 'example-portal-mcp-token-change-me';

const root = path.resolve(__dirname, '..');
const reportDir = path.join(root, 'e2e-test-report');
const screenshotDir = path.join(root, 'docs', 'screenshots');

let starting;
let portal;
let browser;
let page;

before(
  async () => {
    requireChromium();
    fs.mkdirSync(reportDir, { recursive: true });
    fs.mkdirSync(screenshotDir, { recursive: true });
    const log = fs.createWriteStream(path.join(reportDir, 'portal.log'));
    // Kept, so that `after` stops a portal that is still starting when this
    // hook times out.
    starting = startPortal({ log });
    portal = await starting;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.setDefaultTimeout(60_000);
  },
  { timeout: 400_000 },
);

after(async () => {
  await browser?.close();
  await (portal ?? (await starting?.catch(() => null)))?.stop();
});

async function signIn() {
  await page.goto(`${portal.appUrl}/catalog`);
  const enter = page.getByRole('button', { name: /enter/i });
  if (await enter.isVisible({ timeout: 30_000 }).catch(() => false)) {
    await enter.click();
  }
  await page
    .getByRole('link', { name: 'Checkout', exact: true })
    .first()
    .waitFor({ timeout: 120_000 });
}

describe('the example portal', { timeout: 600_000 }, () => {
  it('signs in as guest and lists the example services', async () => {
    await signIn();
    assert.ok(
      await page
        .getByRole('link', { name: 'Payment Gateway', exact: true })
        .first()
        .isVisible(),
    );
  });

  it('shows the holders of checkout on its Personas tab', async () => {
    await page
      .getByRole('link', { name: 'Checkout', exact: true })
      .first()
      .click();
    await page.getByRole('tab', { name: 'Personas' }).click();
    await page.waitForURL(/\/catalog\/default\/component\/checkout\/personas/);
    for (const name of [
      'Bob Martin',
      'Alice Chen',
      'Carol Diaz',
      'Platform Team',
      'Grace Kim',
    ]) {
      await page.getByText(name, { exact: true }).first().waitFor();
    }
    // inherited from the payments System
    await page
      .getByText(/payments/)
      .first()
      .waitFor();
    await page.screenshot({
      path: path.join(screenshotDir, 'personas-tab.png'),
      fullPage: false,
    });
    // a holder links to their user page
    await page.getByRole('link', { name: 'Bob Martin' }).first().click();
    await page.waitForURL(/\/catalog\/default\/user\/bob/);
  });

  it('warns about hero mode and gaps', async () => {
    await page.goto(
      `${portal.appUrl}/catalog/default/component/search-service/personas`,
    );
    await page
      .getByText(/Heidi Novak wears 5 of 7 hats/)
      .first()
      .waitFor();
    await page.goto(
      `${portal.appUrl}/catalog/default/component/legacy-billing/personas`,
    );
    await page
      .getByText(/No Security Owner is assigned/)
      .first()
      .waitFor();
    await page.goto(
      `${portal.appUrl}/catalog/default/component/fraud-detection/personas`,
    );
    await page
      .getByText(/Bob Martin/)
      .first()
      .waitFor();
    await page
      .getByText(/devops-personas\.io\/qa-lead/)
      .first()
      .waitFor();
  });

  it('shows the RACI matrix with the split Go-live accountability', async () => {
    await page.goto(`${portal.appUrl}/catalog/default/component/checkout/raci`);
    const table = page.getByRole('table', { name: 'RACI matrix' });
    await table.waitFor();
    const goLive = table.getByRole('row', { name: /Go-live approval/ });
    await goLive.getByText('business').waitFor();
    await goLive.getByText('operational').waitFor();
    assert.ok(
      await goLive.getByRole('link', { name: 'Alice Chen' }).isVisible(),
    );
    assert.ok(
      await goLive.getByRole('link', { name: 'Carol Diaz' }).isVisible(),
    );
    await page.screenshot({ path: path.join(screenshotDir, 'raci-tab.png') });
  });

  it('answers an MCP client as the RACI and Personas tabs do', async () => {
    const client = new Client({ name: 'e2e-assistant', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`${portal.backendUrl}/api/mcp-actions/v1`),
        {
          requestInit: { headers: { Authorization: `Bearer ${MCP_TOKEN}` } },
        },
      ),
    );
    try {
      const { tools } = await client.listTools();
      const names = tools.map(t => t.name);
      assert.ok(
        names.includes('devops-personas.who-is-accountable'),
        names.join(', '),
      );
      // the read-only filter of app-config.yaml keeps the catalog's writes out
      assert.ok(!names.includes('catalog.unregister-entity'), names.join(', '));

      const ask = async args =>
        (
          await client.callTool({
            name: 'devops-personas.who-is-accountable',
            arguments: args,
          })
        ).structuredContent;
      const incident = await ask({
        entityRef: 'component:default/checkout',
        scenario: 'critical-incident',
      });
      const owner = await ask({
        entityRef: 'component:default/payment-gateway',
        persona: 'service-owner',
      });
      const noise = await ask({
        entityRef: 'component:default/checkout',
        kpi: 'alert-noise',
      });
      assert.equal(noise.holders[0].displayName, 'SRE Team');
      assert.equal(noise.provenance, 'inherited:system:default/payments');

      // The RACI tab: the accountable cell of the same row names the same person.
      await page.goto(
        `${portal.appUrl}/catalog/default/component/checkout/raci`,
      );
      const row = page
        .getByRole('table', { name: 'RACI matrix' })
        .getByRole('row', { name: /Critical incident/ });
      const accountable = row.getByRole('cell', {
        name: new RegExp(
          `^${incident.accountable[0].personaTitle}: .*Accountable`,
        ),
      });
      assert.deepEqual(
        incident.holders.map(h => h.displayName),
        ['Bob Martin'],
      );
      await accountable.getByRole('link', { name: 'Bob Martin' }).waitFor();

      // The Personas tab: the same group, with the same members.
      await page.goto(
        `${portal.appUrl}/catalog/default/component/payment-gateway/personas`,
      );
      for (const holder of [owner.holders[0], ...owner.holders[0].members]) {
        await page
          .getByText(holder.displayName, { exact: true })
          .first()
          .waitFor();
      }
      assert.deepEqual(
        owner.holders[0].members.map(m => m.displayName),
        ['Carol Diaz', 'Ken Sato'],
      );
    } finally {
      await client.close();
    }
  });

  it('shows full KPI tabs from the example events, and explains a value', async () => {
    await page.goto(`${portal.appUrl}/catalog/default/component/checkout/kpis`);
    await page.getByText('DORA metrics').waitFor();
    const frequency = page.getByRole('button', {
      name: /Deployment frequency: [\d.]+ \/ week/,
    });
    await frequency.waitFor();
    assert.ok((await page.getByText(/^elite$/i).count()) >= 1);
    // each tier says what period it is over
    await page
      .getByText('DORA tier over 12 weeks to', { exact: false })
      .first()
      .waitFor();
    await page.screenshot({ path: path.join(screenshotDir, 'kpis-tab.png') });

    // the explain dialog is a table: one row per change, with its own lead time, largest first
    const lead = page.getByRole('button', { name: /Lead time for changes: / });
    await lead.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('How it is computed:').waitFor();
    const table = dialog.getByRole('table', {
      name: 'Events behind the value',
    });
    const rows = table.getByRole('row');
    assert.ok((await rows.count()) > 2);
    const hours = await table.locator('tbody tr').evaluateAll(trs =>
      trs
        .map(tr => tr.cells[2]?.textContent ?? '')
        .filter(t => /\d+(\.\d+)? h$/.test(t))
        .map(t => parseFloat(t)),
    );
    assert.ok(hours.length > 1, 'lead times are shown per change');
    assert.deepEqual(
      hours,
      [...hours].sort((a, b) => b - a),
      'largest lead time first',
    );
    // a change carrying a url links to its pull request
    const href = await table.getByRole('link').first().getAttribute('href');
    assert.match(
      href,
      /^https:\/\/github\.example\.com\/acme\/checkout\/pull\/\d+$/,
    );
    await page.screenshot({
      path: path.join(screenshotDir, 'kpi-explain.png'),
    });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.goto(
      `${portal.appUrl}/catalog/default/component/search-service/kpis`,
    );
    await page.getByText('Guardrail: fast but breaking').waitFor();
  });

  it('takes a GitHub deployment webhook to the KPI tab, and counts it under Sources', async () => {
    const api = async url => {
      const res = await fetch(
        `${portal.backendUrl}/api/devops-personas/v1/${url}`,
        {
          headers: { Authorization: `Bearer ${EXAMPLE_TOKEN}` },
        },
      );
      assert.equal(res.status, 200);
      return res.json();
    };
    const deployments = async () =>
      (
        await api('entities/component/default/storefront-web/kpis?window=7d')
      ).kpis.find(k => k.id === 'deployment-frequency').sampleSize;
    const github = async () =>
      (await api('sources')).sources.find(s => s.id === 'github');
    const before = {
      deployments: await deployments(),
      stored: (await github()).counts.stored,
    };

    const finishedAt = new Date(Date.now() - 60_000).toISOString();
    const delivery = githubDeploymentDelivery(
      {
        status: 'success',
        environment: 'production',
        startedAt: finishedAt,
        finishedAt,
      },
      424242,
    );
    // a wrong signature is refused by the ingress and stores nothing
    assert.equal(
      await postDelivery(portal.backendUrl, delivery, 'not-the-secret'),
      403,
    );
    assert.equal(
      await postDelivery(portal.backendUrl, delivery, EXAMPLE_SECRETS.github),
      202,
    );
    // a redelivery counts once
    assert.equal(
      await postDelivery(portal.backendUrl, delivery, EXAMPLE_SECRETS.github),
      202,
    );
    assert.equal(await deployments(), before.deployments + 1);
    assert.equal((await github()).counts.stored, before.stored + 2);

    await page.goto(
      `${portal.appUrl}/catalog/default/component/storefront-web/kpis?window=7d`,
    );
    await page.getByRole('button', { name: /Deployment frequency: / }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('acme/storefront-web#924242').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();

    // saved deliveries replayed through the same ingress: signed afresh, each stored once
    const saved = path.join(reportDir, 'deliveries.jsonl');
    const older = new Date(Date.now() - 2 * 86_400_000).toISOString();
    fs.writeFileSync(
      saved,
      [424243, 424244]
        .map(n =>
          JSON.stringify(
            githubDeploymentDelivery(
              {
                status: 'success',
                environment: 'production',
                startedAt: older,
                finishedAt: older,
              },
              n,
            ),
          ),
        )
        .join('\n'),
    );
    process.env.GITHUB_WEBHOOK_SECRET = EXAMPLE_SECRETS.github;
    const replayed = await replay({
      backend: portal.backendUrl,
      sign: true,
      inputs: [saved],
    });
    assert.deepEqual([...replayed.statuses], [[202, 2]]);
    assert.equal(await deployments(), before.deployments + 3);

    await page.goto(`${portal.appUrl}/devops-personas`);
    await page
      .getByRole('region', { name: 'Event sources' })
      .scrollIntoViewIfNeeded();
    await page.getByText('GitHub', { exact: true }).first().waitFor();
    await page.screenshot({
      path: path.join(screenshotDir, 'overview-sources.png'),
      fullPage: true,
    });
  });

  it('shows SLO tabs with live budgets, and a page for search-service', async () => {
    await page.goto(`${portal.appUrl}/catalog/default/component/checkout/slos`);
    await page.getByText('Checkout availability').first().waitFor();
    await page.getByText('Checkout latency').first().waitFor();
    assert.ok(
      (await page.getByRole('table', { name: /Burn rates of/ }).count()) === 2,
    );
    await page.goto(
      `${portal.appUrl}/catalog/default/component/search-service/slos`,
    );
    await page.getByText('Search availability').first().waitFor();
    await page.getByLabel('Alert state page').waitFor();
    // Read from the example Prometheus that npm start runs, not from sli events.
    await page.getByText('From Prometheus (default)').waitFor();
    const graph = page.getByRole('link', {
      name: 'Open the good query of Search availability in Prometheus',
    });
    assert.match(
      await graph.getAttribute('href'),
      /^http:\/\/127\.0\.0\.1:9091\/graph\?g0\.expr=search_requests_total/,
    );
    await page.screenshot({ path: path.join(screenshotDir, 'slos-tab.png') });
  });

  it("puts an overdue vulnerability in the accountable tech lead's bell, with its response, linked to the KPI tab", async () => {
    // The guest is Bob Martin, accountable for critical vulnerabilities of
    // the payments System (SPEC §9): the loader's notification run told him.
    await page.goto(`${portal.appUrl}/catalog`);
    await page
      .getByRole('link', { name: /^Notifications/ })
      .first()
      .click();
    await page.waitForURL(/\/notifications/);
    const title = 'Fraud Detection: 1 critical vulnerability overdue';
    const link = page.getByRole('link', { name: title, exact: true });
    await link.waitFor();
    assert.equal(await link.count(), 1);
    const row = page.getByRole('row').filter({ has: link });
    await row.getByRole('button', { name: /show more/i }).click();
    await row
      .getByText(
        /1 critical vulnerability has been open longer than the 7 days allowed\. Agreed response: Escalate overdue critical vulnerabilities/,
      )
      .waitFor();
    await page.screenshot({
      path: path.join(screenshotDir, 'notifications.png'),
    });
    await link.click();
    await page.waitForURL(
      /\/catalog\/default\/component\/fraud-detection\/kpis/,
    );
    await page.getByText('Critical vulnerability fix time').first().waitFor();
  });

  it("lists this week's review with an owner on every line", async () => {
    await page.goto(`${portal.appUrl}/catalog/default/component/checkout/kpis`);
    await page.getByRole('link', { name: "This week's review" }).click();
    await page.waitForURL(
      /\/devops-personas\/review\?entity=component%3Adefault%2Fcheckout/,
    );
    await page.goto(
      `${portal.appUrl}/devops-personas/review?entity=system%3Adefault%2Fpayments`,
    );
    const kpis = page.getByRole('table', { name: /KPIs that got worse/ });
    await kpis.waitFor();
    const rows = kpis.locator('tbody tr');
    const count = await rows.count();
    assert.ok(count > 0, 'the payments System has KPIs that got worse');
    for (let i = 0; i < count; i++) {
      const owners = rows.nth(i).getByRole('list', { name: 'Owner' });
      assert.ok(
        (await owners.getByRole('link').count()) > 0,
        `line ${i + 1} names its owner`,
      );
    }
    await page.screenshot({
      path: path.join(screenshotDir, 'weekly-review.png'),
      fullPage: true,
    });
  });

  it('shows the org overview from the sidebar', async () => {
    await page.goto(`${portal.appUrl}/catalog`);
    await page.getByRole('link', { name: 'Personas' }).first().click();
    await page.waitForURL(/\/devops-personas/);
    await page
      .getByText('of persona slots filled (set or inherited)')
      .waitFor();
    await page.getByRole('link', { name: 'Legacy Billing' }).first().waitFor();
    await page.screenshot({ path: path.join(screenshotDir, 'overview.png') });
    await page.getByRole('link', { name: 'Legacy Billing' }).first().click();
    await page.waitForURL(
      /\/catalog\/default\/component\/legacy-billing\/personas/,
    );
  });

  it('pages, sorts and filters the overview, keeping it all in the URL', async () => {
    await page.goto(`${portal.appUrl}/devops-personas?pageSize=5`);
    const entityLinks = () =>
      page
        .locator('table tbody tr')
        .evaluateAll(rows =>
          rows.map(tr => tr.querySelector('td a')?.textContent),
        );
    await page.getByText(/^1[–-]5 of \d+$/).waitFor();
    const first = await entityLinks();
    assert.equal(first.length, 5);

    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText(/^6[–-]10 of \d+$/).waitFor();
    await page.waitForURL(/page=2/);
    await page.waitForFunction(
      () => !document.querySelector('[aria-busy="true"]'),
    );
    const second = await entityLinks();
    assert.equal(second.length, 5);
    assert.ok(
      second.every(name => !first.includes(name)),
      'page 2 shows other entities',
    );
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText(/^1[–-]5 of \d+$/).waitFor();

    // sort by entity name: a header that does something
    await page.getByRole('button', { name: /^Entity/ }).click();
    await page.waitForURL(/sort=title/);
    await page.waitForFunction(
      () => !document.querySelector('[aria-busy="true"]'),
    );
    const sorted = await entityLinks();
    assert.deepEqual(
      sorted,
      [...sorted].sort((a, b) =>
        a.localeCompare(b, 'en', { sensitivity: 'base' }),
      ),
    );

    // the owner filter finds the name shown in the table, and a reload keeps it
    await page.getByLabel('Owner').fill('commerce');
    await page.waitForURL(/owner=commerce/);
    await page.reload();
    await page
      .getByRole('link', { name: 'Checkout', exact: true })
      .first()
      .waitFor();
    assert.equal(await page.getByLabel('Owner').inputValue(), 'commerce');
    const owners = await page
      .locator('table tbody tr td:nth-child(3)')
      .evaluateAll(tds => tds.map(td => td.textContent));
    assert.ok(
      owners.length > 0 && owners.every(owner => /Commerce Team/.test(owner)),
      owners.join(' | '),
    );
  });
});
