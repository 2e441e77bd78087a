import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createServedTestApp, type TestApp } from './test-app.js';

/** Debian's Chromium (`apt-get install chromium`); Playwright cannot download its own here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** On a developer machine without Chromium the browser tests are skipped; CI installs it. */
export const browserAvailable = existsSync(CHROMIUM) || process.env.CI === 'true';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where each browser test leaves its screenshots; `UPDATE_SCREENSHOTS=1` also refreshes docs/. */
const SCREENSHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
const DOC_SCREENSHOTS = resolve(import.meta.dirname, '../../docs/screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const shot = await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  if (process.env.UPDATE_SCREENSHOTS === '1' && DOCUMENTED.has(name)) {
    mkdirSync(DOC_SCREENSHOTS, { recursive: true });
    writeFileSync(join(DOC_SCREENSHOTS, `${name}.png`), shot);
  }
}

/** The screenshots the README shows. */
const DOCUMENTED = new Set(['pairing-phone', 'client-tokens', 'admin-audit']);

/**
 * axe-core's WCAG 2.1 A/AA checks (labels, names, contrast, focusable dialogs, ...) on the
 * page as it is now; the failure lists each rule with the elements that break it.
 */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const problems = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(problems).toEqual([]);
}

/** A console page in its own browser context (its own sessionStorage), phone or desktop. */
export async function openConsole(
  browser: Browser,
  url: string,
  viewport: { width: number; height: number } = { width: 1280, height: 900 },
): Promise<Page> {
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(url).origin,
  });
  const page = await context.newPage();
  // Well inside the test's timeout, so a failure names the locator it waited for.
  page.setDefaultTimeout(8000);
  await page.goto(url);
  return page;
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Closes a page with the context openConsole made for it. */
export async function closePage(page: Page): Promise<void> {
  await page.context().close();
}

export interface ConsoleServer {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The app listening on a real port (PUBLIC_URL pointing at it) and a Chromium to drive it. */
export async function startConsoleServer(env: Record<string, string> = {}): Promise<ConsoleServer> {
  const { t, baseUrl } = await createServedTestApp(env);
  const browser = await launchBrowser();
  return {
    t,
    baseUrl,
    browser,
    close: async () => {
      await browser.close();
      await t.close();
    },
  };
}
