/*
 * End to end: DevOps Personas in a new-frontend-system app. packages/app-next
 * (createApp of @backstage/frontend-defaults, `app.packages: all`, no code
 * for the plugin) on :3001, against the example portal's backend, in a real
 * headless Chromium at 1440 and at 1024 px wide: guest sign-in, the sidebar
 * entry, the overview, the entity tabs, the Hats card and the weekly review,
 * as the plugin's README promises them. Run by `npm test`, or alone with
 * `node --test e2e/new-frontend-system.test.js`.
 *
 * It starts its own portal (backend and legacy app, with the example events
 * so that the KPIs tab has figures; without the example Prometheus, which
 * the SLOs here do not need) and app-next, and stops all of them in `after`,
 * also when a test fails, checking that ports 3000, 3001, 7007 and 9091 are
 * free again.
 */
const { after, before, describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { launchChromium, requireChromium } = require('../scripts/lib/browser');
const { startPortal } = require('../scripts/start-portal');
const {
  startAppNext,
  portsInUse,
  waitForPortsFree,
} = require('../scripts/lib/appNext');

const root = path.resolve(__dirname, '..');
const reportDir = path.join(root, 'e2e-test-report');
const screenshotDir = path.join(root, 'docs', 'screenshots');
// The portal's backend and legacy app, app-next, the example Prometheus.
const PORTS = [3000, 3001, 7007, 9091];
// The overview page's title, in its header and its sidebar entry.
const TITLE = 'Personas';
const WIDTHS = [1440, 1024];

let started = false;
let startingPortal;
let startingAppNext;
let browser;
let appUrl;

before(
  async () => {
    requireChromium();
    // Someone else's portal there would answer our health checks: refuse,
    // and leave it alone.
    const busy = await portsInUse(PORTS);
    if (busy.length) {
      throw new Error(
        `${busy.length > 1 ? 'Ports' : 'Port'} ${busy.join(', ')} ${
          busy.length > 1 ? 'are' : 'is'
        } in use (another example portal?): this test starts its own on ${PORTS.join(
          ', ',
        )}. Stop it and run the test again.`,
      );
    }
    started = true;
    fs.mkdirSync(reportDir, { recursive: true });
    fs.mkdirSync(screenshotDir, { recursive: true });
    const log = fs.createWriteStream(
      path.join(reportDir, 'new-frontend-system.log'),
    );
    // Both at once: the backend's start and the two dev servers' first
    // compilations overlap. Kept, so that `after` stops what is still
    // starting when this hook fails or times out.
    startingPortal = startPortal({
      log,
      exampleEvents: true,
      examplePrometheus: false,
    });
    startingAppNext = startAppNext({ log });
    const [, appNext] = await Promise.all([startingPortal, startingAppNext]);
    appUrl = appNext.url;
    browser = await launchChromium();
  },
  { timeout: 300_000 },
);

after(async () => {
  await browser?.close();
  if (!started) return;
  // A start that failed has already stopped what it started.
  const appNext = await startingAppNext?.catch(() => null);
  const portal = await startingPortal?.catch(() => null);
  // app-next's stop() resolves once :3001 is free; the portal's signals its
  // process groups and returns at once.
  await Promise.all([appNext?.stop(), portal?.stop()]);
  try {
    await waitForPortsFree(PORTS, 60_000);
  } catch {
    throw new Error(
      `Still listening after the test: ${(await portsInUse(PORTS)).join(', ')}`,
    );
  }
});

/** Uncaught errors in the page, e.g. a crashed extension. */
function collectPageErrors(page) {
  const errors = [];
  page.on('pageerror', error => {
    // Chromium's benign layout notice, not an error of the app.
    if (!/ResizeObserver loop/.test(error.message)) errors.push(error.message);
  });
  return errors;
}

const pathOf = page => new URL(page.url()).pathname;

/** Elements among `locator` that a person can see. */
const visibleCount = locator => locator.filter({ visible: true }).count();

for (const width of WIDTHS) {
  describe(`app-next at ${width} px`, { timeout: 180_000 }, () => {
    let context;
    let page;
    let pageErrors;

    before(async () => {
      context = await browser.newContext({
        viewport: { width, height: 900 },
      });
      page = await context.newPage();
      page.setDefaultTimeout(60_000);
      pageErrors = collectPageErrors(page);
    });

    after(async () => {
      await context?.close();
    });

    const shot = name =>
      page.screenshot({
        path: path.join(screenshotDir, `nfs-${name}-${width}.png`),
      });
    const noPageErrors = () => assert.deepEqual(pageErrors.splice(0), []);

    it('signs in as guest and opens the catalog', async () => {
      await page.goto(`${appUrl}/`);
      await page.getByRole('button', { name: /enter/i }).click();
      // `/` redirects to the catalog (app/routes in app-config.yaml)
      await page.waitForURL(url => new URL(url).pathname === '/catalog');
      await page
        .getByRole('link', { name: 'Checkout', exact: true })
        .first()
        .waitFor();
      noPageErrors();
    });

    it('lists Personas in the sidebar, with its icon and its whole label, and opens the overview', async () => {
      const link = page
        .getByRole('navigation', { name: 'sidebar nav' })
        .getByRole('link', { name: TITLE, exact: true });
      await link.waitFor();
      assert.equal(await link.count(), 1);
      const icon = link.locator('svg').first();
      assert.ok(await icon.isVisible(), 'the entry has a visible icon');
      const box = await icon.boundingBox();
      assert.ok(box.width >= 12 && box.height >= 12, JSON.stringify(box));
      // the label fits: not cut off with an ellipsis
      const cut = await link.evaluate(element =>
        [element, ...element.querySelectorAll('*')].some(
          node =>
            node.scrollWidth > node.clientWidth + 1 &&
            getComputedStyle(node).textOverflow === 'ellipsis',
        ),
      );
      assert.equal(cut, false, 'the sidebar label is cut off');

      await link.click();
      await page.waitForURL(
        url => new URL(url).pathname === '/devops-personas',
      );
      // the overview's content: its table of entities
      await page.getByRole('heading', { name: /^\d+ entities$/ }).waitFor();
      await page.getByText('Most hats (named explicitly)').waitFor();
      // the title once: the app's page header, not a second one of the plugin
      assert.equal(
        await visibleCount(
          page.getByRole('heading', { name: TITLE, exact: true }),
        ),
        1,
      );
      await shot('overview');
      noPageErrors();
    });

    it('shows the Personas, RACI, KPIs and SLOs tabs on checkout, its tech lead and KPIs', async () => {
      await page.goto(`${appUrl}/catalog/default/component/checkout`);
      const tabs = page.getByRole('navigation', {
        name: 'Content navigation',
      });
      for (const tab of ['Personas', 'RACI', 'KPIs', 'SLOs']) {
        await tabs.getByRole('link', { name: tab, exact: true }).waitFor();
      }

      await tabs.getByRole('link', { name: 'Personas', exact: true }).click();
      await page.waitForURL(
        url =>
          new URL(url).pathname ===
          '/catalog/default/component/checkout/personas',
      );
      // the persona canvas: checkout's tech lead, set on the entity
      const techLead = page
        .getByRole('list', { name: 'Holders of Tech Lead' })
        .getByRole('link', { name: 'Bob Martin', exact: true });
      await techLead.waitFor();
      assert.equal(
        await techLead.getAttribute('href'),
        '/catalog/default/user/bob',
      );
      await page.getByText('7 of 7 personas assigned').waitFor();
      await shot('checkout-personas');

      await tabs.getByRole('link', { name: 'KPIs', exact: true }).click();
      await page.waitForURL(
        url =>
          new URL(url).pathname === '/catalog/default/component/checkout/kpis',
      );
      // a KPI with its figure, from the example events
      await page
        .getByRole('button', { name: /^Deployment frequency: [\d.]+ \/ week/ })
        .waitFor();
      noPageErrors();
    });

    it('shows the Hats card on a User page', async () => {
      await page.goto(`${appUrl}/catalog/default/user/carol`);
      // The card, by its title and subheader (its title is no heading).
      const hats = page
        .locator('.MuiCard-root')
        .filter({ has: page.getByText('Hats', { exact: true }) })
        .filter({ hasText: 'Personas worn on catalog entities' });
      await hats.waitFor();
      await hats.getByText(/^\d+ hats on \d+ entities/).waitFor();
      // carol's own hat on the payments System
      const payments = hats
        .getByRole('listitem')
        .filter({ hasText: 'Service Owner of payments (Set on this entity)' });
      await payments.waitFor();
      assert.equal(
        await payments
          .getByRole('link', { name: 'payments' })
          .getAttribute('href'),
        '/catalog/default/system/payments',
      );
      await shot('user');
      noPageErrors();
    });

    it('renders the weekly review of a System, its title once', async () => {
      await page.goto(
        `${appUrl}/devops-personas/review?entity=system:default/payments`,
      );
      assert.equal(pathOf(page), '/devops-personas/review');
      await page
        .getByRole('heading', { name: /^KPIs that got worse/ })
        .waitFor();
      await page.getByText(/^payments · Week /).waitFor();
      assert.equal(
        await visibleCount(
          page.getByRole('heading', { name: 'Weekly review', exact: true }),
        ),
        1,
      );
      await shot('review');
      noPageErrors();
    });
  });
}
