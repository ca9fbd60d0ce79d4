import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { SaxesParser } from 'saxes';
import { registerResearcher, urlFetcher } from '../support/api-session.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { launchBrowser, seriousAxeViolations, signInWithForm } from './browser.js';

// Reference upkeep and alerts, as users meet them: a researcher subscribes by email, the Secretariat records a deposit
// with its source, the State's page and the public Atom feed show it, and the outbox (an interval inside `att serve`)
// writes the researcher's email row.

const SECRETARIAT = { email: 'secretariat@att.example', password: 'secretariat passphrase 2026' };
const RESEARCHER = { email: 'alerts.researcher@example.org', password: 'a long researcher passphrase' };
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startServer({ secretariat: SECRETARIAT, env: { ATT_ALERTS_INTERVAL_SECONDS: '1' } }),
    launchBrowser(),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Ten days ago (UTC): a deposit is recorded once it has happened. */
const depositDate = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);

describe('reference upkeep and alerts in the web app', () => {
  it('takes a deposit from the Secretariat to the State page, the public feed and a researcher\'s email', async () => {
    await registerResearcher(urlFetcher(server.url), RESEARCHER.email, RESEARCHER.password);
    const researcher = await browser.newContext();
    const page = await researcher.newPage();
    await signInWithForm(page, server.url, RESEARCHER.email, RESEARCHER.password);
    await page.click('a[href="/alerts"]');
    await page.waitForSelector('form[data-form="subscribe"]');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.check('#kind-treaty_status_changed');
    await page.click('form[data-form="subscribe"] button[type="submit"]');
    await page.waitForSelector('[data-subscription]');

    const secretariat = await browser.newContext();
    const sec = await secretariat.newPage();
    await signInWithForm(sec, server.url, SECRETARIAT.email, SECRETARIAT.password);
    await sec.click('a[href="/reference-upkeep"]');
    await sec.waitForSelector('form[data-form="treaty-record"]');
    expect(await seriousAxeViolations(sec)).toEqual([]);
    await sec.fill('#upkeep-state', 'AGO');
    await sec.fill('#upkeep-deposit', depositDate);
    await sec.selectOption('#upkeep-action', 'ratification');
    await sec.fill('#treaty-source-citation', 'Depositary notification C.N.500.2026.TREATIES-XXVI.8');
    await sec.click('form[data-form="treaty-record"] button[type="submit"]');
    const done = await sec.waitForSelector('form[data-form="treaty-record"] .form-status[data-done]');
    expect(await done.textContent()).toMatch(/Angola/);
    await sec.fill('#history-id', 'AGO');
    await sec.click('form[data-form="history"] button[type="submit"]');
    expect(await (await sec.waitForSelector('[data-history-action="treaty_record.update"]')).textContent()).toMatch(/C\.N\.500\.2026/);

    const visitor = await browser.newPage();
    await visitor.goto(`${server.url}/states/AGO`);
    await visitor.waitForSelector('[data-status="deposited_awaiting_eif"]');

    const atom = await (await fetch(`${server.url}/v1/feeds/events.atom?kind=treaty_status_changed`)).text();
    const titles: string[] = [];
    let inTitle = false;
    const parser = new SaxesParser({ xmlns: true });
    parser.on('opentag', (tag) => (inTitle = tag.local === 'title'));
    parser.on('closetag', () => (inTitle = false));
    parser.on('text', (text) => inTitle && titles.push(text));
    parser.write(atom).close();
    expect(titles).toContain(`Angola: ratification deposited on ${depositDate}; in force for it from ${new Date(Date.parse(depositDate) + 90 * 86_400_000).toISOString().slice(0, 10)} (ATT Art. 22)`);

    // The outbox runs every second inside the server: the researcher sees the email written for them.
    await page.reload();
    const deadline = Date.now() + 20_000;
    for (;;) {
      await page.click('[data-action="show-deliveries"]');
      const delivered = await page.waitForSelector('[data-delivery-status="delivered"]', { timeout: 2_000 }).catch(() => null);
      if (delivered) break;
      if (Date.now() > deadline) throw new Error(`no delivery after 20 s. Server output:\n${server.output()}`);
    }
    expect(await page.getAttribute('[data-email-to]', 'data-email-to')).toBe(RESEARCHER.email);
    await researcher.close();
    await secretariat.close();
    await visitor.close();
  }, 90_000);

  it('tells a researcher that reference upkeep is for the Secretariat, and a visitor how to subscribe', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/alerts`);
    await page.waitForSelector('[data-subscriptions="sign-in"]');
    expect(await page.getAttribute('a[data-feed="all.atom"]', 'href')).toBe('/v1/feeds/events.atom');
    await signInWithForm(page, server.url, RESEARCHER.email, RESEARCHER.password, '/reference-upkeep');
    await page.waitForSelector('[data-upkeep="forbidden"]');
    await context.close();
  });
});
