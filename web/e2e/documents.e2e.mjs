// Application materials end to end, as issue 4 asks: an intake call that
// requires a business plan; the founder's submission is refused until the
// plan is uploaded (the refusal shows next to the slot), then goes through;
// the park operator opens the PDF from the application and returns it with
// a comment; the founder uploads a second version; the operator verifies it
// and admits. Then the founder applies to a second call and deletes the
// plan while the operator has the application open: the operator's admit
// is refused, naming the material, and the founder reads that the
// application came back to the company. Each person uses the console; only the intake call is set up
// through the API, from the operator's signed-in page, and the API is read
// back to confirm each step.
//
//   BASE_URL=http://127.0.0.1:8080 node e2e/documents.e2e.mjs
import { api, assert, BASE_URL, byTestId, context, log, otherBrowser, page, reviewApplication, run, shot, signIn, signOut, staffedCarrier, step, textOf, waitUntil } from './lib.mjs';

const OPERATOR = process.env.E2E_OPERATOR || 'operator@lixia.demo';
const FOUNDER = process.env.E2E_FOUNDER || 'founder@lixia.demo';
const CARRIER = process.env.E2E_CARRIER || '明湖国际信创产业园';
const MATERIAL = 'business_plan';

// A fresh, valid 统一社会信用代码 per run (GB 32100-2015 check character).
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function newUSCC() {
  let s = '91370102MA';
  for (let i = 0; i < 7; i++) s += ALPHABET[Math.floor(Math.random() * 31)];
  const sum = [...s].reduce((acc, ch, i) => acc + ALPHABET.indexOf(ch) * WEIGHTS[i], 0);
  return s + ALPHABET[(31 - (sum % 31)) % 31];
}

// Dates as the service sees them (China time).
const chinaNow = new Date(Date.now() + 8 * 3600 * 1000);
const day = (offset) => new Date(chinaNow.getTime() + offset * 86400 * 1000).toISOString().slice(0, 10);

const stamp = Date.now().toString(36);
const COMPANY = `材料演示科技有限公司 ${stamp}`;
const CALL = `信创园材料审核招募 ${stamp}`;
const USCC = newUSCC();
const RETURN_COMMENT = `请补充加盖公章的版本 ${stamp}`;
const CALL_2 = `信创园第二批招募 ${stamp}`;
const PLAN_2 = `融资商业计划书-${stamp}.pdf`;
const CALL_3 = `信创园第三批招募 ${stamp}`;

/**
 * makePdf builds a small, valid one-page PDF 1.4 (catalog, pages, page, font,
 * content stream, and a cross-reference table with exact byte offsets), so
 * the service's type sniffing sees a real PDF.
 */
function makePdf(text) {
  const safe = text.replace(/[\\()]/g, (c) => `\\${c}`);
  const content = `BT /F1 18 Tf 72 720 Td (${safe}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const PDF_V1 = makePdf(`Incuchain business plan ${stamp} - version 1`);
const PDF_V2 = makePdf(`Incuchain business plan ${stamp} - version 2 (sealed)`);

/** rawApi calls the API from the page like lib's api(), but returns status and body instead of throwing. */
async function rawApi(method, url, body) {
  const res = await page.evaluate(
    async ({ method, url, body }) => {
      const csrf = (document.cookie.match(/(?:^|; )incuchain_csrf=([^;]*)/) || [])[1];
      const r = await fetch(url, {
        method,
        credentials: 'include',
        headers: {
          'Content-Type': 'application/json',
          'Accept-Language': 'zh-CN',
          ...(csrf ? { 'X-CSRF-Token': decodeURIComponent(csrf) } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, text: await r.text() };
    },
    { method, url, body },
  );
  let json = null;
  try {
    json = res.text ? JSON.parse(res.text) : null;
  } catch {
    // Not JSON; the status still tells.
  }
  return { status: res.status, json, text: res.text };
}

/** application reads one application, whichever envelope the service uses. */
async function application(id) {
  const r = await api('GET', `/api/v1/applications/${id}`);
  return r.application || r;
}

const slotOf = (a) => (a.materials || []).find((m) => m.type === MATERIAL) || {};
const checklistDoc = async (id) => {
  const c = await api('GET', `/api/v1/checklists/application:${id}`);
  return (c.slots || []).find((s) => s.type === MATERIAL)?.document || null;
};

/** uploadInto puts a PDF into the slot's drop zone and waits for its status. */
async function uploadInto(name, buffer) {
  const uploader = page.locator(byTestId(`slot-uploader-${MATERIAL}`));
  await uploader.waitFor({ state: 'visible' });
  await uploader.locator('input[type="file"]').setInputFiles({ name, mimeType: 'application/pdf', buffer });
  await waitUntil('the upload to finish', async () => {
    const err = page.locator(`${byTestId(`slot-uploader-${MATERIAL}`)} ${byTestId('upload-error')}`);
    if ((await err.count()) > 0) throw new Error(`upload refused: ${await textOf(err.first())}`);
    return (await page.locator(byTestId(`slot-status-${MATERIAL}`)).getAttribute('data-status')) === 'uploaded';
  });
}

let carrierId;
let regionId;
let callId;
let call2Id;
let companyId;
let applicationId;
let application2Id;

/** openCall opens, as the signed-in operator, an intake call that requires a business plan. */
async function openCall(titleZh, titleEn) {
  const call = await api('POST', `/api/v1/carriers/${carrierId}/intake-calls`, {
    title_zh: titleZh, title_en: titleEn, opens_on: day(-1), closes_on: day(30),
    eligibility: '信创领域科技型企业', materials: [MATERIAL], capacity: 20,
    questions: [{ key: 'team_size', label_zh: '团队人数', label_en: 'Team size', type: 'number', required: true }],
  });
  await api('POST', `/api/v1/intake-calls/${call.id}/open`);
  return call.id;
}

/**
 * applyWithoutPlan answers the call's wizard as the founder and submits
 * before any plan is uploaded: refused next to the slot, the draft stays.
 * It returns the slot's error text and the draft's id.
 */
async function applyWithoutPlan(title, id) {
  await page.goto(`${BASE_URL}/company/${companyId}/calls`);
  const card = page.locator(byTestId('call-card'), { hasText: title });
  await card.locator(byTestId('call-apply')).click();
  await page.locator(byTestId('application-wizard')).waitFor({ state: 'visible' });
  if (await page.locator(byTestId('wizard-step-company')).isVisible()) await page.locator(byTestId('wizard-next')).click();
  await page.locator(byTestId('answer-team_size')).fill('8');
  await page.locator(byTestId('wizard-next')).click();
  // No draft yet: the materials step asks to save first.
  await page.locator(byTestId('wizard-materials-save-first')).waitFor({ state: 'visible' });
  await page.locator(byTestId('wizard-next')).click();
  await page.locator(byTestId('wizard-summary')).waitFor({ state: 'visible' });
  await page.locator(byTestId('wizard-submit')).click();

  // The reason sits inside the slot once the checklist is shown.
  const slotError = page.locator(byTestId(`slot-${MATERIAL}`)).locator(byTestId(`slot-error-${MATERIAL}`));
  await slotError.waitFor({ state: 'visible' });
  const shown = await textOf(slotError);
  const apps = await api('GET', `/api/v1/companies/${companyId}/applications`);
  const app = (apps.items || apps).find((a) => a.call_id === id);
  assert(app && app.status === 'draft', `the refused application stays a draft: ${JSON.stringify(app)}`);
  return { shown, draftId: app.id };
}

/** uploadAndSubmit puts the plan into the open wizard's slot and submits; shotName is taken once the plan is held. */
async function uploadAndSubmit(id, name, buffer, shotName) {
  await uploadInto(name, buffer);
  assert((await page.locator(byTestId(`slot-error-${MATERIAL}`)).count()) === 0, 'the slot error is gone after the upload');
  await waitUntil('incubatees to hold the plan', async () => !!slotOf(await application(id)).document_id);
  await page.locator(byTestId('wizard-syncing')).waitFor({ state: 'detached' });
  if (shotName) await shot(shotName);
  await page.locator(byTestId('wizard-next')).click();
  await page.locator(byTestId('wizard-summary')).waitFor({ state: 'visible' });
  await page.locator(byTestId('wizard-submit')).click();
  await waitUntil('the applications list', async () => new URL(page.url()).pathname.endsWith('/applications'));
  const a = await application(id);
  assert(a.status === 'submitted', `application submitted: ${a.status}`);
}

let application3Id;

await run(`documents e2e (${COMPANY})`, async () => {
  await step(`${CARRIER} opens a call that requires a business plan`, async () => {
    await signIn(OPERATOR);
    ({ carrierId, regionId } = await staffedCarrier(CARRIER));
    callId = await openCall(CALL, `Xinchuang intake with materials ${stamp}`);
    await signOut();
  });

  await step('the founder registers a company', async () => {
    await signIn(FOUNDER);
    await page.goto(`${BASE_URL}/company/new?region=${regionId}`);
    await page.locator(byTestId('company-register-name-zh')).fill(COMPANY);
    await page.locator(byTestId('company-register-industry')).fill('I6513');
    await page.locator(byTestId('company-uscc')).fill(USCC);
    await page.locator(byTestId('company-register-submit')).click();
    await waitUntil('the new company page', async () => /^\/company\/[0-9A-Z]{26}$/.test(new URL(page.url()).pathname));
    companyId = new URL(page.url()).pathname.split('/')[2];
  });

  await step('submitting without the business plan is refused, next to its slot', async () => {
    const { shown, draftId } = await applyWithoutPlan(CALL, callId);
    applicationId = draftId;
    // The service's own words for the slot are what the wizard shows.
    const again = await rawApi('POST', `/api/v1/applications/${applicationId}/submit`);
    assert(again.status === 422, `a second try is refused too: ${again.status} ${again.text}`);
    const field = (again.json?.errors || []).find((e) => e.field === `materials.${MATERIAL}`);
    assert(field && field.code === 'material_missing', `the refusal names the slot: ${again.text}`);
    assert(shown === (field.message || '请上传该材料'), `slot error "${shown}" is the server's "${field.message}"`);
    assert((await textOf(page.locator(byTestId('wizard-error')))).length > 0, 'the wizard says why it was refused');
    assert((await page.locator(byTestId(`slot-status-${MATERIAL}`)).getAttribute('data-status')) === 'empty', 'the slot waits for a file');
    log(`  refused: ${shown}`);
    await shot('documents-01-refused');
  });

  await step('the founder uploads the business plan and submits', async () => {
    await uploadAndSubmit(applicationId, '商业计划书.pdf', PDF_V1, 'documents-02-uploaded');
    await signOut();
  });

  await step('the operator opens the PDF from the application and returns it with a comment', async () => {
    await signIn(OPERATOR);
    await page.goto(`${BASE_URL}/applications/${applicationId}`);
    const slot = page.locator(byTestId(`slot-${MATERIAL}`));
    await slot.waitFor({ state: 'visible' });
    const link = page.locator(byTestId(`slot-download-${MATERIAL}`));
    const href = await link.getAttribute('href');
    assert(/^\/api\/v1\/documents\/[^/]+\/versions\/1\/content$/.test(href || ''), `download link: ${href}`);

    // The bytes come back as a PDF attachment, with the session's cookies.
    const res = await context.request.get(`${BASE_URL}${href}`);
    const headers = res.headers();
    assert(res.status() === 200, `download status ${res.status()}`);
    assert((headers['content-type'] || '').startsWith('application/pdf'), `content-type: ${headers['content-type']}`);
    assert(/^attachment/i.test(headers['content-disposition'] || ''), `content-disposition: ${headers['content-disposition']}`);
    assert((headers['x-content-type-options'] || '').toLowerCase() === 'nosniff', `nosniff: ${headers['x-content-type-options']}`);
    const body = await res.body();
    assert(body.equals(PDF_V1), `the stored bytes are the upload (${body.length} of ${PDF_V1.length} bytes)`);

    // Clicking the link downloads the file.
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    log(`  downloaded: ${download.suggestedFilename()}`);
    assert(download.suggestedFilename().endsWith('.pdf'), `suggested file name: ${download.suggestedFilename()}`);
    await download.delete().catch(() => undefined);

    await page.locator(byTestId(`slot-return-${MATERIAL}`)).click();
    await page.locator(byTestId('return-comment')).fill(RETURN_COMMENT);
    await page.locator(byTestId('return-submit')).click();
    await waitUntil('the slot to show returned', async () => (await page.locator(byTestId(`slot-status-${MATERIAL}`)).getAttribute('data-status')) === 'returned');
    const doc = await checklistDoc(applicationId);
    assert(doc && doc.status === 'returned' && doc.comment === RETURN_COMMENT, `returned with the comment: ${JSON.stringify(doc)}`);
    await shot('documents-03-returned');
    await signOut();
  });

  await step('the founder reads the comment and uploads a new version', async () => {
    await signIn(FOUNDER);
    await page.goto(`${BASE_URL}/company/${companyId}/applications/${applicationId}`);
    await page.locator(byTestId('application-materials')).waitFor({ state: 'visible' });
    const comment = page.locator(byTestId(`slot-comment-${MATERIAL}`));
    await comment.waitFor({ state: 'visible' });
    assert((await textOf(comment)).includes(RETURN_COMMENT), `the founder sees the comment: ${await textOf(comment)}`);
    await page.locator(byTestId(`slot-upload-${MATERIAL}`)).click();
    await uploadInto('商业计划书-盖章版.pdf', PDF_V2);
    await waitUntil('version 2 in the checklist', async () => {
      const doc = await checklistDoc(applicationId);
      return doc && doc.version === 2 && doc.status === 'uploaded';
    });
    await waitUntil('incubatees to hold version 2', async () => {
      const s = slotOf(await application(applicationId));
      return s.status === 'uploaded' && (s.version === undefined || s.version >= 2);
    });
    assert((await textOf(page.locator(byTestId(`slot-version-${MATERIAL}`)))).includes('2'), 'the slot shows version 2');
    await shot('documents-04-version-2');
    await signOut();
  });

  await step('the operator verifies the new version and admits', async () => {
    await signIn(OPERATOR);
    await page.goto(`${BASE_URL}/applications/${applicationId}`);
    const version = page.locator(byTestId(`slot-version-${MATERIAL}`));
    await version.waitFor({ state: 'visible' });
    assert((await textOf(version)).includes('2'), `the operator sees version 2: ${await textOf(version)}`);
    await page.locator(byTestId(`slot-versions-toggle-${MATERIAL}`)).click();
    await page.locator(byTestId('version-download-1')).waitFor({ state: 'visible' });
    await page.locator(byTestId(`slot-verify-${MATERIAL}`)).click();
    await waitUntil('the slot to show verified', async () => (await page.locator(byTestId(`slot-status-${MATERIAL}`)).getAttribute('data-status')) === 'verified');
    const doc = await checklistDoc(applicationId);
    assert(doc && doc.status === 'verified' && doc.version === 2, `verified: ${JSON.stringify(doc)}`);
    await shot('documents-05-verified');

    // Admission needs the call's reviews (one by default) as well as verified materials.
    await reviewApplication(applicationId, { team: 4, technology: 4, market: 3, fit: 5 }, '信创方向明确，材料齐全');

    await page.locator(byTestId('decision-single-reason')).fill('材料齐全，评审通过，欢迎入驻');
    await page.locator(byTestId('decision-single-submit')).click();
    await waitUntil('admission', async () => (await application(applicationId)).status === 'admitted');
    await page.locator(byTestId('application-detail-status')).waitFor({ state: 'visible' });
    await shot('documents-06-admitted');
    await signOut();
  });

  await step('a second call: the founder applies with a business plan', async () => {
    await signIn(OPERATOR);
    call2Id = await openCall(CALL_2, `Xinchuang intake, second round ${stamp}`);
    await signOut();
    await signIn(FOUNDER);
    const { draftId } = await applyWithoutPlan(CALL_2, call2Id);
    application2Id = draftId;
    await uploadAndSubmit(application2Id, PLAN_2, makePdf(`Incuchain financing plan ${stamp}`));
    await signOut();
  });

  await step('the founder deletes the plan while the operator has the application open: admitting is refused, naming the material', async () => {
    await signIn(OPERATOR);
    await page.goto(`${BASE_URL}/applications/${application2Id}`);
    await page.locator(byTestId('decision-form')).waitFor({ state: 'visible' });
    await page.locator(byTestId(`slot-status-${MATERIAL}`)).waitFor({ state: 'visible' });

    // Meanwhile, in the founder's own browser, the plan is deleted from the company's documents.
    const founder = await otherBrowser();
    try {
      await signIn(FOUNDER, founder.page);
      await founder.page.goto(`${BASE_URL}/company/${companyId}/documents`);
      const row = founder.page.locator('tr', { hasText: PLAN_2 });
      await row.locator(byTestId('document-delete')).click();
      await founder.page.locator(byTestId('document-delete-confirm')).click();
      await row.waitFor({ state: 'detached' });
      await waitUntil('the application to go back to the company', async () => {
        const r = await api('GET', `/api/v1/applications/${application2Id}`, undefined, founder.page);
        const a = r.application || r;
        return a.status === 'draft' && a.returned_for === MATERIAL;
      });

      // The operator's page still offers the decision; admitting is refused with the reason.
      await page.locator(byTestId('decision-single-reason')).fill('材料齐全，同意入驻');
      await page.locator(byTestId('decision-single-submit')).click();
      const refusal = page.locator(byTestId('decision-error'));
      await refusal.waitFor({ state: 'visible' });
      const said = await textOf(refusal);
      log(`  refused: ${said}`);
      assert(said.includes('商业计划书') && said.includes('删除'), `the refusal names the deleted material: "${said}"`);
      assert(!said.includes(MATERIAL), `the refusal shows no key: "${said}"`);
      // A returned application is the company's alone again: read it as the founder.
      const after = await api('GET', `/api/v1/applications/${application2Id}`, undefined, founder.page);
      assert((after.application || after).status === 'draft', `nothing was admitted: ${JSON.stringify(after)}`);
      await shot('documents-07-admit-refused-deleted');

      // The founder sees the application returned, and why.
      await founder.page.goto(`${BASE_URL}/company/${companyId}/applications/${application2Id}`);
      const notice = founder.page.locator(byTestId('wizard-returned-for'));
      await notice.waitFor({ state: 'visible' });
      const reads = await textOf(notice);
      log(`  the founder reads: ${reads}`);
      assert(reads.includes('商业计划书') && reads.includes('退回'), `the founder's notice names the material: "${reads}"`);
      await shot('documents-08-founder-returned', founder.page);
    } finally {
      await founder.close();
    }
    await signOut();
  });

  await step('a third call: the founder reuses the business plan the carrier verified instead of uploading it again', async () => {
    await signIn(OPERATOR);
    const call3Id = await openCall(CALL_3, `Xinchuang intake, third round ${stamp}`);
    const verified = await checklistDoc(applicationId);
    await signOut();
    await signIn(FOUNDER);
    const { draftId } = await applyWithoutPlan(CALL_3, call3Id);
    application3Id = draftId;
    const offer = page.locator(byTestId(`slot-reuse-${MATERIAL}`));
    await offer.waitFor({ state: 'visible' });
    const offered = await textOf(offer);
    log(`  offered: ${offered}`);
    assert(offered.includes('使用已核验的材料') && offered.includes(verified.filename) && offered.includes(`由「${CARRIER}」核验`),
      `the offer names the file and who verified it: "${offered}"`);
    await shot('documents-09-reuse-offered');

    await page.locator(byTestId(`slot-reuse-${MATERIAL}-use-${verified.id}`)).click();
    await waitUntil('the slot to hold the reused plan', async () => (await page.locator(byTestId(`slot-status-${MATERIAL}`)).getAttribute('data-status')) === 'uploaded');
    const line = page.locator(byTestId(`slot-reused-${MATERIAL}`));
    await line.waitFor({ state: 'visible' });
    assert((await textOf(line)).includes(`由「${CARRIER}」核验`), `the provenance line: "${await textOf(line)}"`);
    const copy = await checklistDoc(application3Id);
    assert(copy && copy.id !== verified.id && copy.status === 'uploaded' && copy.sha256 === verified.sha256 && copy.reused_from?.document_id === verified.id,
      `a fresh copy of the verified plan: ${JSON.stringify(copy)}`);
    // Incubatees sees the copy as it sees an upload: the draft holds it.
    await waitUntil('incubatees to hold the reused plan', async () => slotOf(await application(application3Id)).document_id === copy.id);
    await shot('documents-10-reused');
    await signOut();
  });
});
