import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { FIXTURES, launchBrowser, seriousAxeViolations, signInWithForm } from './browser.js';

// Accounts in the web app: the Secretariat account an operator creates with the CLI (README), a researcher who
// registers, an invited State officer. Each account in its own browser context (own cookies).

const SECRETARIAT = { email: 'secretariat@att.example', password: 'secretariat passphrase 2026' };
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ imports: FIXTURES, secretariat: SECRETARIAT }), launchBrowser()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('accounts in the web app', () => {
  it('lets a researcher register, see their role, create an API key that works, and sign out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.click('a[data-account-link="anonymous"]');
    await page.waitForURL(/\/sign-in/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.fill('#register-email', 'ngo.researcher@example.org');
    await page.fill('#register-name', 'Arms Watch');
    await page.fill('#register-password', 'a long researcher passphrase');
    await page.click('form[data-form="register"] button[type="submit"]');
    await page.waitForURL(/\/account$/);
    await page.waitForSelector('[data-role="researcher"]');
    expect(await page.getAttribute('a.account-link', 'data-account-link')).toBe('researcher');
    await page.click('[data-action="create-api-key"]');
    const key = (await page.textContent('[data-api-key]'))?.trim() ?? '';
    expect(key.length).toBeGreaterThan(20);
    const withKey = await fetch(`${server.url}/v1/auth/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(((await withKey.json()) as { viewer: { kind: string } }).viewer.kind).toBe('researcher');
    await page.click('[data-action="sign-out"]');
    await page.waitForSelector('a[data-account-link="anonymous"]');
    await context.close();
  });

  it('says why a sign-in failed, in words, without leaving the form', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.fill('#sign-in-email', SECRETARIAT.email);
    await page.fill('#sign-in-password', 'not the password at all');
    await page.click('form[data-form="sign-in"] button[type="submit"]');
    await page.waitForSelector('form[data-form="sign-in"] .form-status[data-error]');
    expect(await page.textContent('form[data-form="sign-in"] .form-status')).toMatch(/email or the password is wrong/);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await context.close();
  });

  it('lets the Secretariat invite a State officer from its account page; the officer accepts and signs in', async () => {
    const secretariat = await browser.newContext();
    const page = await secretariat.newPage();
    await signInWithForm(page, server.url, SECRETARIAT.email, SECRETARIAT.password);
    await page.waitForSelector('[data-role="secretariat"]');
    await page.fill('#invite-email', 'officer@example.fr');
    await page.fill('#invite-state', 'FRA');
    await page.click('form[data-form="invite"] button[type="submit"]');
    const token = (await (await page.waitForSelector('[data-invitation-token]')).textContent())?.trim() ?? '';
    const accepted = await fetch(`${server.url}/v1/invitations/${token}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'French officer', password: 'officer passphrase 2026' }),
    });
    expect(accepted.status).toBe(201);
    const officer = await browser.newContext();
    const officerPage = await officer.newPage();
    await signInWithForm(officerPage, server.url, 'officer@example.fr', 'officer passphrase 2026');
    expect(await officerPage.textContent('[data-role="state_officer"]')).toMatch(/FRA/);
    await secretariat.close();
    await officer.close();
  });

  it('never follows a sign-in "next" that leaves the site', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInWithForm(page, server.url, SECRETARIAT.email, SECRETARIAT.password, '/account');
    await page.goto(`${server.url}/sign-in?next=//evil.example/steal`);
    await page.fill('#sign-in-email', SECRETARIAT.email);
    await page.fill('#sign-in-password', SECRETARIAT.password);
    await page.click('form[data-form="sign-in"] button[type="submit"]');
    await page.waitForURL((url) => url.pathname === '/account');
    expect(new URL(page.url()).host).toBe(new URL(server.url).host);
    await context.close();
  });
});
