// The notification centre end to end (issue 11 item 3): a resident's
// founder uploads a business licence; the maker space's operator returns it
// with a comment from the carrier's documents page; the founder signs in,
// sees the bell's count, opens the drawer, reads the notification (company,
// material and comment by name) and follows it to the company's documents;
// the count drops. Set-up (a fresh company, resident at the maker space, and
// its upload) goes through the API from each person's signed-in page; the
// return and everything the founder sees go through the console, on a
// desktop and on a 390 px phone; last, with no SMTP server configured, the
// platform admin reads the founder's e-mail in the dev mailbox.
//
//   BASE_URL=http://127.0.0.1:8080 node e2e/notifications.e2e.mjs
import { api, assert, BASE_URL, byTestId, log, newUSCC, page, run, shot, signIn, signOut, staffedCarrier, step, textOf, waitUntil } from './lib.mjs';

const MAKER = process.env.E2E_MAKER || 'maker@lixia.demo';
const FOUNDER = process.env.E2E_FOUNDER || 'founder@lixia.demo';
const ADMIN = process.env.E2E_ADMIN || 'admin@incuchain.demo';
const MAKER_SPACE = '历下创客空间';

const stamp = Date.now().toString(36);
const COMPANY = `通知演示科技有限公司 ${stamp}`;
const USCC = newUSCC();
const FILE = `营业执照-${stamp}.png`;
const RETURN_COMMENT = `执照照片不清晰，请重新拍摄 ${stamp}`;
// A real 1×1 PNG: the documents service sniffs the bytes; a licence may be an image.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PHONE = { width: 390, height: 844 };

const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10); // China time

let regionId;
let makerId;
let companyId;
let documentId;

/** bellLabel is the bell's accessible name, which carries the unread count. */
const bellLabel = async () => (await page.locator(byTestId('notif-bell')).getAttribute('aria-label')) || '';

/** drawerOpen waits for the drawer to finish sliding in (its right edge on the screen's). */
async function drawerOpen() {
  const drawer = page.locator('.ant-drawer-content-wrapper');
  await drawer.waitFor({ state: 'visible' });
  const width = page.viewportSize().width;
  return waitUntil('the drawer to settle', async () => {
    const box = await drawer.boundingBox();
    return box && Math.abs(box.x + box.width - width) < 1 && box;
  });
}

/** uploadLicence posts the PNG's bytes as the company's business licence at the maker space, as the upload dialog does. */
async function uploadLicence() {
  return page.evaluate(
    async ({ url, b64 }) => {
      const csrf = (document.cookie.match(/(?:^|; )incuchain_csrf=([^;]*)/) || [])[1];
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const r = await fetch(url, {
        method: 'POST',
        credentials: 'include',
        headers: { 'Content-Type': 'image/png', ...(csrf ? { 'X-CSRF-Token': decodeURIComponent(csrf) } : {}) },
        body: bytes,
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`upload: ${r.status} ${text}`);
      return JSON.parse(text);
    },
    {
      url: `/api/v1/companies/${companyId}/documents?type=business_licence&carrier=${makerId}&filename=${encodeURIComponent(FILE)}`,
      b64: PNG_BASE64,
    },
  );
}

await run(`notifications e2e (${COMPANY})`, async () => {
  await step('set-up: a resident of the maker space uploads its business licence', async () => {
    await signIn(MAKER);
    ({ carrierId: makerId, regionId } = await staffedCarrier(MAKER_SPACE));
    await signOut();

    await signIn(FOUNDER);
    companyId = (await api('POST', `/api/v1/regions/${regionId}/companies`, { name_zh: COMPANY, industry_code: 'I6513', uscc: USCC })).id;
    await signOut();

    await signIn(MAKER);
    await api('POST', `/api/v1/carriers/${makerId}/enrolment-offers`, { uscc: USCC, admitted_on: today, moved_in_on: today, unit: '创客空间 N-7', area_m2: 30, note: '通知演示' });
    await signOut();

    await signIn(FOUNDER);
    const offer = await waitUntil('the enrolment offer', async () => {
      const o = await api('GET', `/api/v1/companies/${companyId}/enrolment-offers?status=pending`);
      return o.items[0];
    });
    await api('POST', `/api/v1/enrolment-offers/${offer.id}/accept`);
    documentId = (await uploadLicence()).id;
    assert(documentId, 'the licence was stored');
    await signOut();
  });

  await step(`${MAKER_SPACE} returns the licence with a comment from its documents page`, async () => {
    await signIn(MAKER);
    await page.goto(`${BASE_URL}/carriers/${makerId}/documents`);
    const row = page.locator(`${byTestId('documents-table')} tr`, { hasText: FILE });
    await waitUntil('the licence in the carrier\'s documents', async () => (await row.count()) > 0);
    await row.locator(byTestId('document-return')).click();
    await page.locator(byTestId('return-comment')).fill(RETURN_COMMENT);
    await page.locator(byTestId('return-submit')).click();
    await waitUntil('the licence to show returned', async () => {
      const d = await api('GET', `/api/v1/documents/${documentId}`);
      return (d.document || d).status === 'returned';
    });
    await shot('notifications-01-operator-returned');
    await signOut();
  });

  await step('the founder signs in and the bell counts the new notification', async () => {
    await signIn(FOUNDER);
    // The notifications service learns of the return from the documents
    // service's events; the bell polls and asks again on focus.
    const label = await waitUntil('the bell to count an unread notification', async () => {
      await page.evaluate(() => window.dispatchEvent(new Event('focus')));
      const l = await bellLabel();
      return /\d+ 条未读/.test(l) && l;
    });
    log(`  bell: ${label}`);
    const badge = await textOf(page.locator(`${byTestId('notif-count')} .ant-badge-count`));
    assert(/^\d+$/.test(badge) && Number(badge) >= 1, `the badge shows a count: "${badge}"`);
    await shot('notifications-02-bell-count');
  });

  await step('the drawer names the company, the material and the comment; opening it goes to the documents', async () => {
    await page.locator(byTestId('notif-bell')).click();
    const item = page.locator(byTestId('notif-item'), { hasText: RETURN_COMMENT });
    await item.waitFor({ state: 'visible' });
    await drawerOpen();
    const text = await textOf(item);
    assert(text.includes('材料被退回：营业执照'), `title names the material: ${text}`);
    assert(text.includes(COMPANY), `body names the company: ${text}`);
    assert(!text.includes(companyId) && !text.includes(documentId), `no ids shown: ${text}`);
    assert((await item.getAttribute('data-unread')) === 'true', 'it is unread');
    await shot('notifications-03-drawer');
    const before = Number((await bellLabel()).match(/(\d+) 条未读/)?.[1] || 0);
    await item.click();
    await waitUntil('the company\'s documents page', async () => new URL(page.url()).pathname === `/company/${companyId}/documents`);
    await waitUntil('the count to drop', async () => {
      const m = (await bellLabel()).match(/(\d+) 条未读/);
      return (m ? Number(m[1]) : 0) === before - 1;
    });
    const mine = await api('GET', '/api/v1/me/notifications?kind=document_returned&page_size=50');
    const n = mine.items.find((x) => x.body_zh.includes(RETURN_COMMENT));
    assert(n && n.read_at && n.link === `/company/${companyId}/documents`, `read, with its link: ${JSON.stringify(n)}`);
    await shot('notifications-04-followed');
  });

  await step('on a 390 px phone the drawer fits the screen, in English too, and mark all read empties the badge', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${BASE_URL}/company/${companyId}/documents`);
    await page.locator(byTestId('notif-bell')).click();
    const box = await drawerOpen();
    assert(box && Math.round(box.width) <= PHONE.width, `drawer width ${box && box.width} fits 390 px`);
    await page.locator(byTestId('notif-item'), { hasText: RETURN_COMMENT }).waitFor({ state: 'visible' });
    await shot('notifications-05-phone-390');
    await page.locator(byTestId('notif-read-all')).click();
    await waitUntil('the badge to empty', async () => (await bellLabel()) === '通知');
    assert((await api('GET', '/api/v1/me/notifications/unread-count')).unread === 0, 'nothing unread');
    // The same notification in English, from the English texts of the event.
    await page.keyboard.press('Escape');
    await page.evaluate(() => localStorage.setItem('incuchain.lang', 'en'));
    await page.reload();
    await page.locator(byTestId('notif-bell')).click();
    const item = page.locator(byTestId('notif-item'), { hasText: RETURN_COMMENT });
    await item.waitFor({ state: 'visible' });
    await drawerOpen();
    const text = await textOf(item);
    assert(text.includes('Material returned: business licence'), `English title: ${text}`);
    await shot('notifications-06-phone-390-en');
    await page.evaluate(() => localStorage.setItem('incuchain.lang', 'zh-CN'));
    await page.keyboard.press('Escape');
    await page.locator('.ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
    await page.setViewportSize({ width: 1280, height: 860 });
    await signOut();
  });

  await step('with no SMTP server, the platform admin reads the founder\'s e-mail in the dev mailbox', async () => {
    await signIn(ADMIN);
    await page.locator(byTestId('notif-bell')).click();
    await page.locator(byTestId('notif-mailbox')).click();
    await waitUntil('the dev mailbox page', async () => new URL(page.url()).pathname === '/dev/mailbox');
    const mail = page.locator(byTestId('dev-mail'), { hasText: RETURN_COMMENT }).first();
    await mail.waitFor({ state: 'visible' });
    const text = await textOf(mail);
    assert(text.includes(FOUNDER), `addressed to the founder: ${text}`);
    assert(text.includes('材料被退回：营业执照') && text.includes('Material returned: business licence'), `both languages: ${text}`);
    assert(text.includes(`${BASE_URL}/company/${companyId}/documents`), `the link uses the console's address: ${text}`);
    await shot('notifications-07-dev-mailbox');
  });
});
