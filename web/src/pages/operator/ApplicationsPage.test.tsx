import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Application } from '../../api/applications';
import type { IntakeCall } from '../../api/intakeCalls';
import { minghuTech } from '../../test/companies';
import { checklist, doc, documentTypes } from '../../test/documents';
import { fakeApi, minghu, parkAdmin, renderApp, SLOW } from '../../test/fakeApi';

const page = <T,>(items: T[]) => ({ status: 200, body: { items, total: items.length, page: 1, page_size: 20 } });

const base: Application = {
  id: 'A1',
  call_id: 'IC1',
  call_title_zh: '2026 冬季招募',
  carrier_id: 'C1',
  region_id: 'R1',
  company_id: 'K1',
  company_name_zh: '济南明湖智能科技有限公司',
  status: 'submitted',
  answers: { revenue: { amount: 1200, unit: 'thousand_yuan' }, stage: 'mvp' },
  materials: [{ type: 'business_plan', document_id: '', status: '', version: 0, filename: '' }],
  reason: '',
  decided_at: null,
  submitted_at: '2026-11-20T02:00:00Z',
  created_at: '2026-11-20T01:00:00Z',
  updated_at: '2026-11-20T02:00:00Z',
};

const call: IntakeCall = {
  id: 'IC1',
  region_id: 'R1',
  carrier_id: 'C1',
  title_zh: '2026 冬季招募',
  title_en: '',
  opens_on: '2026-11-01',
  closes_on: '2026-12-31',
  eligibility: '',
  materials: ['business_plan'],
  questions: [
    { key: 'revenue', label_zh: '上年营收', label_en: 'Revenue', type: 'money', required: true, unit: 'thousand_yuan' },
    { key: 'stage', label_zh: '阶段', label_en: '', type: 'choice', required: false, options: ['idea', 'mvp'] },
  ],
  criteria: ['team', 'technology', 'market', 'fit'],
  capacity: 10,
  min_reviews: 1,
  status: 'open',
  created_at: '',
  updated_at: '',
};

function rowOf(table: HTMLElement, text: string) {
  return within(table).getByText(text).closest('tr') as HTMLElement;
}

describe('application inbox', () => {
  it('filters, and a bulk decision marks each failing row, then succeeds', async () => {
    let apps: Application[] = [
      base,
      { ...base, id: 'A2', company_id: 'K2', company_name_zh: '泉城量子团队', status: 'reviewing' },
      { ...base, id: 'A3', company_id: 'K3', company_name_zh: '已录取公司', status: 'admitted' },
    ];
    let fail = true;
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
      'GET /api/v1/carriers/C1/applications': () => page(apps),
      'POST /api/v1/carriers/C1/applications/decisions': (c) => {
        const { ids } = c.body as { ids: string[] };
        if (fail) {
          fail = false;
          return {
            status: 422,
            body: {
              status: 422,
              slug: 'decisions-failed',
              detail: '有 1 份申请无法决定，所有决定均未生效',
              errors: [{ field: 'ids.A2', code: 'call_full', message: '招募名额已满' }],
            },
          };
        }
        apps = apps.map((a) => (ids.includes(a.id) ? { ...a, status: 'admitted' } : a));
        return { status: 200, body: { items: apps.filter((a) => ids.includes(a.id)) } };
      },
    });
    renderApp('/carriers/C1/applications?status=submitted');
    const table = await screen.findByTestId('applications-table', {}, SLOW);
    await waitFor(() => expect(table.textContent).toContain('泉城量子团队'), SLOW);
    expect(new URL(log.find((c) => c.url.includes('/applications'))!.url, 'http://x').searchParams.get('status')).toBe('submitted');

    fireEvent.change(screen.getByTestId('applications-search').querySelector('input') ?? screen.getByTestId('applications-search'), {
      target: { value: '明湖' },
    });
    fireEvent.keyDown(screen.getByPlaceholderText('搜索企业名称'), { key: 'Enter', code: 'Enter', keyCode: 13 });
    await waitFor(() => expect(log.some((c) => c.url.includes('q=%E6%98%8E%E6%B9%96'))).toBe(true), SLOW);

    // A decided application cannot be selected.
    expect((within(rowOf(table, '已录取公司')).getByRole('checkbox') as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(within(rowOf(table, '济南明湖智能科技有限公司')).getByRole('checkbox'));
    fireEvent.click(within(rowOf(table, '泉城量子团队')).getByRole('checkbox'));
    expect(screen.getByTestId('applications-selected').textContent).toBe('已选 2 项');

    fireEvent.click(screen.getByTestId('applications-bulk-admit'));
    fireEvent.change(await screen.findByTestId('decision-reason', {}, SLOW), { target: { value: '团队优秀' } });
    fireEvent.click(screen.getByTestId('decision-submit'));

    expect((await screen.findByTestId('applications-bulk-error', {}, SLOW)).textContent).toContain('所有决定均未生效');
    const errs = screen.getAllByTestId('application-row-error');
    expect(errs).toHaveLength(1);
    expect(rowOf(table, '泉城量子团队').textContent).toContain('招募名额已满');
    expect(rowOf(table, '济南明湖智能科技有限公司').textContent).not.toContain('招募名额已满');
    const posts = log.filter((c) => c.method === 'POST');
    expect(posts[0].body).toEqual({ ids: ['A1', 'A2'], decision: 'admit', reason: '团队优秀' });

    // Retrying with the same selection now goes through and clears the marks.
    fireEvent.click(screen.getByTestId('applications-bulk-admit'));
    fireEvent.change(await screen.findByTestId('decision-reason', {}, SLOW), { target: { value: '团队优秀' } });
    fireEvent.click(screen.getByTestId('decision-submit'));
    await waitFor(() => expect(screen.queryByTestId('application-row-error')).toBeNull(), SLOW);
    await waitFor(() => expect(screen.getByTestId('applications-selected').textContent).toBe('已选 0 项'), SLOW);
    await waitFor(() => expect(within(rowOf(table, '泉城量子团队')).getByTestId('application-status').textContent).toBe('已录取'), SLOW);
  }, 60000);

  it('keeps a reason error in the dialog', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
      'GET /api/v1/carriers/C1/applications': () => page([base]),
      'POST /api/v1/carriers/C1/applications/decisions': () => ({
        status: 422,
        body: { status: 422, detail: '输入有误', errors: [{ field: 'reason', code: 'too_long', message: '不能超过 2000 个字符' }] },
      }),
    });
    renderApp('/carriers/C1/applications');
    const table = await screen.findByTestId('applications-table', {}, SLOW);
    await waitFor(() => expect(table.textContent).toContain('济南明湖'), SLOW);
    fireEvent.click(within(rowOf(table, '济南明湖智能科技有限公司')).getByRole('checkbox'));
    fireEvent.click(screen.getByTestId('applications-bulk-reject'));
    fireEvent.change(await screen.findByTestId('decision-reason', {}, SLOW), { target: { value: 'x' } });
    fireEvent.click(screen.getByTestId('decision-submit'));
    expect(await screen.findByText('不能超过 2000 个字符', {}, SLOW)).toBeTruthy();
    expect(screen.getByTestId('decision-reason')).toBeTruthy();
  }, 60000);
});

describe('application detail', () => {
  function withApp() {
    let app: Application = { ...base, reviews: [] };
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/applications/A1': () => ({ status: 200, body: app }),
      'GET /api/v1/intake-calls/IC1': () => ({ status: 200, body: call }),
      'GET /api/v1/companies/K1': () => ({ status: 200, body: minghuTech }),
      'POST /api/v1/applications/A1/reviews': (c) => {
        const { scores, comment } = c.body as { scores: Record<string, number>; comment: string };
        if (Object.keys(scores).length < 4) {
          return { status: 422, body: { status: 422, detail: '评审打分有误', errors: [{ field: 'scores.fit', code: 'required', message: '必填' }] } };
        }
        app = { ...app, status: 'reviewing', reviews: [{ reviewer_id: 'U1', scores, comment, at: '2026-11-21T00:00:00Z' }] };
        return { status: 200, body: app };
      },
      'POST /api/v1/applications/A1/decision': (c) => {
        const { decision, reason } = c.body as { decision: string; reason: string };
        app = { ...app, status: decision === 'admit' ? 'admitted' : 'rejected', reason, decided_at: '2026-11-22T00:00:00Z' };
        return { status: 200, body: app };
      },
    });
    return log;
  }

  it('shows answers by question type, adds a rubric review and decides with a reason', async () => {
    const log = withApp();
    renderApp('/applications/A1');
    await waitFor(() => expect(screen.getByTestId('application-title').textContent).toBe('济南明湖智能科技有限公司'), SLOW);
    const answers = screen.getByTestId('application-answers').textContent ?? '';
    expect(answers).toContain('上年营收');
    expect(answers).toContain('1,200 千元');
    expect(answers).toContain('mvp');
    expect(screen.getByTestId('application-materials').textContent).toContain('商业计划书');

    // Three of four criteria: the client asks for the fourth before sending.
    for (const [c, n] of [['team', '4'], ['technology', '5'], ['market', '3']] as const) {
      fireEvent.click(within(screen.getByTestId(`review-score-${c}`)).getByText(n));
    }
    fireEvent.change(screen.getByTestId('review-comment'), { target: { value: '技术扎实' } });
    fireEvent.click(screen.getByTestId('review-submit'));
    expect(await screen.findByText('请打分', {}, SLOW)).toBeTruthy();
    expect(log.filter((c) => c.method === 'POST')).toHaveLength(0);

    fireEvent.click(within(screen.getByTestId('review-score-fit')).getByText('4'));
    fireEvent.click(screen.getByTestId('review-submit'));
    await waitFor(() => expect(screen.getByTestId('application-reviews').textContent).toContain('技术扎实'), SLOW);
    expect(log.filter((c) => c.method === 'POST')[0].body).toEqual({
      scores: { team: 4, technology: 5, market: 3, fit: 4 },
      comment: '技术扎实',
    });
    expect(screen.getByTestId('application-reviews').textContent).toContain('4.0');

    fireEvent.click(within(screen.getByTestId('decision-choice')).getByText('不录取'));
    fireEvent.change(screen.getByTestId('decision-single-reason'), { target: { value: '与园区方向不符' } });
    fireEvent.click(screen.getByTestId('decision-single-submit'));
    await waitFor(() => expect(screen.getByTestId('application-detail-status').textContent).toBe('未录取'), SLOW);
    expect(screen.getByTestId('application-reason').textContent).toBe('与园区方向不符');
    expect(log.filter((c) => c.method === 'POST').at(-1)?.body).toEqual({ decision: 'reject', reason: '与园区方向不符' });
    // A decided application offers neither a review nor a decision.
    expect(screen.queryByTestId('review-form')).toBeNull();
    expect(screen.queryByTestId('decision-form')).toBeNull();
  }, 60000);

  it('names the unverified materials and missing reviews of a refused admission by their labels', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/applications/A1': () => ({ status: 200, body: { ...base, reviews: [] } }),
      'GET /api/v1/intake-calls/IC1': () => ({ status: 200, body: call }),
      'GET /api/v1/companies/K1': () => ({ status: 200, body: minghuTech }),
      'POST /api/v1/applications/A1/decision': () => ({
        status: 422,
        body: {
          status: 422,
          slug: 'admission-incomplete',
          detail: '录取条件未满足',
          errors: [
            { field: 'materials.business_plan', code: 'material_not_verified', message: '材料尚未核验' },
            { field: 'reviews', code: 'too_few_reviews', message: '评审不足（至少 1 份）', params: { min: 1, got: 0 } },
          ],
        },
      }),
    });
    renderApp('/applications/A1');
    fireEvent.change(await screen.findByTestId('decision-single-reason', {}, SLOW), { target: { value: '评审通过' } });
    fireEvent.click(screen.getByTestId('decision-single-submit'));
    const problem = (await screen.findByTestId('decision-error', {}, SLOW)).textContent ?? '';
    expect(problem).toContain('录取条件未满足');
    expect(problem).toContain('商业计划书');
    expect(problem).toContain('材料尚未核验');
    expect(problem).toContain('评审');
    expect(problem).toContain('评审不足（至少 1 份）');
    expect(problem).not.toContain('business_plan');
    expect(problem).not.toContain('materials.');
  }, 60000);

  it('says which material was deleted when an application went back to the company while its page was open', async () => {
    // The founder deletes the plan after the page loaded: the application is
    // a draft again, which the carrier cannot see (404), and its slot is empty.
    let deleted = false;
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/applications/A1': () => ({ status: 200, body: { ...base, reviews: [] } }),
      'GET /api/v1/intake-calls/IC1': () => ({ status: 200, body: call }),
      'GET /api/v1/companies/K1': () => ({ status: 200, body: minghuTech }),
      'GET /api/v1/checklists/application:A1': () => ({
        status: 200,
        body: checklist([{ type: 'business_plan', required: true, document: deleted ? null : doc() }]),
      }),
      'POST /api/v1/applications/A1/decision': () => {
        deleted = true;
        return { status: 404, body: { status: 404, slug: 'application-not-found', detail: '申请不存在' } };
      },
    });
    renderApp('/applications/A1');
    fireEvent.change(await screen.findByTestId('decision-single-reason', {}, SLOW), { target: { value: '材料齐全' } });
    fireEvent.click(screen.getByTestId('decision-single-submit'));
    const problem = (await screen.findByTestId('decision-error', {}, SLOW)).textContent ?? '';
    expect(problem).toContain('商业计划书');
    expect(problem).toContain('已删除');
    expect(problem).toContain('退回企业');
    expect(problem).not.toContain('business_plan');
    expect(problem).not.toContain('申请不存在');
  }, 60000);

  it('lets a park admin admit against the rules only with an override reason, and shows the reason kept', async () => {
    let decided: Application | null = null;
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/applications/A1': () => ({ status: 200, body: decided ?? { ...base, reviews: [] } }),
      'GET /api/v1/intake-calls/IC1': () => ({ status: 200, body: call }),
      'GET /api/v1/companies/K1': () => ({ status: 200, body: minghuTech }),
      'POST /api/v1/applications/A1/decision': (c) => {
        decided = { ...base, status: 'admitted', reason: '欢迎入驻', override_reason: (c.body as { override_reason: string }).override_reason };
        return { status: 200, body: decided };
      },
    });
    renderApp('/applications/A1');
    fireEvent.change(await screen.findByTestId('decision-single-reason', {}, SLOW), { target: { value: '欢迎入驻' } });
    fireEvent.click(await screen.findByTestId('decision-override', {}, SLOW));
    // Ticked without a reason: refused before anything is sent.
    fireEvent.click(screen.getByTestId('decision-single-submit'));
    expect(await screen.findByText('请填写越过录取条件的理由', {}, SLOW)).toBeTruthy();
    // Too long: refused too.
    fireEvent.change(screen.getByTestId('decision-override-reason'), { target: { value: '理'.repeat(2001) } });
    fireEvent.click(screen.getByTestId('decision-single-submit'));
    expect(await screen.findByText('理由不能超过 2000 字', {}, SLOW)).toBeTruthy();
    expect(log.filter((c) => c.method === 'POST')).toHaveLength(0);

    fireEvent.change(screen.getByTestId('decision-override-reason'), { target: { value: ' 区重点引进项目，评审会后补 ' } });
    fireEvent.click(screen.getByTestId('decision-single-submit'));
    await waitFor(() => expect(log.filter((c) => c.method === 'POST')).toHaveLength(1), SLOW);
    expect(log.find((c) => c.method === 'POST')?.body).toEqual({ decision: 'admit', reason: '欢迎入驻', override_reason: '区重点引进项目，评审会后补' });
    expect((await screen.findByTestId('application-override-reason', {}, SLOW)).textContent).toBe('区重点引进项目，评审会后补');
  }, 60000);

  it('offers no override to a park operator', async () => {
    const operator = { ...parkAdmin, assignments: parkAdmin.assignments.map((a) => ({ ...a, role: 'park_operator' as const })) };
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: operator }),
      'GET /api/v1/applications/A1': () => ({ status: 200, body: { ...base, reviews: [] } }),
      'GET /api/v1/intake-calls/IC1': () => ({ status: 200, body: call }),
      'GET /api/v1/companies/K1': () => ({ status: 200, body: minghuTech }),
    });
    renderApp('/applications/A1');
    await screen.findByTestId('decision-single-reason', {}, SLOW);
    expect(screen.queryByTestId('decision-override')).toBeNull();
  }, 60000);

  it('shows a file answer as a download of the document, or its id when the document cannot be loaded', async () => {
    const withFiles: IntakeCall = {
      ...call,
      questions: [
        ...(call.questions ?? []),
        { key: 'plan_doc', label_zh: '商业计划书', label_en: 'Business plan', type: 'file', required: true },
        { key: 'old_doc', label_zh: '其他证明', label_en: '', type: 'file', required: false },
      ],
    };
    const plan = doc({ id: 'D5', type: 'other', filename: '商业计划书-终版.pdf', version: 2, checklist_id: '', carrier_id: 'C1' });
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/applications/A1': () => ({
        status: 200,
        body: { ...base, reviews: [], answers: { ...base.answers, plan_doc: 'D5', old_doc: 'D404' } },
      }),
      'GET /api/v1/intake-calls/IC1': () => ({ status: 200, body: withFiles }),
      'GET /api/v1/companies/K1': () => ({ status: 200, body: minghuTech }),
      'GET /api/v1/documents/D5': () => ({ status: 200, body: plan }),
      'GET /api/v1/documents/D404': () => ({ status: 404, body: { status: 404, code: 'document-not-found' } }),
    });
    renderApp('/applications/A1');
    const answers = await screen.findByTestId('application-answers', {}, SLOW);
    const link = await within(answers).findByTestId('file-answer-download', {}, SLOW);
    expect(link.textContent).toBe('商业计划书-终版.pdf');
    // The latest version, through the streamed download.
    expect(link.getAttribute('href')).toBe('/api/v1/documents/D5/versions/2/content');
    expect(within(screen.getByTestId('file-answer-plan_doc')).getByTestId('file-answer-download')).toBe(link);
    await waitFor(() => expect(screen.getByTestId('file-answer-old_doc').getAttribute('data-state')).toBe('unavailable'), SLOW);
    expect(screen.getByTestId('file-answer-old_doc').textContent).toBe('D404');
    expect(answers.textContent).toContain('1,200 千元');
  }, 60000);

  it('shows the materials with their downloads, and the reviewer verifies one', async () => {
    let plan = doc({ id: 'D1', status: 'uploaded' });
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/applications/A1': () => ({
        status: 200,
        body: { ...base, reviews: [], materials: [{ type: 'business_plan', document_id: 'D1', status: plan.status, version: 1, filename: plan.filename }] },
      }),
      'GET /api/v1/intake-calls/IC1': () => ({ status: 200, body: call }),
      'GET /api/v1/companies/K1': () => ({ status: 200, body: minghuTech }),
      'GET /api/v1/regions/R1/document-types': () => ({ status: 200, body: documentTypes }),
      'GET /api/v1/checklists/application:A1': () => ({ status: 200, body: checklist([{ type: 'business_plan', required: true, document: plan }]) }),
      'POST /api/v1/documents/D1/verify': () => {
        plan = { ...plan, status: 'verified' };
        return { status: 200, body: plan };
      },
    });
    renderApp('/applications/A1');
    const card = await screen.findByTestId('application-materials', {}, SLOW);
    const slot = await within(card).findByTestId('slot-business_plan', {}, SLOW);
    expect(within(slot).getByTestId('slot-status-business_plan').textContent).toBe('已上传');
    expect(within(slot).getByTestId('slot-download-business_plan').getAttribute('href')).toBe('/api/v1/documents/D1/versions/1/content');
    fireEvent.click(within(slot).getByTestId('slot-verify-business_plan'));
    await waitFor(() => expect(screen.getByTestId('slot-status-business_plan').textContent).toBe('已核验'), SLOW);
    expect(log.some((c) => c.method === 'POST' && c.url === '/api/v1/documents/D1/verify')).toBe(true);
  }, 60000);
});
