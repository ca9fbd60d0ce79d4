import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { en } from '../../web/src/i18n/en.js';
import { SCREENSHOTS, appServer, launchBrowser, screenshot, seriousAxeViolations } from './browser.js';

// The journey a researcher takes: the treaty on the day the first Conference of States Parties opened
// (24 August 2015: 72 instruments deposited, the treaty in force for 69), then one State's page.

let server: Awaited<ReturnType<typeof appServer>>;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([appServer(), launchBrowser()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(viewport: {
  width: number;
  height: number;
}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'America/Los_Angeles' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return { context, page, errors };
}

const countOf = (page: Page, key: string) => page.locator(`[data-count="${key}"] .count-value`);

describe('home page and State page', () => {
  it('shows 72 deposited and 69 States Parties on 2015-08-24, finds France and lists its deposit and obligations', async () => {
    const { context, page, errors } = await newPage({ width: 1280, height: 900 });
    try {
      await page.goto(`${server.url}/`);
      await expect.poll(() => countOf(page, 'stateParty').textContent(), { timeout: 20_000 }).not.toBe('…');

      await page.getByLabel(en['date.label'], { exact: true }).fill('2015-08-24');
      await page.waitForURL(/\?asOf=2015-08-24$/);
      await expect.poll(() => countOf(page, 'deposited').textContent(), { timeout: 20_000 }).toBe('72');
      expect(await countOf(page, 'stateParty').textContent()).toBe('69');
      expect(await countOf(page, 'depositedAwaitingEif').textContent()).toBe('3');

      // The map: every State is a link with a name; small States (Tuvalu has no polygon at 110m) are circles.
      await page.locator('svg.world-map a[data-m49="250"]').waitFor({ timeout: 20_000 });
      expect(await page.locator('svg.world-map a[data-m49="250"]').getAttribute('aria-label')).toBe(
        en['map.stateLabel'].replace('{name}', 'France').replace('{status}', en['status.state_party']),
      );
      expect(await page.locator('svg.world-map a[data-m49="798"] circle').count()).toBe(1);
      await page.locator('svg.world-map a[data-m49="250"]').focus();
      await expect.poll(() => page.locator('.map-tooltip').isVisible()).toBe(true);
      expect(await page.locator('.map-tooltip').textContent()).toContain('France');
      await screenshot(page, 'home-2015-08-24', false);
      await page.locator('.map-section').screenshot({ path: `${SCREENSHOTS}/home-map-focus-FRA.png` });

      expect(await seriousAxeViolations(page)).toEqual([]);

      await page.getByLabel(en['table.search'], { exact: true }).fill('France');
      await page.waitForURL(/q=France/);
      const rows = page.locator('table.states-table tbody tr');
      await expect.poll(() => rows.count()).toBe(1);
      await rows.getByRole('link', { name: 'France', exact: true }).click();

      await page.waitForURL(/\/states\/FRA\?asOf=2015-08-24$/);
      await expect.poll(() => page.locator('h1').textContent(), { timeout: 20_000 }).toBe('France');
      const deposit = page.locator('.facts dd time[datetime="2014-04-02"]');
      expect(await deposit.count()).toBe(1);
      expect(await deposit.textContent()).toBe('2 April 2014');
      const obligations = page.locator('table.obligations-table tbody tr');
      await expect.poll(() => obligations.count()).toBeGreaterThan(0);
      expect(await obligations.first().locator('th').textContent()).toBe(en['obligation.kind.initial']);
      expect(await page.locator('.source-note').textContent()).toContain(en['source.label']);
      expect(await page.locator('footer a[href="/openapi.json"]').count()).toBe(1);
      await screenshot(page, 'state-FRA-2015-08-24');

      expect(await seriousAxeViolations(page)).toEqual([]);

      // Back to the home page keeps the date.
      await page.goBack();
      await expect.poll(() => countOf(page, 'deposited').textContent(), { timeout: 20_000 }).toBe('72');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('fits a 375 px wide phone screen without sideways scrolling of the page', async () => {
    const { context, page, errors } = await newPage({ width: 375, height: 812 });
    try {
      await page.goto(`${server.url}/?asOf=2015-08-24`);
      await expect.poll(() => countOf(page, 'deposited').textContent(), { timeout: 20_000 }).toBe('72');
      await page.locator('svg.world-map').waitFor({ timeout: 20_000 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(page, 'home-phone-375', false);
      await page.locator('#states').scrollIntoViewIfNeeded();
      await screenshot(page, 'home-phone-375-table', false);

      await page.goto(`${server.url}/states/FRA?asOf=2015-08-24`);
      await expect.poll(() => page.locator('h1').textContent(), { timeout: 20_000 }).toBe('France');
      await page.locator('table.obligations-table').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(page, 'state-FRA-phone-375');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('explains a term from the keyboard', async () => {
    const { context, page } = await newPage({ width: 1280, height: 900 });
    try {
      await page.goto(`${server.url}/?asOf=2015-08-24`);
      await expect.poll(() => countOf(page, 'deposited').textContent(), { timeout: 20_000 }).toBe('72');
      const summary = page.locator('[data-count="signatory"] details.tip summary');
      await summary.focus();
      await page.keyboard.press('Enter');
      const body = page.locator('[data-count="signatory"] .tip-body');
      await expect.poll(() => body.isVisible()).toBe(true);
      expect(await body.textContent()).toBe(en['term.signatory']);
      await screenshot(page, 'home-term-tip', false);
      await page.keyboard.press('Escape');
      await expect.poll(() => body.isVisible()).toBe(false);
    } finally {
      await context.close();
    }
  }, 60_000);
});
