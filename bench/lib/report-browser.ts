/*
 * Opening memplay's HTML reports in Debian's headless Chromium (playwright-core
 * drives /usr/bin/chromium; nothing is downloaded): shared by the browser tests
 * (test/report/browser.test.ts) and the report bench (bench/report.ts). A page is
 * opened from file:// with every request that is not that file counted and
 * aborted, its console errors and page errors gathered, and its first paint
 * read from the Paint Timing API.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.MEMPLAY_CHROMIUM ?? '/usr/bin/chromium';

/** Why Chromium cannot be used here, or null when it can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} not found (Debian: apt-get install -y chromium; .ci/run installs it)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'], timeout: 30_000 });
}

export interface OpenedReport {
  page: Page;
  /** Every request the page made other than for its own file. */
  foreignRequests: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
  /** ms from navigation start to first paint (first-contentful-paint where there is no first-paint entry). */
  firstPaintMs: number;
}

/** Opens `file` at 1280×800 in a fresh context and waits until its drawing code has run. */
export async function openReport(browser: Browser, file: string): Promise<OpenedReport> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const foreignRequests: string[] = [];
  const errors: string[] = [];
  await page.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    foreignRequests.push(route.request().url());
    return route.abort();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  await page.waitForFunction(() => (globalThis as unknown as { document: { getElementById(id: string): { dataset: { drawn?: string } } | null } }).document.getElementById('report')?.dataset.drawn !== undefined, undefined, { timeout: 30_000 });
  const firstPaintMs = await page.evaluate(() => {
    const entries = (globalThis as unknown as { performance: { getEntriesByType(type: string): { name: string; startTime: number }[] } }).performance.getEntriesByType('paint');
    const paint = entries.find((entry) => entry.name === 'first-paint') ?? entries.find((entry) => entry.name === 'first-contentful-paint');
    return paint === undefined ? -1 : paint.startTime;
  });
  return { page, foreignRequests, errors, firstPaintMs };
}
