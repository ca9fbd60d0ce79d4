import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { inviteStateOfficer, signInApi, urlFetcher } from '../support/api-session.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { launchBrowser, screenshot, seriousAxeViolations, signInWithForm } from './browser.js';

// The civil-society layer in the browser: a researcher asks a question carrying stored-XSS payloads on a public row
// of France's 2024 report, the Secretariat approves it, France's officer answers, and an anonymous visitor reads
// both, the payload as plain text. Meetings are edited by the Secretariat and read by anyone. Meeting data here are
// invented test data, not facts.

const SECRETARIAT = { email: 'secretariat@att.example', password: 'secretariat passphrase 2026' };
const OFFICER = { email: 'officer@example.fr', password: 'officer passphrase 2026' };
/** Each payload would set window.__xss or open a dialog if the page ever parsed user text as HTML or followed it. */
const PAYLOAD = [
  '<script>window.__xss = 1; alert(1)</script>',
  '<img src=x onerror="window.__xss = 2; alert(2)">',
  '"><svg onload="window.__xss = 3; alert(3)">',
  'javascript:window.__xss=4',
  "'; drop table users; --",
].join(' ');

let server: ServerProcess;
let browser: Browser;
let reportId = '';

beforeAll(async () => {
  // France's 2024 report only (exports public, imports private): one import keeps start-up short on a busy machine.
  [server, browser] = await Promise.all([
    startServer({ imports: [['att-report', 'test/fixtures/att-report/report.csv']], secretariat: SECRETARIAT }),
    launchBrowser(),
  ]);
  const fetcher = urlFetcher(server.url);
  const secretariat = await signInApi(fetcher, SECRETARIAT.email, SECRETARIAT.password);
  await inviteStateOfficer(fetcher, secretariat, OFFICER.email, 'FRA', OFFICER.password);
  const reports = (await (await fetch(`${server.url}/v1/reports?stateId=FRA`)).json()) as { rows: { id: string }[] };
  reportId = reports.rows[0]!.id;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Records any dialog (alert) the page opens: none may open. */
function watchDialogs(page: Page): string[] {
  const opened: string[] = [];
  page.on('dialog', (dialog) => {
    opened.push(dialog.message());
    void dialog.dismiss();
  });
  return opened;
}

/** True when the payload ran anywhere in the page, or left an element of its own in the annotations. */
async function payloadRan(page: Page): Promise<boolean> {
  return page.evaluate(
    () =>
      (window as unknown as { __xss?: number }).__xss !== undefined ||
      document.querySelectorAll('.report-annotations script, .report-annotations img, .report-annotations svg, .annotation-text *').length > 0,
  );
}

const reportPath = () => `/reports/${encodeURIComponent(reportId)}`;

describe('questions and annotations in the web app', () => {
  it('takes a question with XSS payloads from a researcher through moderation and the State answer to an anonymous reader, as inert text', async () => {
    // 1. A researcher registers from the report page and asks a question on a public row (the exports form).
    const researcher = await browser.newContext();
    const page = await researcher.newPage();
    const dialogs = watchDialogs(page);
    await page.goto(`${server.url}${reportPath()}`);
    await page.click('[data-action="sign-in-to-ask"]');
    await page.waitForURL(/\/sign-in/);
    await page.fill('#register-email', 'researcher@example.org');
    await page.fill('#register-name', 'Arms Watch <b>NGO</b>');
    await page.fill('#register-password', 'a long researcher passphrase');
    await page.click('form[data-form="register"] button[type="submit"]');
    await page.waitForURL((url) => url.pathname === reportPath());
    await page.waitForSelector('form[data-form="annotate"]');
    const options = await page.$$eval('form[data-form="annotate"] select[name="rowId"] option', (all) => all.map((o) => ({ value: o.getAttribute('value'), text: o.textContent ?? '' })));
    const exportRow = options.find((o) => o.value && /Exports|exports/i.test(o.text));
    expect(exportRow, JSON.stringify(options)).toBeDefined();
    // Rows of the private imports form are never offered.
    expect(options.filter((o) => o.value).every((o) => !/imports/i.test(o.text))).toBe(true);
    await page.selectOption('form[data-form="annotate"] select[name="rowId"]', exportRow!.value!);
    await page.selectOption('form[data-form="annotate"] select[name="kind"]', 'question');
    await page.fill('form[data-form="annotate"] textarea', PAYLOAD);
    await page.click('form[data-form="annotate"] button[type="submit"]');
    const pending = await page.waitForSelector('[data-annotation][data-status="pending"]');
    expect(await pending.$eval('.annotation-text', (e) => e.textContent)).toBe(PAYLOAD);
    expect(await pending.$('[data-badge="pending"]')).not.toBeNull();
    expect(await payloadRan(page)).toBe(false);
    expect(dialogs).toEqual([]);
    await researcher.close();

    // 2. The Secretariat approves it from the moderation page (reached from its account page).
    const secretariat = await browser.newContext();
    const secPage = await secretariat.newPage();
    const secDialogs = watchDialogs(secPage);
    await signInWithForm(secPage, server.url, SECRETARIAT.email, SECRETARIAT.password);
    await secPage.click('a[href="/moderation"]');
    const item = await secPage.waitForSelector('.moderation-queue [data-annotation]');
    expect(await item.$eval('.annotation-text', (e) => e.textContent)).toBe(PAYLOAD);
    expect(await payloadRan(secPage)).toBe(false);
    expect(await seriousAxeViolations(secPage)).toEqual([]);
    await item.$eval('[data-action="approve"]', (b) => (b as HTMLButtonElement).click());
    await secPage.waitForSelector('.moderation-queue [data-notice="info"]');
    expect(secDialogs).toEqual([]);
    await secretariat.close();

    // 3. France's reporting officer answers on the report page.
    const officer = await browser.newContext();
    const officerPage = await officer.newPage();
    await signInWithForm(officerPage, server.url, OFFICER.email, OFFICER.password, reportPath());
    await officerPage.waitForSelector('form[data-form="answer"]');
    await officerPage.fill('form[data-form="answer"] textarea', 'The end user is the national army. <i>Not HTML</i>');
    await officerPage.click('form[data-form="answer"] button[type="submit"]');
    await officerPage.waitForSelector('[data-answer]');
    await officer.close();

    // 4. An anonymous visitor reads the question, as the text typed, and the answer; nothing ran.
    const visitor = await browser.newContext();
    const visitorPage = await visitor.newPage();
    const visitorDialogs = watchDialogs(visitorPage);
    await visitorPage.goto(`${server.url}${reportPath()}`);
    const published = await visitorPage.waitForSelector('[data-annotation][data-status="approved"]');
    expect(await published.$eval('.annotation-text', (e) => e.textContent)).toBe(PAYLOAD);
    expect(await published.$eval('[data-answer] .annotation-text', (e) => e.textContent)).toBe('The end user is the national army. <i>Not HTML</i>');
    expect(await published.$eval('.annotation-meta', (e) => e.textContent)).toContain('Arms Watch <b>NGO</b>');
    expect(await visitorPage.isVisible(`text=${'<script>window.__xss = 1; alert(1)</script>'}`)).toBe(true);
    await visitorPage.waitForTimeout(300);
    expect(await payloadRan(visitorPage)).toBe(false);
    expect(visitorDialogs).toEqual([]);
    expect(await visitorPage.$('[data-action="sign-in-to-ask"]')).not.toBeNull();
    expect(await seriousAxeViolations(visitorPage)).toEqual([]);
    await screenshot(visitorPage, 'report-annotations');
    await visitor.close();

    // The tables are intact after the SQL payload: the accounts still sign in.
    const again = await signInApi(urlFetcher(server.url), SECRETARIAT.email, SECRETARIAT.password);
    expect(again.csrfToken.length).toBeGreaterThan(10);
  });
});

describe('meetings in the web app', () => {
  it('lets the Secretariat add a meeting, a closed session and a document; anyone reads them with the NGO marker', async () => {
    const secretariat = await browser.newContext();
    const page = await secretariat.newPage();
    const dialogs = watchDialogs(page);
    await signInWithForm(page, server.url, SECRETARIAT.email, SECRETARIAT.password);
    await page.click('a[href="/meetings"]');
    await page.waitForSelector('form[data-form="add-meeting"]');
    await page.selectOption('form[data-form="add-meeting"] select[name="kind"]', 'wgtr');
    await page.fill('form[data-form="add-meeting"] input[name="title"]', 'Sample working group <img src=x onerror="window.__xss=5">');
    await page.fill('form[data-form="add-meeting"] input[name="number"]', 'T-WG1');
    await page.fill('form[data-form="add-meeting"] input[name="place"]', 'Test City');
    await page.fill('form[data-form="add-meeting"] input[name="startDate"]', '2031-02-10');
    await page.fill('form[data-form="add-meeting"] input[name="endDate"]', '2031-02-12');
    await page.click('form[data-form="add-meeting"] button[type="submit"]');
    await page.waitForURL(/\/meetings\/\d+$/);
    const meetingPath = new URL(page.url()).pathname;

    await page.fill('form[data-form="add-session"] input[name="title"]', 'Closed consultations');
    await page.fill('form[data-form="add-session"] input[name="date"]', '2031-02-11');
    await page.selectOption('form[data-form="add-session"] select[name="ngoAccess"]', 'closed');
    await page.click('form[data-form="add-session"] button[type="submit"]');
    await page.waitForSelector('[data-ngo-access="closed"]');

    await page.fill('form[data-form="add-document"] input[name="link"]', 'javascript:alert(1)');
    await page.fill('form[data-form="add-document"] input[name="title"]', 'Sample working paper');
    await page.fill('form[data-form="add-document"] input[name="date"]', '2031-01-20');
    // The browser's own url check would stop the form: send it as a script would, to see the API refuse it.
    await page.$eval('form[data-form="add-document"]', (form) => form.setAttribute('novalidate', ''));
    await page.click('form[data-form="add-document"] button[type="submit"]');
    await page.waitForSelector('form[data-form="add-document"] .form-status[data-error]');
    expect(await page.textContent('form[data-form="add-document"] .form-status')).toMatch(/link/);
    await page.fill('form[data-form="add-document"] input[name="symbol"]', 'TEST/T-WG1/2031/WP.1');
    await page.fill('form[data-form="add-document"] input[name="link"]', 'https://example.org/t-wg1-wp1.pdf');
    await page.selectOption('form[data-form="add-document"] select[name="language"]', 'fr');
    await page.click('form[data-form="add-document"] button[type="submit"]');
    await page.waitForSelector('[data-document] code');
    expect(dialogs).toEqual([]);
    await secretariat.close();

    const visitor = await browser.newContext();
    const anonymous = await visitor.newPage();
    const visitorDialogs = watchDialogs(anonymous);
    await anonymous.goto(`${server.url}/meetings?kind=wgtr&year=2031`);
    const link = await anonymous.waitForSelector(`a[href="${meetingPath}"]`);
    expect(await link.textContent()).toBe('T-WG1: Sample working group <img src=x onerror="window.__xss=5">');
    expect(await seriousAxeViolations(anonymous)).toEqual([]);
    await link.click();
    await anonymous.waitForSelector('[data-ngo-access="closed"]');
    expect(await anonymous.textContent('[data-ngo-access="closed"]')).toBe('Closed to NGOs');
    expect(await anonymous.getAttribute('[data-document] a[href^="http"]', 'href')).toBe('https://example.org/t-wg1-wp1.pdf');
    expect(await anonymous.$('form[data-form="add-session"]')).toBeNull();
    expect(await anonymous.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(visitorDialogs).toEqual([]);
    expect(await seriousAxeViolations(anonymous)).toEqual([]);
    await screenshot(anonymous, 'meeting');
    await visitor.close();
  });
});
