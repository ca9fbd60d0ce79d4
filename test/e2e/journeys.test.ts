import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { en } from '../../web/src/i18n/en.js';
import { es } from '../../web/src/i18n/es.js';
import { fr } from '../../web/src/i18n/fr.js';
import type { Message } from '../../web/src/i18n/types.js';
import { appServer, launchBrowser, screenshot, seriousAxeViolations } from './browser.js';

// Journeys of researchers, journalists and treaty officials over the fixtures (test/e2e/browser.ts FIXTURES): five
// SIPRI delivery rows (France to Chile in 2021 and 2022, Germany to Peru, Norway to the African Union, Türkiye to
// Côte d'Ivoire) and France's annual report for 2024.

let server: Awaited<ReturnType<typeof appServer>>;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([appServer(), launchBrowser()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Session {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

async function open(
  path: string,
  viewport = { width: 1280, height: 900 },
  context?: BrowserContext,
): Promise<Session> {
  const ctx = context ?? (await browser.newContext({ viewport, locale: 'en-GB', acceptDownloads: true }));
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${server.url}${path}`);
  return { context: ctx, page, errors };
}

/** A catalogue message as text (plural messages: their `other` form). */
const text = (message: Message): string => (typeof message === 'string' ? message : message.other);
const rowsOf = (page: Page, selector: string) => page.locator(`${selector} tbody tr`);
const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('journeys', () => {
  it('finds a State and reads its profile: treaty record, transfers over time, indicators, screening, reports', async () => {
    const { context, page, errors } = await open('/');
    try {
      await page.getByLabel(en['table.search'], { exact: true }).fill('France');
      await page.waitForURL(/q=France/);
      await rowsOf(page, 'table.states-table').getByRole('link', { name: 'France', exact: true }).click();
      await page.waitForURL(/\/states\/FRA$/);
      await expect.poll(() => page.locator('h1').textContent(), { timeout: 20_000 }).toBe('France');

      // Exports over time: the fixture's France-Chile deliveries (TIV 25 in 2021, 12.5 in 2022), in the chart's table.
      const tiv = page.locator('.profile-section').filter({ hasText: en['profile.tiv.heading'] });
      await tiv.locator('.chart-canvas svg').last().waitFor({ timeout: 20_000 });
      const tivRows = tiv.locator('.chart-data tbody tr');
      expect(await tivRows.count()).toBe(2);
      expect(await tivRows.first().locator('th').textContent()).toBe('2022');
      expect(await tivRows.first().locator('td').first().textContent()).toBe('12.5');

      // Indicators (never verdicts), the screening counts and the report with its transparency score.
      const indicators = rowsOf(page, 'table.indicators-table');
      await expect.poll(() => indicators.count(), { timeout: 20_000 }).toBeGreaterThan(5);
      expect(
        await page.locator('table.indicators-table [data-indicator="att_membership"] .level').textContent(),
      ).toContain(en['level.info']);
      await page.locator('.outcome-counts [data-outcome="clear"]').waitFor();
      const reports = rowsOf(page, 'table.reports-table');
      await expect.poll(() => reports.count(), { timeout: 20_000 }).toBe(1);
      expect(await reports.first().textContent()).toContain(
        en['profile.reports.annual'].replace('{year}', '2024'),
      );
      await reports.first().locator('details.score summary').click();
      expect(await reports.first().locator('.criteria li').count()).toBeGreaterThan(3);

      // Every table of the profile offers a CSV and a citation.
      expect(await page.locator('.state-profile .data-actions .csv-link').count()).toBeGreaterThanOrEqual(4);
      expect(await page.locator('.state-profile .data-sources').first().textContent()).toContain(
        'Information from the SIPRI Arms Transfers Database',
      );
      await screenshot(page, 'journey-state-FRA-profile');
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('opens a report and reads why it lost points', async () => {
    // The fixture's report as the API gives it: the page must show the same score and reasons.
    const list = (await (await fetch(`${server.url}/v1/reports?stateId=FRA`)).json()) as {
      rows: { id: string }[];
    };
    const id = list.rows[0]!.id;
    const detail = (await (await fetch(`${server.url}/v1/reports/${encodeURIComponent(id)}`)).json()) as {
      data: {
        rows: { provenance: { fileName: string; row: number } }[];
        score: {
          score: number;
          maxScore: number;
          criteria: { id: string; label: string; points: number; maxPoints: number; reason: string }[];
        };
      };
    };
    const { score, rows: apiRows } = detail.data;
    const withheld = score.criteria.find((c) => c.id === 'nothingWithheld')!;
    expect(withheld.points).toBeLessThan(withheld.maxPoints);
    expect(withheld.reason).toMatch(/commercially sensitive/);

    const { context, page, errors } = await open('/states/FRA');
    try {
      const link = rowsOf(page, 'table.reports-table').first().locator('a.report-link');
      await link.waitFor({ timeout: 20_000 });
      await link.click();
      await page.waitForURL((url) => url.pathname === `/reports/${encodeURIComponent(id)}`);
      await expect
        .poll(() => page.locator('h1').textContent(), { timeout: 20_000 })
        .toBe(`France: ${en['profile.reports.annual'].replace('{year}', '2024')}`);
      await page.locator('.report-body[aria-busy="false"]').waitFor({ timeout: 20_000 });

      // Submission and the status of each form: exports public (something withheld), imports submitted but private.
      expect(await page.locator('.form-status[data-form="exports"]').textContent()).toContain(
        en['visibility.public'],
      );
      expect(await page.locator('.form-status[data-form="imports"]').textContent()).toBe(
        en['report.form.private'],
      );

      // The score, every criterion with its reason, and the points lost said in words.
      expect(await page.locator('.score-value').textContent()).toBe(String(score.score));
      expect(await page.locator('.score-max').textContent()).toBe(
        en['report.score.outOf'].replace('{max}', String(score.maxScore)),
      );
      expect(await page.locator('.criteria-list > li').count()).toBe(score.criteria.length);
      const criterion = page.locator('.criterion[data-criterion="nothingWithheld"]');
      expect(await criterion.getAttribute('class')).toContain('lost');
      expect(await criterion.locator('.criterion-reason').textContent()).toBe(withheld.reason);
      expect(await criterion.locator('.criterion-lost').textContent()).toBe(
        en['report.criterion.lost'].replace('{lost}', String(withheld.maxPoints - withheld.points)),
      );
      expect(await page.locator('.criterion.lost').count()).toBe(
        score.criteria.filter((c) => c.points < c.maxPoints).length,
      );
      expect(await page.locator('.report-score').textContent()).toContain('docs/transparency-rubric.md');

      // The rows of the public form, each with the file and row it came from.
      const rows = rowsOf(page, 'table.report-rows-table');
      expect(await rows.count()).toBe(apiRows.length);
      const first = apiRows[0]!.provenance;
      expect(await rows.first().locator('.provenance-cell').textContent()).toBe(
        `${first.fileName} ${en['report.rows.row'].replace('{row}', String(first.row))}`,
      );

      // A CSV of those rows, built in the page, and a citation.
      const csv = page.locator('.report-rows .csv-link');
      expect(await csv.getAttribute('data-csv')).toBe('page');
      const [download] = await Promise.all([page.waitForEvent('download'), csv.click()]);
      const records = parse(await readFile((await download.path())!, 'utf8'), {
        columns: true,
        bom: true,
      }) as Record<string, string>[];
      expect(records).toHaveLength(apiRows.length);
      expect(records[0]).toMatchObject({ fileName: first.fileName, row: String(first.row) });
      expect(await page.locator('.report-rows .citation-text').textContent()).toContain(page.url());

      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'journey-report');

      // Readable on a phone; an unknown report is the not-found page.
      await page.setViewportSize({ width: 375, height: 812 });
      expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(375);
      await screenshot(page, 'journey-report-375');
      await page.goto(`${server.url}/reports/${encodeURIComponent('att-report-import:9:XXX:annual:1900')}`);
      await expect
        .poll(() => page.locator('h1').textContent(), { timeout: 20_000 })
        .toBe(en['notFound.title']);
      expect(errors.filter((e) => !/404/.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('filters transfers to a destination and downloads the CSV with the same filters', async () => {
    const { context, page, errors } = await open('/transfers');
    try {
      const importer = page.getByLabel(en['transfers.filter.importerId'], { exact: true });
      await expect.poll(() => importer.locator('option[value="CHL"]').count(), { timeout: 20_000 }).toBe(1);
      await importer.selectOption('CHL');
      await page.waitForURL(/\/transfers\?importer=CHL$/);
      const rows = rowsOf(page, 'table.transfers-table');
      // Two SIPRI deliveries and the row of France's public exports form.
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(3);
      for (const row of await rows.all()) expect(await row.locator('td').nth(1).textContent()).toBe('Chile');
      expect(await page.locator('.results-summary').textContent()).toBe(
        en['transfers.summaryWith'].other.replace('{count}', '3').replace('{selection}', 'to Chile'),
      );

      // The flow map draws France -> Chile, and its table says so in words.
      await page.locator('svg.flow-map a[data-flow="FRA>CHL"]').waitFor({ timeout: 20_000 });
      expect(await page.locator('table.flows-table tbody').textContent()).toContain('France → Chile');

      const link = page.locator('#transfer-rows .csv-link');
      const href = (await link.getAttribute('href')) ?? '';
      expect(href).toMatch(/^\/v1\/transfers\.csv\?/);
      expect(new URL(href, server.url).searchParams.get('importerId')).toBe('CHL');
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const records = parse(await readFile((await download.path())!, 'utf8'), {
        columns: true,
        bom: true,
      }) as Record<string, string>[];
      expect(records).toHaveLength(3);
      for (const record of records) expect(record.importerId).toBe('CHL');
      expect(records.map((r) => r.source).sort()).toEqual(['att-report', 'sipri', 'sipri']);
      expect(await page.locator('#transfer-rows .data-sources').textContent()).toContain(
        'Information from the SIPRI Arms Transfers Database',
      );

      await screenshot(page, 'journey-transfers-to-CHL');
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('filters transfers to an embargoed destination, sees the embargo flag, and downloads the CSV', async () => {
    // South Sudan is under a UN arms embargo since 2018 (res. 2428); the fixture holds one reported export to it in 2020.
    const screening = (await (await fetch(`${server.url}/v1/screening?importerId=SSD`)).json()) as {
      rows: { outcome: string; episodeIds: string[] }[];
    };
    expect(screening.rows).toHaveLength(1);
    expect(screening.rows[0]!.outcome).toBe('flag');
    expect(screening.rows[0]!.episodeIds).toContain('SSD-2018');

    const { context, page, errors } = await open('/transfers');
    try {
      const importer = page.getByLabel(en['transfers.filter.importerId'], { exact: true });
      await expect.poll(() => importer.locator('option[value="SSD"]').count(), { timeout: 20_000 }).toBe(1);
      await importer.selectOption('SSD');
      await page.waitForURL(/\/transfers\?importer=SSD$/);
      const rows = rowsOf(page, 'table.transfers-table');
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(1);
      expect(await rows.first().locator('td').nth(1).textContent()).toBe('South Sudan');

      const link = page.locator('#transfer-rows .csv-link');
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const records = parse(await readFile((await download.path())!, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ importerId: 'SSD', exporterId: 'BGR', source: 'att-report' });

      // The destination's profile shows the embargo in force and the flagged transfer.
      await page.goto(`${server.url}/states/SSD?asOf=2021-01-01`);
      const indicators = rowsOf(page, 'table.indicators-table');
      await expect.poll(() => indicators.count(), { timeout: 20_000 }).toBeGreaterThan(5);
      expect(await page.locator('table.indicators-table [data-indicator="un_arms_embargo_in_force"]').textContent()).toContain('SSD-2018');
      await page.locator('.outcome-counts [data-outcome="flag"]').waitFor({ timeout: 20_000 });

      await screenshot(page, 'journey-embargoed-destination-SSD');
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('shares a URL: the same filters, table, chart and map open in a new browser', async () => {
    const path = '/transfers?exporter=FRA&from=2021&to=2022&sort=-year';
    const first = await open(path);
    const second = await open(path);
    try {
      const read = async ({ page }: Session) => {
        const rows = rowsOf(page, 'table.transfers-table');
        await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);
        await page.locator('.chart-canvas svg').last().waitFor({ timeout: 20_000 });
        return {
          rows: await rows.allTextContents(),
          exporter: await page.getByLabel(en['transfers.filter.exporterId'], { exact: true }).inputValue(),
          from: await page.getByLabel(en['transfers.filter.from'], { exact: true }).inputValue(),
          sort: await page.getByLabel(en['transfers.sort.label'], { exact: true }).inputValue(),
          flows: await page.locator('table.flows-table tbody').textContent(),
          title: await page.title(),
        };
      };
      const a = await read(first);
      const b = await read(second);
      expect(b).toEqual(a);
      expect(a).toMatchObject({ exporter: 'FRA', from: '2021', sort: '-year' });
      expect(a.rows[0]).toContain('2022');

      // The embargo timeline keeps its filters in the URL too.
      await second.page.goto(`${server.url}/embargoes?authority=EU&asOf=2020-01-01`);
      await expect
        .poll(() => second.page.locator('svg.timeline a[data-episode]').count(), { timeout: 20_000 })
        .toBeGreaterThan(0);
      expect(await second.page.locator('svg.timeline a[data-authority="UN"]').count()).toBe(0);
      expect(
        await second.page.getByLabel(en['embargoes.filter.authority'], { exact: true }).inputValue(),
      ).toBe('EU');
      expect(first.errors.concat(second.errors)).toEqual([]);
    } finally {
      await first.context.close();
      await second.context.close();
    }
  }, 90_000);

  it('switches language (French, Spanish), keeps it in the URL and remembers it; Arabic is right to left', async () => {
    const { context, page, errors } = await open('/transfers?importer=CHL');
    try {
      await page.locator('table.transfers-table').waitFor({ timeout: 20_000 });
      await page.getByLabel(en['lang.label'], { exact: true }).selectOption('fr');
      await page.waitForURL(/lang=fr/);
      await expect
        .poll(() => page.locator('h1').textContent(), { timeout: 20_000 })
        .toBe(text(fr['transfers.title']));
      await expect
        .poll(() => page.locator('table.transfers-table tbody tr').count(), { timeout: 20_000 })
        .toBe(3);
      expect(await page.locator('.results-summary').textContent()).toBe(
        text(fr['transfers.summaryWith'])
          .replace('{count}', '3')
          .replace('{selection}', text(fr['transfers.sel.to']).replace('{name}', 'Chile')),
      );
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
      expect(await page.locator('nav.site-nav').textContent()).toContain(text(fr['nav.transfers']));
      await screenshot(page, 'journey-transfers-fr', false);

      // Moving inside the app keeps the language in the URL.
      await page.getByRole('link', { name: text(fr['nav.embargoes']), exact: true }).click();
      await page.waitForURL(/\/embargoes\?lang=fr$/);
      await expect.poll(() => page.locator('h1').textContent()).toBe(text(fr['embargoes.title']));

      await page.getByLabel(text(fr['lang.label']), { exact: true }).selectOption('es');
      await page.waitForURL(/lang=es/);
      await expect
        .poll(() => page.locator('h1').textContent(), { timeout: 20_000 })
        .toBe(text(es['embargoes.title']));
      expect(await seriousAxeViolations(page)).toEqual([]);

      // Remembered: a link without ?lang opens in Spanish, and the URL says so.
      await page.goto(`${server.url}/methods`);
      await page.waitForURL(/\/methods\?lang=es$/);
      await expect
        .poll(() => page.locator('h1').textContent(), { timeout: 20_000 })
        .toBe(text(es['methods.title']));
      await screenshot(page, 'journey-methods-es', false);

      // Arabic has no catalogue yet: the page is right to left, in English, and says so.
      await page.goto(`${server.url}/?lang=ar`);
      await page.locator('[data-notice="untranslated"]').waitFor({ timeout: 20_000 });
      expect(
        await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
      ).toEqual(['ar', 'rtl']);
      expect(await page.locator('#app').getAttribute('lang')).toBe('en');
      await screenshot(page, 'journey-home-ar-rtl', false);

      // An unknown language: English, with a visible notice.
      await page.goto(`${server.url}/?lang=xx`);
      const notice = page.locator('[data-notice="unknown-language"]');
      await notice.waitFor({ timeout: 20_000 });
      expect(await notice.textContent()).toBe(en['lang.unknown'].replace('{lang}', 'xx'));
      expect(
        await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
      ).toEqual(['en', 'ltr']);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('has no serious accessibility violation and fits a 375 px screen, on every page', async () => {
    // Each page with the element that shows its data has arrived.
    const pages: Record<string, string> = {
      '/': '.coverage-body[aria-busy="false"] .share-bars',
      '/transfers': 'table.flows-table',
      '/states/FRA': 'table.reports-table',
      '/compliance': '.page.compliance[aria-busy="false"] .world-map',
      '/embargoes': '.episodes[aria-busy="false"] .episode',
      '/methods': 'table.imports-table',
    };
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 375, height: 812 },
    ]) {
      const context = await browser.newContext({ viewport, locale: 'en-GB' });
      try {
        for (const [path, ready] of Object.entries(pages)) {
          const { page, errors } = await open(path, viewport, context);
          await page.locator(ready).first().waitFor({ timeout: 20_000 });
          // Wait until every part of the page has answered (no region still busy, charts drawn or replaced).
          await expect
            .poll(
              () => page.locator('[aria-busy="true"], .chart-status, .map-status, .loading-page').count(),
              { timeout: 20_000 },
            )
            .toBe(0);
          const name = path === '/' ? 'home' : path.slice(1).replace(/\//g, '-');
          if (viewport.width === 375) {
            expect(await noSidewaysScroll(page), path).toBeLessThanOrEqual(375);
            await screenshot(page, `page-${name}-375`);
          } else {
            expect(await seriousAxeViolations(page), path).toEqual([]);
            await screenshot(page, `page-${name}`);
          }
          expect(errors, path).toEqual([]);
          await page.close();
        }
      } finally {
        await context.close();
      }
    }
  }, 120_000);

  it('works by keyboard: the embargo timeline and a term tip', async () => {
    const { context, page } = await open('/embargoes?authority=UN');
    try {
      const bar = page.locator('svg.timeline a[data-episode]').first();
      await bar.waitFor({ timeout: 20_000 });
      const id = await bar.getAttribute('data-episode');
      await bar.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`#ep-${id}$`));
      expect(await page.locator(`#ep-${id}`).isVisible()).toBe(true);

      const tip = page.locator('.page-header details.tip summary').first();
      await tip.focus();
      await page.keyboard.press('Enter');
      expect(await page.locator('.page-header .tip-body').first().textContent()).toBe(en['term.binding']);
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator('.page-header .tip-body').first().isVisible()).toBe(false);
    } finally {
      await context.close();
    }
  }, 60_000);
});
