// Shared harness of the console's browser tests: Debian's Chromium through
// playwright-core (no browser download), steps that stop at the first
// failure, screenshots, and a last line "N passed, N failed, N skipped".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { isChineseScreen, textProblems } from './rawtext.mjs';

export const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const PASSWORD = process.env.E2E_PASSWORD || 'incuchain-demo';
export const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 15000);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const here = path.dirname(fileURLToPath(import.meta.url));
const shotsDir = path.join(here, 'screenshots');
fs.mkdirSync(shotsDir, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
let aborted = false;
/**
 * cspViolations are the Content-Security-Policy violations seen on any page
 * (the `securitypolicyviolation` event and Chromium's "Refused to …" console
 * errors). The console must work under the gateway's policy, so any one of
 * them fails the run.
 */
export const cspViolations = [];
const CSP_MARK = '[csp-violation]';
/** page is the browser tab every step drives (a live binding). */
export let page;
/** context is the browser context (cookies). */
export let context;

export function log(msg) {
  process.stdout.write(`${msg}\n`);
}

/**
 * shot saves a screenshot of a screen and then reads the screen as a person
 * would: when its <html lang> is Chinese (the console sets it from the
 * language setting), visible text that is a raw key, an antd English default
 * or a MIME type is recorded as a leak of the current step (screen name and
 * text). Open drawers, modals and popovers are part of document.body, so
 * they are read too. Screens in English are not checked.
 */
export async function shot(name, p = page, { check = true } = {}) {
  if (!p) return;
  const file = path.join(shotsDir, `${name}.png`);
  try {
    await p.screenshot({ path: file, fullPage: true });
    log(`  screenshot: ${path.relative(process.cwd(), file)}`);
  } catch (e) {
    log(`  (screenshot ${name} failed: ${e.message})`);
  }
  if (check) await checkScreenText(name, p);
}

/** leaks are the text leaks seen since the current step began (or outside any step). */
let leaks = [];

async function checkScreenText(name, p) {
  let screen;
  try {
    screen = await p.evaluate(() => ({ lang: document.documentElement.lang, text: document.body ? document.body.innerText : '' }));
  } catch (e) {
    leaks.push(`${name}: the screen's text could not be read (${e.message})`);
    return;
  }
  if (!isChineseScreen(screen.lang)) {
    log(`  (text of ${name} not checked: the screen is in ${screen.lang || 'no language'})`);
    return;
  }
  const problems = textProblems(screen.text);
  if (problems.length > 0) {
    log(`  LEAK on ${name}: ${problems.join(', ')}`);
    leaks.push(`${name}: ${problems.join(', ')}`);
  }
}

/**
 * step runs one step of a walk. A step that throws fails and the walk stops
 * there (later steps depend on it). A step whose screens leaked raw text
 * fails too, but the walk goes on: the flow itself worked, and the later
 * screens are still worth reading.
 */
export async function step(name, fn) {
  if (aborted) {
    skipped++;
    log(`SKIP ${name}`);
    return;
  }
  const started = Date.now();
  leaks = [];
  try {
    await fn();
    if (leaks.length > 0) {
      failed++;
      log(`FAIL ${name}: visible text is not Chinese:\n  ${leaks.join('\n  ')}`);
    } else {
      passed++;
      log(`PASS ${name} (${Date.now() - started} ms)`);
    }
  } catch (e) {
    failed++;
    aborted = true;
    log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
    if (leaks.length > 0) log(`  and visible text that is not Chinese:\n  ${leaks.join('\n  ')}`);
    await shot(`fail-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`, page, { check: false });
  }
  leaks = [];
}

export function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

/** waitUntil polls fn until it returns a truthy value or the deadline passes. */
export async function waitUntil(what, fn, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export async function textOf(locator) {
  return ((await locator.textContent()) || '').replace(/\s+/g, ' ').trim();
}

export const byTestId = (id) => `[data-testid="${id}"]`;

/** signIn opens the login page and signs in; it waits for the side menu. */
export async function signIn(email, p = page) {
  await p.goto(`${BASE_URL}/login`, { waitUntil: 'domcontentloaded' });
  await p.locator(byTestId('login-email')).fill(email);
  await p.locator(byTestId('login-password')).fill(PASSWORD);
  await p.locator(byTestId('login-submit')).click();
  await p.locator(byTestId('side-menu')).waitFor({ state: 'visible' });
}

/**
 * signOut uses the user menu. On a loaded machine a click can land while
 * antd's dropdown is still opening and be lost; like a person, it then
 * closes the menu and tries again (saying so), up to three times.
 */
export async function signOut() {
  for (let attempt = 1; ; attempt++) {
    await page.locator(byTestId('user-menu')).click();
    const item = page.locator(byTestId('logout'));
    await item.waitFor({ state: 'visible' });
    await item.click();
    try {
      await page.locator(byTestId('login-email')).waitFor({ state: 'visible', timeout: 5000 });
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
      log(`  (sign-out click did not take on try ${attempt}; trying again)`);
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * reviewApplication scores each criterion on the open application page's
 * review form, adds the comment and waits until the review is saved, as a
 * reviewer does before an admission (a call needs one review by default).
 */
export async function reviewApplication(applicationId, scores, comment) {
  await page.locator(byTestId('review-form')).waitFor({ state: 'visible' });
  for (const [criterion, score] of Object.entries(scores)) {
    await page.locator(byTestId(`review-score-${criterion}`)).getByText(String(score), { exact: true }).click();
  }
  await page.locator(byTestId('review-comment')).fill(comment);
  await page.locator(byTestId('review-submit')).click();
  await waitUntil('the review', async () => {
    const a = await api('GET', `/api/v1/applications/${applicationId}`);
    const reviews = a.reviews || a.application?.reviews || [];
    return reviews.length === 1 && Object.entries(scores).every(([c, n]) => reviews[0].scores[c] === n);
  });
}

/**
 * api calls the API from inside the page with the signed-in user's session,
 * as the console does (CSRF header from the cookie), for set-up that is not
 * what a test walks through. It throws on a non-2xx answer.
 */
export async function api(method, url, body, p = page) {
  const res = await p.evaluate(
    async ({ method, url, body }) => {
      const csrf = (document.cookie.match(/(?:^|; )incuchain_csrf=([^;]*)/) || [])[1];
      const r = await fetch(url, {
        method,
        credentials: 'include',
        headers: { 'Content-Type': 'application/json', ...(csrf ? { 'X-CSRF-Token': decodeURIComponent(csrf) } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, text };
    },
    { method, url, body },
  );
  if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${res.text}`);
  return res.text ? JSON.parse(res.text) : null;
}

/**
 * choose picks the option reading text in the antd select of testId. The
 * options may load while the dropdown opens, and a click on one that is
 * re-rendered under it is lost (seen under load), so it chooses until the
 * select shows the text.
 */
export async function choose(testId, text, p = page) {
  const select = p.locator(byTestId(testId));
  // The test id lands on the select's root or on its input, by version.
  const shown = p.locator(`.ant-select${byTestId(testId)} .ant-select-selection-item, .ant-select:has(${byTestId(testId)}) .ant-select-selection-item`);
  await waitUntil(`"${text}" chosen in ${testId}`, async () => {
    if ((await shown.allTextContents()).some((x) => x.includes(text))) return true;
    await select.click();
    await p.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first().click({ timeout: 3000 }).catch(() => {});
    return false;
  });
}

/**
 * tick checks the checkbox at selector, clicking until it is checked (a
 * click during the dialog's opening animation can land beside it).
 */
export async function tick(selector, p = page) {
  const box = p.locator(selector);
  await waitUntil(`${selector} checked`, async () => {
    if (await box.isChecked()) return true;
    await box.click({ timeout: 3000 }).catch(() => {});
    return false;
  });
}

/**
 * staffedCarrier finds the carrier named nameZH among the signed-in user's
 * roles: its id and its region's id.
 */
export async function staffedCarrier(nameZH, p = page) {
  const me = await api('GET', '/api/v1/auth/me', undefined, p);
  const own = me.assignments.find((a) => a.name_zh === nameZH);
  assert(own, `the signed-in user works at ${nameZH}`);
  return { carrierId: own.domain_id, regionId: own.region_id };
}

/**
 * assertNoCSPViolations fails the current step when the gateway's policy
 * blocked anything so far; run also checks once more at the end.
 */
export function assertNoCSPViolations() {
  assert(cspViolations.length === 0, `Content-Security-Policy violations:\n  ${cspViolations.join('\n  ')}`);
}

/**
 * rawTextProblems lists what on a page (the current one by default) reads
 * as a leak rather than Chinese: a snake_case key, antd's untranslated
 * defaults ("No data", "/ page"), a MIME type. Only visible text counts.
 */
export async function rawTextProblems(p = page) {
  return textProblems(await p.evaluate(() => document.body.innerText));
}

/**
 * narrowColumns lists table columns on the current page that are narrower
 * than their header text (on a phone, CJK text wraps one character per line
 * when a table squeezes its columns instead of scrolling).
 */
export async function narrowColumns() {
  return page.evaluate(() =>
    [...document.querySelectorAll('.ant-table-thead th')]
      .filter((th) => th.textContent.trim() !== '' && th.scrollWidth > th.clientWidth + 1)
      .map((th) => `${th.textContent.trim()} (${th.clientWidth}px < ${th.scrollWidth}px)`),
  );
}

/** unreachableTabs lists tabs whose label lies outside the screen or is hidden in a menu. */
export async function unreachableTabs() {
  return page.evaluate(() =>
    [...document.querySelectorAll('.ant-tabs-tab')]
      .filter((tab) => {
        const r = tab.getBoundingClientRect();
        return r.width === 0 || r.right > window.innerWidth + 1 || r.left < -1;
      })
      .map((tab) => tab.textContent.trim()),
  );
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * otherBrowser opens a second person's browser beside the walk's (its own
 * cookies, zh-CN, the same screen size), for a step where two people act
 * at once. close() shuts it.
 */
export async function otherBrowser() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
  const p = await ctx.newPage();
  p.setDefaultTimeout(TIMEOUT);
  p.on('pageerror', (e) => log(`  [other browser page error] ${e.message}`));
  return { page: p, close: () => browser.close() };
}

/** run launches Chromium, runs body, prints the summary line and exits. */
export async function run(label, body) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'incuchain-e2e-'));
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 860 },
      locale: 'zh-CN',
    });
    // Report every violation from inside the page, before its own scripts run.
    await context.addInitScript((mark) => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`${mark} ${e.effectiveDirective || e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || document.location.pathname}:${e.lineNumber}`);
      });
    }, CSP_MARK);
    page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(TIMEOUT);
    page.on('pageerror', (e) => log(`  [page error] ${e.message}`));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const text = m.text();
      log(`  [console.error] ${text}`);
      if (text.startsWith(CSP_MARK) || /Content Security Policy/i.test(text)) cspViolations.push(text);
    });
    // The browser's console names no URL for a failed call; this says which one it was.
    page.on('response', (r) => {
      if (r.status() >= 400) log(`  [http ${r.status()}] ${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    log(`${label} against ${BASE_URL}`);
    await body();
    if (leaks.length > 0) {
      failed++;
      log(`FAIL visible text outside any step is not Chinese:\n  ${leaks.join('\n  ')}`);
    }
    if (cspViolations.length > 0) {
      failed++;
      log(`FAIL no Content-Security-Policy violations: ${cspViolations.length}\n  ${cspViolations.join('\n  ')}`);
    } else {
      passed++;
      log('PASS no Content-Security-Policy violations');
    }
  } catch (e) {
    failed++;
    log(`FAIL setup: ${e && e.stack ? e.stack : e}`);
  } finally {
    if (context) await context.close().catch(() => undefined);
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(failed > 0 ? 1 : 0);
}

// A fresh, valid 统一社会信用代码 per call (GB 32100-2015 check character).
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
export function newUSCC() {
  let s = '91370102MA';
  for (let i = 0; i < 7; i++) s += USCC_ALPHABET[Math.floor(Math.random() * 31)];
  const sum = [...s].reduce((acc, ch, i) => acc + USCC_ALPHABET.indexOf(ch) * USCC_WEIGHTS[i], 0);
  return s + USCC_ALPHABET[(31 - (sum % 31)) % 31];
}
