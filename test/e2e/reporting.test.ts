import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { inviteStateOfficer, signInApi, urlFetcher } from '../support/api-session.js';
import { REPO_ROOT, startServer, type ServerProcess } from '../support/server-process.js';
import { FIXTURES, launchBrowser, seriousAxeViolations, signInWithForm } from './browser.js';
import path from 'node:path';

// The State reporting workflow in the web app: the Secretariat invites a French officer (API), who signs in, starts
// the 2025 annual report, fills a row with the table form, uploads the template, marks imports nil, makes exports
// private and submits; the public sees "submitted, private" and none of the rows; the officer amends (version 2).

const SECRETARIAT = { email: 'secretariat@att.example', password: 'secretariat passphrase 2026' };
const OFFICER = { email: 'reporting.officer@example.fr', password: 'officer passphrase 2026' };
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ imports: FIXTURES, secretariat: SECRETARIAT }), launchBrowser()]);
  const fetcher = urlFetcher(server.url);
  const secretariat = await signInApi(fetcher, SECRETARIAT.email, SECRETARIAT.password);
  await inviteStateOfficer(fetcher, secretariat, OFFICER.email, 'FRA', OFFICER.password);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function draftJson(page: Page): Promise<{ content: { title: Record<string, unknown>; exports: unknown[]; imports: unknown[] } }> {
  const id = new URL(page.url()).pathname.split('/').pop();
  const response = await page.request.get(`${server.url}/v1/reporting/drafts/${id}`);
  return ((await response.json()) as { data: { draft: never } }).data.draft;
}

describe('the State reporting workflow in the web app', () => {
  it('takes an officer from a draft to a submitted private form and an amendment, and the public sees only "submitted, private"', async () => {
    const officer = await browser.newContext();
    const page = await officer.newPage();
    await signInWithForm(page, server.url, OFFICER.email, OFFICER.password, '/reporting');
    await page.waitForSelector('table[data-table="obligations"]');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.fill('#start-year', '2025');
    await page.click('form[data-form="start-draft"] button[type="submit"]');
    await page.waitForURL(/\/reporting\/drafts\//);
    await page.waitForSelector('[data-form-section="exports"]');

    // A row with the table form.
    await page.click('[data-add-row="exports"]');
    await page.fill('input[name="exports-1-category"]', 'II');
    await page.fill('input[name="exports-1-partner"]', 'CHL');
    await page.fill('input[name="exports-1-numberOfItems"]', '3');
    await page.fill('input[name="exports-1-value"]', '900000');
    await page.fill('input[name="exports-1-currency"]', 'EUR');
    await page.selectOption('select[data-basis="exports"]', 'actual');
    await page.click('button[data-action="save"]');
    await page.waitForSelector('.form-status[data-saved]');
    expect((await draftJson(page)).content.exports).toEqual([{ category: 'II', partner: 'CHL', numberOfItems: '3', value: '900000', currency: 'EUR' }]);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The template replaces the draft's content.
    await page.setInputFiles('#draft-upload', path.join(REPO_ROOT, 'test/fixtures/att-report/draft-upload-2025.csv'));
    await page.click('button[data-action="upload"]');
    await page.waitForSelector('.draft-upload .form-status[data-uploaded]');
    expect(await page.inputValue('input[name="exports-2-partner"]')).toBe('PER');

    // Imports: nil report in one click (its uploaded row goes, after a confirmation).
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('[data-nil="imports"]');
    await page.waitForSelector('[data-nil-report="imports"]');
    await expect.poll(async () => (await draftJson(page)).content.title.importsNilReport).toBe(true);

    // Exports private, then submit with confirmation.
    await page.selectOption('select[data-visibility="exports"]', 'private');
    await page.click('button[data-action="save"]');
    await expect.poll(async () => (await draftJson(page)).content.title.exportsVisibility).toBe('private');
    await page.waitForSelector('[data-valid="yes"]');
    await page.click('button[data-action="submit"]');
    await page.click('button[data-action="confirm-submit"]');
    await page.waitForURL(/\/reports\//);
    const reportUrl = page.url();

    // The public report page: exports "submitted, private", none of the rows.
    const visitor = await browser.newContext();
    const publicPage = await visitor.newPage();
    await publicPage.goto(reportUrl);
    await publicPage.waitForSelector('.form-status[data-form="exports"]');
    expect(await publicPage.textContent('.form-status[data-form="exports"]')).toMatch(/submitted, private/);
    await publicPage.waitForSelector('table[data-table="history"]');
    const text = (await publicPage.textContent('main')) ?? '';
    expect(text).not.toMatch(/PER|Peru|Rifles|18,000,000|Chile/);
    expect(await publicPage.$$('.report-rows-table tbody tr')).toHaveLength(0);
    expect(await seriousAxeViolations(publicPage)).toEqual([]);

    // The officer amends: version 2, and the history shows both.
    await page.goto(`${server.url}/reporting`);
    await page.click('[data-start="annual-2025"]');
    await page.waitForURL(/\/reporting\/drafts\//);
    await page.waitForSelector('[data-valid="yes"]');
    await page.click('button[data-action="submit"]');
    await page.click('button[data-action="confirm-submit"]');
    await page.waitForURL((url) => url.pathname.startsWith('/reports/') && url.href !== reportUrl);
    await page.waitForSelector('table[data-table="history"] tr[data-version="2"]');
    expect(await page.$$eval('table[data-table="history"] tbody tr', (rows) => rows.map((r) => r.getAttribute('data-version')))).toEqual(['1', '2']);
    expect(await page.textContent('[data-amended]')).toMatch(/amended/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await visitor.close();
    await officer.close();
  }, 120_000);

  it('lets the Secretariat record a report received outside the system from its page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInWithForm(page, server.url, SECRETARIAT.email, SECRETARIAT.password, '/reporting/record');
    await page.waitForSelector('form[data-form="record-report"]');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.fill('#record-state', 'DEU');
    await page.fill('#record-year', '2024');
    await page.fill('#record-date', '2025-05-20');
    await page.selectOption('#record-exports', 'public');
    await page.selectOption('#record-imports', 'private-nil');
    await page.click('form[data-form="record-report"] button[type="submit"]');
    const link = await page.waitForSelector('[data-recorded]');
    expect(await link.textContent()).toBe('recorded:DEU:annual:2024:2025-05-20');
    const entry = (await (await fetch(`${server.url}/v1/reports/${encodeURIComponent('recorded:DEU:annual:2024:2025-05-20')}`)).json()) as { data: { entry: { exports: { visibility: string }; imports: { visibility: string } } } };
    expect(entry.data.entry.exports.visibility).toBe('public');
    expect(entry.data.entry.imports.visibility).toBe('private');
    await context.close();
  }, 60_000);
});
