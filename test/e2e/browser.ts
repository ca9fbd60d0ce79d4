import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT, startServer, type ServerProcess } from '../support/server-process.js';

export const SCREENSHOTS = path.join(REPO_ROOT, '.test-results/screenshots');

/** Debian's Chromium (scripts/test.sh installs it with apt-get); a downloaded browser is never used. */
export function chromiumPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Chromium is not installed: run `apt-get install -y chromium` (scripts/test.sh does it)');
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * The small fixtures every browser test starts from (imported with the CLI into the server's fresh data directory):
 * five SIPRI delivery rows (France to Chile in 2021 and 2022 among them) and France's ATT annual report for 2024.
 */
export const FIXTURES = [
  ['sipri', 'test/fixtures/sipri/delivery-rows.csv'],
  ['att-report', 'test/fixtures/att-report/report.csv'],
  ['att-report', 'test/fixtures/att-report/report-embargoed-destination.csv'],
] as const;

/**
 * The app under test: the real server (`att serve`) on a free port with the fixtures imported, or, when
 * ATT_E2E_BASE_URL is set, a server that is already running (e.g.
 * `ATT_E2E_BASE_URL=http://localhost:8080 npx vitest run test/e2e`; it must hold the same fixtures).
 */
export async function appServer(): Promise<Pick<ServerProcess, 'url' | 'stop'>> {
  const external = process.env.ATT_E2E_BASE_URL;
  if (external) return { url: external.replace(/\/$/, ''), stop: async () => {} };
  return startServer({ imports: FIXTURES });
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core in the page; returns the serious and critical violations as readable lines. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: path.join(REPO_ROOT, 'node_modules/axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} at ${v.nodes
          .slice(0, 5)
          .map((n) => n.target.join(' '))
          .join(', ')}${v.nodes.length > 5 ? ` (+${v.nodes.length - 5} more)` : ''}${
          v.nodes[0]?.failureSummary ? ` (${v.nodes[0].failureSummary.replace(/\s+/g, ' ').trim()})` : ''
        }`,
    );
}

/** Signs in through the web app's form (/sign-in), as a user would, and waits for the account page. */
export async function signInWithForm(page: Page, baseUrl: string, email: string, password: string, next = '/account'): Promise<void> {
  await page.goto(`${baseUrl}/sign-in?next=${encodeURIComponent(next)}`);
  await page.fill('#sign-in-email', email);
  await page.fill('#sign-in-password', password);
  await page.click('form[data-form="sign-in"] button[type="submit"]');
  await page.waitForURL((url) => url.pathname === next.split('?')[0], { timeout: 15_000 });
}
