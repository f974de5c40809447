// End-to-end check of the web console against a running gateway (make run).
//
//   BASE_URL=http://127.0.0.1:8080 node e2e/console.e2e.mjs
//
// Drives Debian's Chromium through playwright-core (no browser download). Every
// step is one assertion; the steps depend on each other, so the first failure
// skips the rest. The last line is "N passed, N failed, N skipped"; the exit code
// is non-zero when anything failed. Screenshots land in e2e/screenshots/.
import { BASE_URL, PASSWORD, assert, assertNoCSPViolations, byTestId, context, log, page, run, shot, signIn, signOut, step, textOf, waitUntil } from './lib.mjs';

const EMAIL = process.env.E2E_EMAIL || 'parkadmin@lixia.demo';
const CARRIER = process.env.E2E_CARRIER || '明湖国际信创产业园';
const GRANTEE = process.env.E2E_GRANTEE || 'newstaff@lixia.demo';
const ROLE = 'park_operator';
const FOUNDER = process.env.E2E_FOUNDER || 'founder@lixia.demo';
const COMPANY = process.env.E2E_COMPANY || '济南明湖智能科技有限公司';
// The demo company's code is 91370102MA3C5T2R03; changing the check character makes it invalid.
const BAD_USCC = process.env.E2E_BAD_USCC || '91370102MA3C5T2R04';
const BAD_USCC_MESSAGE = process.env.E2E_BAD_USCC_MESSAGE || '第 18 位校验码应为“3”';


/** memberRow is the members-table row of one email (the table lists each user once). */
function memberRow(email) {
  return page.locator(`${byTestId('members-table')} tr.ant-table-row`, { hasText: email });
}

async function hasRole(email, role) {
  const row = memberRow(email);
  if ((await row.count()) === 0) return false;
  return (await row.first().locator(byTestId(`revoke-${role}`)).count()) > 0;
}

async function membersLoaded() {
  await page.locator(byTestId('members-table')).waitFor({ state: 'visible' });
  // The table shows a spinner while it loads; rows or the empty placeholder follow.
  await waitUntil('members table to finish loading', async () => {
    const spinning = await page.locator(`${byTestId('members-table')} .ant-spin-spinning`).count();
    const rows = await page.locator(`${byTestId('members-table')} tr.ant-table-row, ${byTestId('members-table')} .ant-empty`).count();
    return spinning === 0 && rows > 0;
  });
}

await run(`console e2e as ${EMAIL}`, async () => {

  await step('login page renders', async () => {
    const res = await page.goto(`${BASE_URL}/login`, { waitUntil: 'domcontentloaded' });
    assert(res && res.ok(), `GET /login answered ${res && res.status()}`);
    // The rest of the run checks that the console works under this policy (lib.mjs fails on any violation).
    const headers = res.headers();
    const csp = headers['content-security-policy'] || '';
    assert(/script-src 'self'(;|$)/.test(csp) && csp.includes("frame-ancestors 'none'"), `the console's CSP is "${csp}"`);
    assert(headers['x-frame-options'] === 'DENY', `X-Frame-Options is "${headers['x-frame-options']}"`);
    await page.locator(byTestId('login-email')).waitFor({ state: 'visible' });
    await page.locator(byTestId('lang-switch')).waitFor({ state: 'visible' });
    const submit = await textOf(page.locator(byTestId('login-submit')));
    assert(submit.replace(/\s/g, '') === '登录', `submit button reads "${submit}", want 登录 (zh-CN default)`);
    await shot('01-login');
  });

  // An unknown account, so repeated runs never count failures against the demo user.
  await step('wrong credentials show the server error', async () => {
    await page.locator(byTestId('login-email')).fill('e2e-nobody@lixia.demo');
    await page.locator(byTestId('login-password')).fill(`${PASSWORD}-wrong`);
    await page.locator(byTestId('login-submit')).click();
    const alert = page.locator(byTestId('login-error'));
    await alert.waitFor({ state: 'visible' });
    assert((await textOf(alert)).length > 0, 'login error is empty');
    assert(page.url().includes('/login'), `still on the login page, at ${page.url()}`);
  });

  await step(`sign in as ${EMAIL}`, async () => {
    await page.locator(byTestId('login-email')).fill(EMAIL);
    await page.locator(byTestId('login-password')).fill(PASSWORD);
    await page.locator(byTestId('login-submit')).click();
    await page.locator(byTestId('side-menu')).waitFor({ state: 'visible' });
    assert(!new URL(page.url()).pathname.startsWith('/login'), `left the login page, at ${page.url()}`);
    const cookies = await context.cookies(BASE_URL);
    assert(cookies.some((c) => c.name === 'incuchain_session'), 'session cookie set');
    assert(cookies.some((c) => c.name === 'incuchain_csrf'), 'csrf cookie set');
  });

  await step('open the carriers list', async () => {
    await page.locator(byTestId('menu-carriers')).click();
    await page.locator(byTestId('carriers-table')).waitFor({ state: 'visible' });
    const link = page.locator(`${byTestId('carriers-table')} ${byTestId('carrier-link')}`, { hasText: CARRIER });
    await link.first().waitFor({ state: 'visible' });
    await shot('02-carriers');
  });

  await step(`open ${CARRIER}`, async () => {
    await page
      .locator(`${byTestId('carriers-table')} ${byTestId('carrier-link')}`, { hasText: CARRIER })
      .first()
      .click();
    const title = page.locator(byTestId('carrier-title'));
    await title.waitFor({ state: 'visible' });
    await waitUntil(`carrier title "${CARRIER}"`, async () => (await textOf(title)) === CARRIER);
    await page.locator(byTestId('carrier-descriptions')).waitFor({ state: 'visible' });
    assert((await textOf(page.locator(byTestId('carrier-descriptions')))).includes('科技园区'), 'kind shown as 科技园区');
    await shot('03-carrier');
  });

  await step('open the members tab', async () => {
    await page.locator(byTestId('tab-members')).click();
    await membersLoaded();
    // The empty placeholder can show for a moment before the first page arrives.
    await waitUntil(`${EMAIL} listed as a member`, async () => (await memberRow(EMAIL).count()) === 1);
  });

  await step(`make the run repeatable: revoke ${ROLE} of ${GRANTEE} if held`, async () => {
    if (!(await hasRole(GRANTEE, ROLE))) {
      log(`  ${GRANTEE} does not hold ${ROLE}; nothing to revoke`);
      return;
    }
    await memberRow(GRANTEE).first().locator(byTestId(`revoke-${ROLE}`)).click();
    await page.locator(`${byTestId('revoke-confirm')}:visible`).click();
    await waitUntil(`${GRANTEE} to lose ${ROLE}`, async () => !(await hasRole(GRANTEE, ROLE)));
  });

  await step(`grant ${ROLE} to ${GRANTEE}`, async () => {
    await page.locator(byTestId('grant-role-button')).click();
    const email = page.locator(byTestId('grant-email'));
    await email.waitFor({ state: 'visible' });
    await email.fill(GRANTEE);
    await page.locator(byTestId('grant-role-select')).click();
    await page.locator(`${byTestId(`role-option-${ROLE}`)}:visible`).click();
    await page.locator(byTestId('grant-submit')).click();
    await waitUntil('the grant dialog to close', async () => {
      if (!(await email.isVisible())) return true;
      const err = page.locator('.ant-modal .ant-alert-error, .ant-modal .ant-form-item-explain-error');
      if ((await err.count()) > 0) throw new Error(`grant refused: ${await textOf(err.first())}`);
      return false;
    });
    await waitUntil(`${GRANTEE} to show ${ROLE} in the members table`, () => hasRole(GRANTEE, ROLE));
    const row = await textOf(memberRow(GRANTEE).first());
    assert(row.includes('园区运营人员'), `member row shows the localized role, got "${row}"`);
    await shot('04-granted');
  });

  await step('switch the language to English', async () => {
    await page.locator(byTestId('lang-switch')).click();
    await waitUntil('tab label "Members"', async () => (await textOf(page.locator(byTestId('tab-members')))) === 'Members');
    assert((await page.getAttribute('html', 'lang')) === 'en', 'html lang is en');
    const row = await textOf(memberRow(GRANTEE).first());
    assert(row.includes('Park operator'), `member row shows "Park operator", got "${row}"`);
    const menu = await textOf(page.locator(byTestId('menu-carriers')));
    assert(menu === 'My carriers', `menu reads "My carriers", got "${menu}"`);
    await shot('05-english');
  });

  await step('the language choice survives a reload', async () => {
    await page.reload({ waitUntil: 'domcontentloaded' });
    const title = page.locator(byTestId('carrier-title'));
    await title.waitFor({ state: 'visible' });
    await waitUntil('tab label "Members" after reload', async () => (await textOf(page.locator(byTestId('tab-members')))) === 'Members');
  });

  await step('mobile layout: the menu folds into a drawer', async () => {
    const mobile = await context.newPage();
    try {
      await mobile.setViewportSize({ width: 390, height: 844 });
      await mobile.goto(`${BASE_URL}/my/carriers`, { waitUntil: 'domcontentloaded' });
      await mobile.locator(byTestId('carriers-table')).waitFor({ state: 'visible' });
      assert(!(await mobile.locator(byTestId('menu-carriers')).isVisible()), 'menu hidden on a phone');
      await mobile.locator(byTestId('menu-toggle')).click();
      await mobile.locator(byTestId('menu-carriers')).waitFor({ state: 'visible' });
      await shot('06-mobile-menu', mobile);
    } finally {
      await mobile.close();
    }
  });

  await step('sign out', async () => {
    await signOut();
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me', { credentials: 'include' })).status);
    assert(me === 401, `/auth/me after logout answers ${me}, want 401`);
    // The next person to sign in must not be sent to the page left behind.
    assert(!page.url().includes('next='), `login page after sign-out keeps ${page.url()}`);
    await shot('07-signed-out');
  });

  // The startup side: the demo founder's company (seeded by the incubatees service).
  await step(`sign in as ${FOUNDER} in Chinese`, async () => {
    if ((await page.getAttribute('html', 'lang')) !== 'zh-CN') {
      await page.locator(byTestId('lang-switch')).click();
      await waitUntil('html lang zh-CN', async () => (await page.getAttribute('html', 'lang')) === 'zh-CN');
    }
    await page.locator(byTestId('login-email')).fill(FOUNDER);
    await page.locator(byTestId('login-password')).fill(PASSWORD);
    await page.locator(byTestId('login-submit')).click();
    await page.locator(byTestId('side-menu')).waitFor({ state: 'visible' });
  });

  await step(`open 我的企业 and see ${COMPANY}`, async () => {
    const entry = page.locator(byTestId('menu-company'));
    await entry.waitFor({ state: 'visible' });
    const label = await textOf(entry);
    assert(label === '我的企业', `menu reads "${label}", want 我的企业`);
    await entry.click();
    const list = page.locator(byTestId('my-companies'));
    await list.waitFor({ state: 'visible' });
    // The seed runs once parks' events reached the incubatees service; give it the full timeout.
    await waitUntil(`${COMPANY} listed`, async () => (await textOf(list)).includes(COMPANY));
    await shot('08-my-company');
  });

  await step(`open ${COMPANY}: details and members`, async () => {
    await page.locator(byTestId('my-company-name'), { hasText: COMPANY }).first().click();
    const title = page.locator(byTestId('company-title'));
    await title.waitFor({ state: 'visible' });
    await waitUntil(`company title "${COMPANY}"`, async () => (await textOf(title)) === COMPANY);
    const table = page.locator(byTestId('company-members-table'));
    await table.waitFor({ state: 'visible' });
    await waitUntil(`${FOUNDER} in the members table`, async () => (await textOf(table)).includes(FOUNDER));
    await shot('09-company-detail');
  });

  await step(`registering ${BAD_USCC} shows the check-character error under the USCC`, async () => {
    await page.locator(byTestId('menu-company')).click();
    await page.locator(byTestId('company-register-button')).click();
    const uscc = page.locator(byTestId('company-uscc'));
    await uscc.waitFor({ state: 'visible' });
    // A startup user sees no regions; the form takes the region of the existing company.
    await waitUntil('a region chosen', async () => (await textOf(page.locator(byTestId('company-register-region')))).length > 0);
    await uscc.fill(BAD_USCC);
    await page.locator(byTestId('company-register-name-zh')).fill('济南明湖第二科技有限公司');
    await page.locator(byTestId('company-register-industry')).fill('I6511');
    await page.locator(byTestId('company-register-submit')).click();
    const explain = page
      .locator('.ant-form-item', { has: page.locator(byTestId('company-uscc')) })
      .locator('.ant-form-item-explain-error');
    await waitUntil(`"${BAD_USCC_MESSAGE}" under the USCC field`, async () => {
      if ((await explain.count()) === 0) return false;
      return (await textOf(explain.first())).includes(BAD_USCC_MESSAGE);
    });
    log(`  server says: ${await textOf(explain.first())}`);
    assert(new URL(page.url()).pathname === '/company/new', `still on the form, at ${page.url()}`);
    await shot('10-uscc-error');
  });

  await step('the founder signs out', async () => {
    await signOut();
  });

  await step('the district officer lands on the dashboard and its chart draws', async () => {
    await signIn('officer@lixia.demo');
    await page.locator(byTestId('dashboard-title')).waitFor({ state: 'visible' });
    // The carriers-per-kind chart is ECharts on a canvas: a broken import shows a blank page instead.
    await waitUntil('the chart canvas', async () => (await page.locator('.echarts-for-react canvas').count()) > 0);
    await shot('11-district-dashboard');
    // Signed in and a chart drawn under the gateway's Content-Security-Policy.
    assertNoCSPViolations();
  });

  await step('the district officer opens the document register (metadata only)', async () => {
    await page.locator(byTestId('menu-documents')).click();
    await page.locator(byTestId('register-title')).waitFor({ state: 'visible' });
    assert((await page.locator(`${byTestId('register-table')} a[href*="/content"]`).count()) === 0, 'no download links for the district');
    await shot('12-district-register');
    await signOut();
  });
});
