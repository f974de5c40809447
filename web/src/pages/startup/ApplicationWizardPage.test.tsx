import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Checklist } from '../../api/documents';
import type { Application } from '../../api/applications';
import type { IntakeCall } from '../../api/intakeCalls';
import { checklist, doc, documentTypes } from '../../test/documents';
import { fakeApi, renderApp, SLOW } from '../../test/fakeApi';
import { fakeXhr } from '../../test/fakeXhr';
import { companyRoutes, draftApp, page, problem, winterCall } from './testdata';

function fill(testId: string, value: string) {
  const el = screen.getByTestId(testId);
  const input = el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' ? el : (el.querySelector('input, textarea') as HTMLElement);
  fireEvent.change(input, { target: { value } });
}

const visible = (testId: string) => (screen.getByTestId(testId) as HTMLElement).style.display !== 'none';

// The company's documents a file question chooses from; a deleted one is not offered.
const finalPlan = doc({ id: 'D5', type: 'business_plan', filename: '商业计划书-终版.pdf', version: 2, checklist_id: '', carrier_id: '' });
const licence = doc({ id: 'D6', type: 'business_licence', filename: '营业执照.pdf', checklist_id: 'application:A0' });
const deletedDoc = doc({ id: 'D7', type: 'other', filename: '旧文件.pdf', status: 'deleted', checklist_id: '', carrier_id: '' });
const companyDocuments = () => page([finalPlan, licence, deletedDoc]);

/** openSelect opens an antd select by its test id. */
const openSelect = (testId: string) => fireEvent.mouseDown(screen.getByTestId(testId).querySelector('.ant-select-selector') as Element);
/** offered lists the titles of the options an open select offers. */
function offered(testId: string): string[] {
  const input = screen.getByTestId(testId).querySelector('input') as HTMLInputElement;
  const dropdown = document.getElementById(`${input.id}_list`)?.closest('.ant-select-dropdown');
  return [...(dropdown?.querySelectorAll('.ant-select-item-option') ?? [])].map((o) => o.getAttribute('title') ?? '');
}
const chosen = (testId: string) => screen.getByTestId(testId).querySelector('.ant-select-selection-item')?.getAttribute('title') ?? '';

async function uploadInto(testId: string, name: string) {
  fireEvent.click(screen.getByTestId(`${testId}-upload`));
  const box = await screen.findByTestId(`${testId}-uploader`, {}, SLOW);
  fireEvent.change(box.querySelector('input[type="file"]') as HTMLInputElement, {
    target: { files: [new File(['%PDF-1.4\n%%EOF\n'], name, { type: 'application/pdf' })] },
  });
}

describe('open intake calls and the application wizard', () => {
  it('lists the region\'s open calls, saves a draft, maps answer errors per question and submits', async () => {
    let app: Application | undefined;
    let submitTries = 0;
    const calls = fakeApi({
      ...companyRoutes(),
      'GET /api/v1/regions/R1/intake-calls': () => page([winterCall]),
      'GET /api/v1/intake-calls/IC1': () => ({ status: 200, body: winterCall }),
      'GET /api/v1/companies/K1/applications': () => page(app ? [app] : []),
      'POST /api/v1/intake-calls/IC1/applications': (c) => {
        app = { ...draftApp, answers: (c.body as { answers: Application['answers'] }).answers };
        return { status: 201, body: app };
      },
      'GET /api/v1/applications/A1': () => ({ status: 200, body: app }),
      'PATCH /api/v1/applications/A1': (c) => {
        app = { ...(app as Application), answers: (c.body as { answers: Application['answers'] }).answers };
        return { status: 200, body: app };
      },
      // Both materials are in; the materials step shows them.
      'GET /api/v1/checklists/application:A1': () => ({
        status: 200,
        body: checklist([
          { type: 'business_licence', required: true, document: doc({ id: 'D1', type: 'business_licence', filename: '营业执照.pdf' }) },
          { type: 'business_plan', required: true, document: doc({ id: 'D2' }) },
        ]),
      }),
      'GET /api/v1/regions/R1/document-types': () => ({ status: 200, body: documentTypes }),
      'GET /api/v1/companies/K1/documents': () => companyDocuments(),
      'POST /api/v1/applications/A1/submit': () => {
        submitTries++;
        if (submitTries === 1) {
          return problem('申请表填写有误', [
            { field: 'answers.stage', code: 'required', message: '必填' },
            { field: 'answers.funding', code: 'money_unit_mismatch', message: '本题金额单位为 thousand_yuan，而不是 yuan' },
          ]);
        }
        app = { ...(app as Application), status: 'submitted', submitted_at: '2026-11-27T01:00:00Z' };
        return { status: 200, body: app };
      },
    });

    renderApp('/company/K1/calls');
    const card = await screen.findByTestId('call-card', {}, SLOW);
    expect(within(card).getByTestId('call-title').textContent).toBe('2026年冬季入驻招募');
    expect(card.textContent).toContain('2026-11-01 至 2026-12-31');
    expect(card.textContent).toContain('商业计划书');
    // The startup menu leads to the flow's pages of the member's company.
    expect(screen.getByTestId('menu-startup-calls').textContent).toBe('入驻招募');
    expect(screen.getByTestId('menu-startup-reports')).toBeTruthy();
    expect(screen.getByTestId('startup-company-name').textContent).toBe('济南明湖智能科技有限公司');

    fireEvent.click(within(card).getByTestId('call-apply'));
    await screen.findByTestId('application-wizard', {}, SLOW);
    await waitFor(() => expect(screen.getByTestId('wizard-company').textContent).toContain('济南明湖智能科技有限公司'), SLOW);
    expect(visible('wizard-step-company')).toBe(true);
    fireEvent.click(screen.getByTestId('wizard-next'));
    await waitFor(() => expect(visible('wizard-step-answers')).toBe(true), SLOW);

    // Money shows the call's unit explicitly.
    expect(screen.getByTestId('answer-funding-unit').textContent).toBe('千元');
    fill('answer-summary', '  工业视觉质检 ');
    fill('answer-team_size', '12');
    fill('answer-funding', '500');
    fill('answer-founded', '2025-03-18');
    // A file question offers the company's documents; the answer is the chosen one's id.
    expect(screen.getByTestId('question-plan_doc').textContent).toContain('从企业资料中选择一个文件');
    openSelect('answer-plan_doc');
    await waitFor(() => expect(offered('answer-plan_doc')).toEqual(['商业计划书 · 商业计划书-终版.pdf · 第2版', '营业执照 · 营业执照.pdf · 第1版']), SLOW);
    fireEvent.click(await screen.findByTitle('商业计划书 · 商业计划书-终版.pdf · 第2版'));
    await waitFor(() => expect(chosen('answer-plan_doc')).toBe('商业计划书 · 商业计划书-终版.pdf · 第2版'), SLOW);
    expect(calls.find((c) => c.url.startsWith('/api/v1/companies/K1/documents'))?.url).toContain('page_size=100');
    fireEvent.click(screen.getByTestId('wizard-save-draft'));

    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url.endsWith('/applications'))).toBe(true), SLOW);
    const created = calls.find((c) => c.method === 'POST' && c.url.endsWith('/applications'));
    expect(created?.body).toEqual({
      company_id: 'K1',
      answers: {
        summary: '工业视觉质检',
        team_size: 12,
        funding: { amount: 500, unit: 'thousand_yuan' },
        founded: '2025-03-18',
        plan_doc: 'D5',
      },
    });
    // The draft now has its own address; the answers come back from the server.
    await waitFor(() => expect(calls.some((c) => c.method === 'GET' && c.url === '/api/v1/applications/A1')).toBe(true), SLOW);
    await waitFor(() => expect((screen.getByTestId('answer-summary') as HTMLTextAreaElement).value).toBe('工业视觉质检'), SLOW);
    expect(screen.getByTestId('wizard-company').className).toContain('disabled');

    await waitFor(() => expect(visible('wizard-step-answers')).toBe(true), SLOW);
    // A question the form marks required is checked before moving on: the draft had no stage.
    fireEvent.click(screen.getByTestId('wizard-next'));
    expect(await within(screen.getByTestId('question-stage')).findByText('请填写「发展阶段」', {}, SLOW)).toBeTruthy();
    expect(visible('wizard-step-answers')).toBe(true);
    fireEvent.mouseDown(screen.getByTestId('answer-stage').querySelector('.ant-select-selector') as Element);
    fireEvent.click(await screen.findByTitle('idea'));
    await waitFor(() => expect(within(screen.getByTestId('question-stage')).queryByText('请填写「发展阶段」')).toBeNull(), SLOW);
    fireEvent.click(screen.getByTestId('wizard-next'));
    // The call requires materials: their step comes before the confirmation.
    await waitFor(() => expect(visible('wizard-step-materials')).toBe(true), SLOW);
    expect(screen.getByTestId('wizard-steps').textContent).toContain('上传材料');
    await waitFor(() => expect(screen.getByTestId('slot-status-business_plan').textContent).toBe('已上传'), SLOW);
    fireEvent.click(screen.getByTestId('wizard-next'));
    await waitFor(() => expect(visible('wizard-step-confirm')).toBe(true), SLOW);
    expect(screen.getByTestId('wizard-summary').textContent).toContain('500 千元');
    // The chosen file shows by name, as a download of its latest version.
    const planLink = within(screen.getByTestId('file-answer-plan_doc')).getByTestId('file-answer-download');
    expect(planLink.textContent).toBe('商业计划书-终版.pdf');
    expect(planLink.getAttribute('href')).toBe('/api/v1/documents/D5/versions/2/content');
    fireEvent.click(screen.getByTestId('wizard-submit'));

    // The server's errors land on their questions and the answers step opens again.
    expect(await screen.findByText('本题金额单位为 thousand_yuan，而不是 yuan', {}, SLOW)).toBeTruthy();
    expect(within(screen.getByTestId('question-stage')).getByText('必填')).toBeTruthy();
    expect(visible('wizard-step-answers')).toBe(true);
    expect(screen.getByTestId('wizard-error').textContent).toContain('申请表填写有误');
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.url).toBe('/api/v1/applications/A1');

    fireEvent.mouseDown(screen.getByTestId('answer-stage').querySelector('.ant-select-selector') as Element);
    fireEvent.click(await screen.findByTitle('prototype'));
    // Moving on checks the required answers first, so each step is awaited.
    fireEvent.click(screen.getByTestId('wizard-next'));
    await waitFor(() => expect(visible('wizard-step-materials')).toBe(true), SLOW);
    fireEvent.click(screen.getByTestId('wizard-next'));
    fireEvent.click(await screen.findByTestId('wizard-submit', {}, SLOW));

    const list = await screen.findByTestId('applications-list', {}, SLOW);
    await waitFor(() => expect(within(list).getByTestId('application-status').textContent).toBe('已提交'), SLOW);
    expect((calls.filter((c) => c.method === 'PATCH').at(-1)?.body as { answers: Record<string, unknown> }).answers.stage).toBe('prototype');
    expect(submitTries).toBe(2);
  }, 90000);
});

describe('the wizard\'s materials step', () => {
  it('shows a refused submission\'s material errors next to the slots, uploads, waits for the application, then submits', async () => {
    const plan1 = doc({ id: 'D2', status: 'returned', comment: '缺少盖章页' });
    let slots: Checklist['slots'] = [
      { type: 'business_licence', required: true, document: null },
      { type: 'business_plan', required: true, document: plan1 },
    ];
    // What incubatees knows; it learns an upload a few polls later.
    let materials: Application['materials'] = [
      { type: 'business_licence', document_id: '', status: '', version: 0, filename: '' },
      { type: 'business_plan', document_id: 'D2', status: 'returned', version: 1, filename: plan1.filename },
    ];
    let pending: Application['materials'] | undefined;
    let lag = 0;
    let app: Application = { ...draftApp, answers: { summary: '工业视觉质检', team_size: 12, stage: 'idea' } };
    let submitTries = 0;
    const calls = fakeApi({
      ...companyRoutes(),
      'GET /api/v1/intake-calls/IC1': () => ({ status: 200, body: winterCall }),
      'GET /api/v1/applications/A1': () => {
        if (pending && --lag <= 0) {
          materials = pending;
          pending = undefined;
        }
        return { status: 200, body: { ...app, materials } };
      },
      'PATCH /api/v1/applications/A1': () => ({ status: 200, body: { ...app, materials } }),
      'GET /api/v1/checklists/application:A1': () => ({ status: 200, body: checklist(slots) }),
      'GET /api/v1/regions/R1/document-types': () => ({ status: 200, body: documentTypes }),
      'GET /api/v1/companies/K1/applications': () => page([app]),
      'POST /api/v1/applications/A1/submit': () => {
        submitTries++;
        const bad = materials.filter((m) => !m.document_id || m.status === 'returned');
        if (bad.length > 0) {
          return {
            status: 422,
            body: {
              status: 422,
              code: 'materials-incomplete',
              detail: '申请材料不全',
              errors: bad.map((m) =>
                m.document_id
                  ? { field: `materials.${m.type}`, code: 'material_returned', message: '商业计划书已被退回，请上传新版本' }
                  : { field: `materials.${m.type}`, code: 'material_missing' },
              ),
            },
          };
        }
        app = { ...app, status: 'submitted', submitted_at: '2026-11-27T01:00:00Z' };
        return { status: 200, body: { ...app, materials } };
      },
    });
    const uploads: Record<string, string>[] = [];
    fakeXhr((x) => {
      uploads.push(x.query);
      const type = x.query.type;
      const d =
        type === 'business_plan'
          ? doc({ id: 'D2', version: 2, filename: x.query.filename })
          : doc({ id: 'D9', type, filename: x.query.filename });
      setTimeout(() => {
        slots = slots.map((s) => (s.type === type ? { ...s, document: d } : s));
        pending = materials.map((m) => (m.type === type ? { type, document_id: d.id, status: 'uploaded', version: d.version, filename: d.filename } : m));
        lag = 2;
        x.progress(10, 10);
        x.reply(201, d);
      });
    });

    renderApp('/company/K1/applications/A1');
    await screen.findByTestId('application-wizard', {}, SLOW);
    await waitFor(() => expect(visible('wizard-step-answers')).toBe(true), SLOW);
    fireEvent.click(screen.getByTestId('wizard-next'));
    await waitFor(() => expect(visible('wizard-step-materials')).toBe(true), SLOW);
    fireEvent.click(screen.getByTestId('wizard-next'));
    await waitFor(() => expect(visible('wizard-step-confirm')).toBe(true), SLOW);
    expect(screen.getByTestId('wizard-summary').textContent).toContain('营业执照、商业计划书');
    fireEvent.click(screen.getByTestId('wizard-submit'));

    // Refused: the materials step opens with each slot's reason beside it.
    await waitFor(() => expect(visible('wizard-step-materials')).toBe(true), SLOW);
    expect(screen.getByTestId('wizard-error').textContent).toContain('申请材料不全');
    const licenceSlot = await screen.findByTestId('slot-business_licence', {}, SLOW);
    await waitFor(() => expect(within(licenceSlot).getByTestId('slot-error-business_licence').textContent).toBe('请上传该材料'), SLOW);
    expect(screen.getByTestId('slot-error-business_plan').textContent).toBe('商业计划书已被退回，请上传新版本');
    expect(screen.getByTestId('slot-comment-business_plan').textContent).toContain('缺少盖章页');

    const upload = async (type: string, name: string) => {
      const box = await screen.findByTestId(`slot-uploader-${type}`, {}, SLOW);
      fireEvent.change(box.querySelector('input[type="file"]') as HTMLInputElement, {
        target: { files: [new File(['%PDF-1.4\n%%EOF\n'], name, { type: 'application/pdf' })] },
      });
    };
    await upload('business_licence', '营业执照.pdf');
    await waitFor(() => expect(screen.getByTestId('slot-status-business_licence').textContent).toBe('已上传'), SLOW);
    expect(screen.queryByTestId('slot-error-business_licence')).toBeNull();
    // The wizard polls the application until it holds the document.
    await waitFor(() => expect(screen.queryByTestId('wizard-syncing')).toBeNull(), SLOW);
    expect(materials[0].document_id).toBe('D9');

    fireEvent.click(screen.getByTestId('slot-upload-business_plan'));
    await upload('business_plan', '商业计划书-盖章版.pdf');
    await waitFor(() => expect(screen.getByTestId('slot-version-business_plan').textContent).toBe('第 2 版'), SLOW);
    await waitFor(() => expect(screen.queryByTestId('wizard-syncing')).toBeNull(), SLOW);
    expect(materials[1]).toMatchObject({ document_id: 'D2', version: 2, status: 'uploaded' });
    expect(uploads).toEqual([
      { type: 'business_licence', checklist: 'application:A1', filename: '营业执照.pdf' },
      { type: 'business_plan', checklist: 'application:A1', filename: '商业计划书-盖章版.pdf' },
    ]);

    fireEvent.click(screen.getByTestId('wizard-next'));
    await waitFor(() => expect(visible('wizard-step-confirm')).toBe(true), SLOW);
    fireEvent.click(screen.getByTestId('wizard-submit'));
    const list = await screen.findByTestId('applications-list', {}, SLOW);
    await waitFor(() => expect(within(list).getByTestId('application-status').textContent).toBe('已提交'), SLOW);
    expect(submitTries).toBe(2);
    expect(calls.filter((c) => c.method === 'GET' && c.url === '/api/v1/applications/A1').length).toBeGreaterThanOrEqual(5);
  }, 90000);
});

describe('a new application refused for its materials', () => {
  it('creates the draft on submit and shows the refusal next to the slots of that draft', async () => {
    const call = { ...winterCall, materials: ['business_plan'], questions: [] };
    fakeApi({
      ...companyRoutes(),
      'GET /api/v1/intake-calls/IC1': () => ({ status: 200, body: call }),
      'POST /api/v1/intake-calls/IC1/applications': () => ({ status: 201, body: { ...draftApp, materials: [{ type: 'business_plan', document_id: '' }] } }),
      'POST /api/v1/applications/A1/submit': () => ({
        status: 422,
        body: {
          status: 422,
          code: 'materials-incomplete',
          detail: '申请材料不全',
          errors: [{ field: 'materials.business_plan', code: 'material_missing', message: '请上传商业计划书' }],
        },
      }),
      'GET /api/v1/checklists/application:A1': () => ({
        status: 200,
        body: checklist([{ type: 'business_plan', required: true, document: null }]),
      }),
      'GET /api/v1/regions/R1/document-types': () => ({ status: 200, body: documentTypes }),
    });
    renderApp('/company/K1/calls/IC1/apply');
    await screen.findByTestId('application-wizard', {}, SLOW);
    await waitFor(() => expect(screen.getByTestId('wizard-company').textContent).toContain('济南明湖智能科技有限公司'), SLOW);
    fireEvent.click(screen.getByTestId('wizard-next'));
    await waitFor(() => expect(visible('wizard-step-answers')).toBe(true), SLOW);
    fireEvent.click(screen.getByTestId('wizard-next'));
    // Before the draft exists there is no checklist to upload into.
    await waitFor(() => expect(visible('wizard-step-materials')).toBe(true), SLOW);
    expect(screen.getByTestId('wizard-materials-save-first')).toBeTruthy();
    fireEvent.click(screen.getByTestId('wizard-next'));
    await waitFor(() => expect(visible('wizard-step-confirm')).toBe(true), SLOW);
    fireEvent.click(screen.getByTestId('wizard-submit'));

    await waitFor(() => expect(visible('wizard-step-materials')).toBe(true), SLOW);
    expect(screen.getByTestId('wizard-error').textContent).toContain('申请材料不全');
    const slot = await screen.findByTestId('slot-business_plan', {}, SLOW);
    expect(within(slot).getByTestId('slot-error-business_plan').textContent).toBe('请上传商业计划书');
    expect(screen.getByTestId('slot-status-business_plan').textContent).toBe('待上传');
    expect(screen.getByTestId('slot-uploader-business_plan')).toBeTruthy();
    expect(screen.queryByTestId('wizard-materials-save-first')).toBeNull();
  }, 60000);
});

describe('my applications', () => {
  it('shows status and the decision reason, and withdraws one under review', async () => {
    let apps: Application[] = [
      { ...draftApp, id: 'A2', status: 'rejected', reason: '与园区主导产业不符', decided_at: '2026-11-20T00:00:00Z', submitted_at: '2026-11-10T00:00:00Z' },
      { ...draftApp, id: 'A3', call_title_zh: '秋季招募', status: 'reviewing', submitted_at: '2026-11-12T00:00:00Z' },
    ];
    const calls = fakeApi({
      ...companyRoutes(),
      'GET /api/v1/companies/K1/applications': () => page(apps),
      'POST /api/v1/applications/A3/withdraw': () => {
        apps = apps.map((a) => (a.id === 'A3' ? { ...a, status: 'withdrawn' } : a));
        return { status: 200, body: apps[1] };
      },
    });
    renderApp('/company/K1/applications');
    const list = await screen.findByTestId('applications-list', {}, SLOW);
    await waitFor(() => expect(within(list).getAllByTestId('application-item')).toHaveLength(2), SLOW);
    const [rejected, reviewing] = within(list).getAllByTestId('application-item');
    expect(within(rejected).getByTestId('application-status').textContent).toBe('未录取');
    expect(within(rejected).getByTestId('application-reason').textContent).toContain('与园区主导产业不符');
    expect(within(rejected).queryByTestId('application-withdraw')).toBeNull();
    expect(within(reviewing).getByTestId('application-status').textContent).toBe('评审中');

    fireEvent.click(within(reviewing).getByTestId('application-withdraw'));
    fireEvent.click(await screen.findByTestId('application-withdraw-confirm', {}, SLOW));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url === '/api/v1/applications/A3/withdraw')).toBe(true), SLOW);
    await waitFor(
      () => expect(within(screen.getByTestId('applications-list')).getAllByTestId('application-status')[1].textContent).toBe('已撤回'),
      SLOW,
    );
  }, 60000);

  it('says why an application came back: the material it relied on was deleted, by its name', async () => {
    fakeApi({
      ...companyRoutes(),
      'GET /api/v1/applications/A1': () => ({ status: 200, body: { ...draftApp, returned_for: 'business_plan' } }),
      'GET /api/v1/intake-calls/IC1': () => ({ status: 200, body: winterCall }),
      'GET /api/v1/checklists/application:A1': () => ({ status: 200, body: checklist([{ type: 'business_plan', required: true, document: null }]) }),
      'GET /api/v1/regions/R1/document-types': () => ({ status: 200, body: documentTypes }),
    });
    renderApp('/company/K1/applications/A1');
    const notice = (await screen.findByTestId('wizard-returned-for', {}, SLOW)).textContent ?? '';
    expect(notice).toContain('退回');
    expect(notice).toContain('商业计划书');
    expect(notice).toContain('已被删除');
    expect(notice).not.toContain('business_plan');
  }, 60000);

  it('shows a decided application read-only with its reason', async () => {
    fakeApi({
      ...companyRoutes(),
      'GET /api/v1/applications/A2': () => ({
        status: 200,
        body: { ...draftApp, id: 'A2', status: 'admitted', reason: '技术领先，同意入驻', answers: { funding: { amount: 500, unit: 'thousand_yuan' } } },
      }),
      'GET /api/v1/intake-calls/IC1': () => ({ status: 200, body: winterCall }),
    });
    renderApp('/company/K1/applications/A2');
    const view = await screen.findByTestId('application-view', {}, SLOW);
    expect(within(view).getByTestId('application-status').textContent).toBe('已录取');
    expect(within(view).getByTestId('application-reason').textContent).toBe('技术领先，同意入驻');
    expect(view.textContent).toContain('500 千元');
    expect(screen.queryByTestId('application-withdraw')).toBeNull();
    expect(screen.queryByTestId('wizard-submit')).toBeNull();
  }, 60000);
});

describe('file questions', () => {
  const fileCall: IntakeCall = {
    ...winterCall,
    materials: [],
    questions: [{ key: 'plan_doc', label_zh: '商业计划书', label_en: 'Business plan', type: 'file', required: true }],
  };
  /** The documents service answers an upload with a new document of type other, tied to the carrier it was given. */
  const answerUploads = (uploads: Record<string, string>[]) =>
    fakeXhr((x) => {
      uploads.push(x.query);
      const d = doc({ id: 'D9', type: x.query.type, checklist_id: '', carrier_id: x.query.carrier ?? '', filename: x.query.filename });
      setTimeout(() => {
        x.progress(10, 10);
        x.reply(201, d);
      });
    });

  it('uploads a new file into a draft\'s carrier, chooses it and shows it in the summary', async () => {
    let app: Application = { ...draftApp, materials: [], answers: {} };
    const calls = fakeApi({
      ...companyRoutes(),
      'GET /api/v1/intake-calls/IC1': () => ({ status: 200, body: fileCall }),
      'GET /api/v1/applications/A1': () => ({ status: 200, body: app }),
      'PATCH /api/v1/applications/A1': (c) => {
        app = { ...app, answers: (c.body as { answers: Application['answers'] }).answers };
        return { status: 200, body: app };
      },
      'GET /api/v1/companies/K1/documents': () => companyDocuments(),
      'GET /api/v1/regions/R1/document-types': () => ({ status: 200, body: documentTypes }),
    });
    const uploads: Record<string, string>[] = [];
    answerUploads(uploads);

    renderApp('/company/K1/applications/A1');
    await screen.findByTestId('application-wizard', {}, SLOW);
    await waitFor(() => expect(visible('wizard-step-answers')).toBe(true), SLOW);
    openSelect('answer-plan_doc');
    await waitFor(() => expect(offered('answer-plan_doc')).toHaveLength(2), SLOW);

    await uploadInto('answer-plan_doc', '补充材料.pdf');
    // The new document is chosen and offered with the others; the dialog closes.
    await waitFor(() => expect(chosen('answer-plan_doc')).toBe('其他 · 补充材料.pdf · 第1版'), SLOW);
    await waitFor(() => expect(screen.queryByTestId('answer-plan_doc-uploader')).toBeNull(), SLOW);
    expect(offered('answer-plan_doc')).toContain('其他 · 补充材料.pdf · 第1版');
    // No checklist; the draft exists, so the company is linked to the call's carrier.
    expect(uploads).toEqual([{ type: 'other', carrier: 'C1', filename: '补充材料.pdf' }]);

    fireEvent.click(screen.getByTestId('wizard-next'));
    await waitFor(() => expect(visible('wizard-step-confirm')).toBe(true), SLOW);
    const link = within(screen.getByTestId('file-answer-plan_doc')).getByTestId('file-answer-download');
    expect(link.textContent).toBe('补充材料.pdf');
    expect(link.getAttribute('href')).toBe('/api/v1/documents/D9/versions/1/content');

    fireEvent.click(screen.getByTestId('wizard-save-draft'));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true), SLOW);
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ answers: { plan_doc: 'D9' } });
  }, 60000);

  it('uploads without a carrier before the draft exists, and another choice replaces the answer', async () => {
    const calls = fakeApi({
      ...companyRoutes(),
      'GET /api/v1/intake-calls/IC1': () => ({ status: 200, body: fileCall }),
      'POST /api/v1/intake-calls/IC1/applications': (c) => ({
        status: 201,
        body: { ...draftApp, answers: (c.body as { answers: Application['answers'] }).answers },
      }),
      'GET /api/v1/companies/K1/documents': () => companyDocuments(),
      'GET /api/v1/regions/R1/document-types': () => ({ status: 200, body: documentTypes }),
    });
    const uploads: Record<string, string>[] = [];
    answerUploads(uploads);

    renderApp('/company/K1/calls/IC1/apply');
    await screen.findByTestId('application-wizard', {}, SLOW);
    await waitFor(() => expect(screen.getByTestId('wizard-company').textContent).toContain('济南明湖智能科技有限公司'), SLOW);
    fireEvent.click(screen.getByTestId('wizard-next'));
    await waitFor(() => expect(visible('wizard-step-answers')).toBe(true), SLOW);

    await uploadInto('answer-plan_doc', '路演材料.pdf');
    await waitFor(() => expect(chosen('answer-plan_doc')).toBe('其他 · 路演材料.pdf · 第1版'), SLOW);
    expect(uploads).toEqual([{ type: 'other', filename: '路演材料.pdf' }]);

    openSelect('answer-plan_doc');
    await waitFor(() => expect(offered('answer-plan_doc')).toHaveLength(3), SLOW);
    fireEvent.click(await screen.findByTitle('营业执照 · 营业执照.pdf · 第1版'));
    await waitFor(() => expect(chosen('answer-plan_doc')).toBe('营业执照 · 营业执照.pdf · 第1版'), SLOW);

    fireEvent.click(screen.getByTestId('wizard-save-draft'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url.endsWith('/applications'))).toBe(true), SLOW);
    expect(calls.find((c) => c.method === 'POST' && c.url.endsWith('/applications'))?.body).toEqual({
      company_id: 'K1',
      answers: { plan_doc: 'D6' },
    });
  }, 60000);

  it('shows a submitted file answer by name, or its id when the document cannot be loaded', async () => {
    const call: IntakeCall = {
      ...fileCall,
      questions: [
        ...(fileCall.questions ?? []),
        { key: 'old_doc', label_zh: '其他证明', label_en: 'Other evidence', type: 'file', required: false },
      ],
    };
    fakeApi({
      ...companyRoutes(),
      'GET /api/v1/applications/A2': () => ({
        status: 200,
        body: { ...draftApp, id: 'A2', status: 'submitted', materials: [], answers: { plan_doc: 'D5', old_doc: 'D404' } },
      }),
      'GET /api/v1/intake-calls/IC1': () => ({ status: 200, body: call }),
      'GET /api/v1/documents/D5': () => ({ status: 200, body: finalPlan }),
      'GET /api/v1/documents/D404': () => ({ status: 404, body: { status: 404, code: 'document-not-found' } }),
    });
    renderApp('/company/K1/applications/A2');
    const view = await screen.findByTestId('application-view', {}, SLOW);
    const link = await within(view).findByTestId('file-answer-download', {}, SLOW);
    expect(link.textContent).toBe('商业计划书-终版.pdf');
    expect(link.getAttribute('href')).toBe('/api/v1/documents/D5/versions/2/content');
    await waitFor(() => expect(screen.getByTestId('file-answer-old_doc').getAttribute('data-state')).toBe('unavailable'), SLOW);
    expect(screen.getByTestId('file-answer-old_doc').textContent).toBe('D404');
  }, 60000);
});
