import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Me } from '../../api/auth';
import type { Milestone } from '../../api/milestones';
import { StateTag } from '../../components/milestones/parts';
import { AppProviders } from '../../AppProviders';
import { setLanguage } from '../../i18n';
import { doc } from '../../test/documents';
import { fakeApi, minghu, renderApp, type Call, type Handler } from '../../test/fakeApi';
import { fakeXhr } from '../../test/fakeXhr';
import { districtViewer, founder, incubatorOperator, milestone, page, plan } from '../../test/milestones';

// A generous hang guard: antd in jsdom is slow on the shared 2-core machine.
const LONG = { timeout: 20000 };
const query = (c: Call) => Object.fromEntries(new URL(c.url, 'http://x').searchParams);
afterEach(() => setLanguage('zh-CN'));

/**
 * server is a small stateful stand-in for the milestones service: one
 * milestone whose state the routes move as the service's state machine does,
 * with the signed-in user switchable between the founder and the operator.
 */
function server(start: Milestone) {
  const s = { me: founder as Me, m: start, history: [] as { action: string; reason: string }[] };
  const move = (action: string, to: Milestone['state'], reason = ''): Handler =>
    () => {
      s.m = { ...s.m, state: to };
      s.history.push({ action, reason });
      return { status: 200, body: s.m };
    };
  const calls = fakeApi({
    'GET /api/v1/auth/me': () => ({ status: 200, body: s.me }),
    'GET /api/v1/carriers/C1': () => ({ status: 200, body: { ...minghu, name_zh: '历下科技企业孵化器' } }),
    'GET /api/v1/companies/K1/milestone-timeline': () => page([s.m]),
    'GET /api/v1/carriers/C1/milestones': (c) => {
      const q = query(c);
      return page([s.m].filter((m) => (!q.state || m.state === q.state) && (q.overdue !== 'true' || m.overdue)));
    },
    'GET /api/v1/companies/K1/documents': () => page([doc({ id: 'D1', type: 'milestone_evidence', checklist_id: '', filename: '首笔合同.pdf' })]),
    'GET /api/v1/regions/R1/document-types': () => page([]),
    'POST /api/v1/milestones/M1/submit': move('submit', 'submitted'),
    'POST /api/v1/milestones/M1/verify': move('verify', 'verified'),
    'POST /api/v1/milestones/M1/return': (c) => move('return', 'returned', (c.body as { comment: string }).comment)(c),
  });
  return { s, calls };
}

describe('milestone state labels', () => {
  it('names every state in both languages', () => {
    const states = ['planned', 'in_progress', 'submitted', 'verified', 'returned', 'waived'] as const;
    const { container } = render(
      <AppProviders>
        {states.map((st) => (
          <StateTag key={st} state={st} />
        ))}
      </AppProviders>,
    );
    const texts = () => [...container.querySelectorAll('[data-testid="milestone-state"]')].map((e) => e.textContent);
    expect(texts()).toEqual(['计划中', '进行中', '待核验', '已核验', '已退回', '已豁免']);
    act(() => setLanguage('en'));
    expect(texts()).toEqual(['Planned', 'In progress', 'Awaiting verification', 'Verified', 'Returned', 'Waived']);
  });
});

describe('my milestones (startup)', () => {
  it('reports progress with picked and uploaded evidence, shows field errors by their fields, and offers no verify button', async () => {
    let tries = 0;
    const posted: unknown[] = [];
    const s = { m: milestone() };
    // The progress route: the first try is refused (wrong unit), the second accepted.
    const calls = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: founder }),
      'GET /api/v1/companies/K1/milestone-timeline': () => page([s.m]),
      'GET /api/v1/companies/K1/documents': () => page([doc({ id: 'D1', type: 'milestone_evidence', checklist_id: '', filename: '首笔合同.pdf' })]),
      'GET /api/v1/regions/R1/document-types': () => page([]),
      'POST /api/v1/milestones/M1/updates': (c) => {
        posted.push(c.body);
        if (++tries === 1) {
          return {
            status: 422,
            body: {
              status: 422,
              code: 'invalid-progress',
              detail: '进展有误',
              errors: [{ field: 'figure.unit', code: 'wrong_unit', message: '单位应为千元', params: { want_zh: '千元', want_en: 'thousand yuan' } }],
            },
          };
        }
        s.m = { ...s.m, state: 'in_progress', figure: { value: 120, unit: 'thousand_yuan' }, evidence: ['D1', 'D9'] };
        return { status: 201, body: { update: { id: 'UP1', author_id: 'UF', author_name: '创业者 陈总', at: '', text: '签订合同', percent: null, figure: s.m.figure, evidence: s.m.evidence }, milestone: s.m } };
      },
    });
    renderApp('/company/K1/milestones');
    const card = await screen.findByTestId('milestone-card', {}, LONG);
    expect(within(card).getByTestId('milestone-state').textContent).toBe('计划中');
    expect(within(card).getByTestId('milestone-due').textContent).toContain('截止 2026-08-29');
    expect(within(card).queryByTestId('milestone-verify')).toBeNull();
    expect(within(card).queryByTestId('milestone-return')).toBeNull();
    expect(within(card).queryByTestId('milestone-submit')).toBeNull();

    fireEvent.click(within(card).getByTestId('milestone-report'));
    const form = await screen.findByTestId('progress-form', {}, LONG);
    fireEvent.change(within(form).getByTestId('progress-text'), { target: { value: '签订合同' } });
    fireEvent.change(within(form).getByTestId('progress-figure'), { target: { value: '120' } });
    fireEvent.mouseDown(within(form).getByTestId('progress-unit').querySelector('.ant-select-selector') ?? within(form).getByTestId('progress-unit'));
    fireEvent.click((await screen.findAllByTitle('人')).at(-1) as Element);
    // Pick an existing document …
    fireEvent.mouseDown(within(form).getByTestId('progress-evidence').querySelector('.ant-select-selector') ?? within(form).getByTestId('progress-evidence'));
    fireEvent.click((await screen.findAllByTitle('首笔合同.pdf · 里程碑佐证')).at(-1) as Element);
    // … and upload another, handed to the milestone's carrier as the type it takes.
    const xhrs = fakeXhr((x) => setTimeout(() => x.reply(201, doc({ id: 'D9', type: 'milestone_evidence', checklist_id: '', filename: x.query.filename }))));
    const uploader = within(form).getByTestId('progress-upload');
    fireEvent.change(uploader.querySelector('input[type="file"]') as HTMLInputElement, {
      target: { files: [new File(['%PDF-1.4'], '到账凭证.pdf', { type: 'application/pdf' })] },
    });
    await within(uploader).findByTestId('upload-done', {}, LONG);
    expect(xhrs[0].query).toMatchObject({ type: 'milestone_evidence', carrier: 'C1', filename: '到账凭证.pdf' });

    fireEvent.click(screen.getByTestId('progress-save'));
    // The refusal lands next to the unit, in the service's words.
    await waitFor(() => expect(form.querySelector('#figure_unit_help')?.textContent).toBe('单位应为千元'), LONG);
    expect(screen.getByTestId('progress-error').textContent).toContain('进展有误');
    expect(posted[0]).toEqual({ text: '签订合同', percent: null, figure: { value: 120, unit: 'people' }, evidence: ['D1', 'D9'] });

    fireEvent.mouseDown(within(form).getByTestId('progress-unit').querySelector('.ant-select-selector') ?? within(form).getByTestId('progress-unit'));
    fireEvent.click((await screen.findAllByTitle('千元')).at(-1) as Element);
    fireEvent.click(screen.getByTestId('progress-save'));
    await waitFor(() => expect(posted).toHaveLength(2), LONG);
    expect(posted[1]).toMatchObject({ figure: { value: 120, unit: 'thousand_yuan' }, evidence: ['D1', 'D9'] });
    await waitFor(() => expect(within(screen.getByTestId('milestone-card')).getByTestId('milestone-state').textContent).toBe('进行中'), LONG);
    expect(within(screen.getByTestId('milestone-card')).getByTestId('milestone-submit')).toBeTruthy();
    expect(within(screen.getByTestId('milestone-card')).queryByTestId('milestone-verify')).toBeNull();
    expect(calls.some((c) => c.method === 'POST' && c.url.includes('/verify'))).toBe(false);
  }, 90000);
});

describe('verification (operator and startup)', () => {
  it('returns with a comment, lets the startup resubmit, then verifies', async () => {
    const { s, calls } = server(milestone({ state: 'submitted', percent: 80 }));
    s.me = incubatorOperator;
    renderApp('/carriers/C1/milestones');
    const queue = await screen.findByTestId('board-queue', {}, LONG);
    const card = await within(queue).findByTestId('milestone-card', {}, LONG);
    expect(within(card).getByTestId('milestone-company').textContent).toBe('济南明湖智能科技有限公司');
    // Staff see no startup buttons.
    expect(within(card).queryByTestId('milestone-report')).toBeNull();
    fireEvent.click(within(card).getByTestId('milestone-return'));
    // A return needs its comment.
    fireEvent.click(await screen.findByTestId('decision-ok', {}, LONG));
    expect(await screen.findByText('此项为必填项', {}, LONG)).toBeTruthy();
    fireEvent.change(screen.getByTestId('decision-comment'), { target: { value: '请补充到账凭证' } });
    fireEvent.click(screen.getByTestId('decision-ok'));
    await waitFor(() => expect(s.m.state).toBe('returned'), LONG);
    expect(s.history).toEqual([{ action: 'return', reason: '请补充到账凭证' }]);
    await screen.findByText('没有待核验的进展', {}, LONG);
    cleanup();

    // The startup sees it returned and submits again.
    s.me = founder;
    renderApp('/company/K1/milestones');
    const mine = await screen.findByTestId('milestone-card', {}, LONG);
    await waitFor(() => expect(within(mine).getByTestId('milestone-state').textContent).toBe('已退回'), LONG);
    expect(within(mine).queryByTestId('milestone-verify')).toBeNull();
    fireEvent.click(within(mine).getByTestId('milestone-submit'));
    await waitFor(() => expect(s.m.state).toBe('submitted'), LONG);
    await waitFor(() => expect(within(screen.getByTestId('milestone-card')).getByTestId('milestone-state').textContent).toBe('待核验'), LONG);
    cleanup();

    // The operator verifies it.
    s.me = incubatorOperator;
    renderApp('/carriers/C1/milestones?tab=queue');
    const again = await screen.findByTestId('milestone-card', {}, LONG);
    fireEvent.click(within(again).getByTestId('milestone-verify'));
    fireEvent.click(await screen.findByTestId('decision-ok', {}, LONG));
    await waitFor(() => expect(s.m.state).toBe('verified'), LONG);
    expect(s.history.map((h) => h.action)).toEqual(['return', 'submit', 'verify']);
    const writes = calls.filter((c) => c.method === 'POST').map((c) => c.url);
    expect(writes).toEqual(['/api/v1/milestones/M1/return', '/api/v1/milestones/M1/submit', '/api/v1/milestones/M1/verify']);
  }, 120000);
});

describe('overdue board and kanban', () => {
  it('lists past-due milestones with filters in the URL and shows every state as a column', async () => {
    const late = milestone({ id: 'M7', state: 'in_progress', overdue: true, due_on: '2026-01-10', title_zh: '组建核心团队', category: 'team' });
    const done = milestone({ id: 'M8', state: 'verified' });
    const calls = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: incubatorOperator }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
      'GET /api/v1/carriers/C1/milestones': (c) => page([late, done].filter((m) => query(c).overdue !== 'true' || m.overdue)),
    });
    renderApp('/carriers/C1/milestones?tab=overdue&category=team');
    const table = await screen.findByTestId('board-overdue-table', {}, LONG);
    await waitFor(() => expect(table.textContent).toContain('组建核心团队'), LONG);
    expect(table.textContent).toContain('2026-01-10');
    expect(within(table).getByTestId('milestone-overdue').textContent).toBe('已逾期');
    expect(within(table).getByTestId('board-row-company').getAttribute('href')).toBe('/residencies/RS1/milestones');
    const boards = () => calls.filter((c) => c.url.startsWith('/api/v1/carriers/C1/milestones'));
    expect(query(boards()[0])).toMatchObject({ overdue: 'true', category: 'team' });
    fireEvent.mouseDown(screen.getByTestId('board-overdue-state').querySelector('.ant-select-selector') as Element);
    fireEvent.click((await screen.findAllByTitle('进行中')).at(-1) as Element);
    await waitFor(() => expect(query(boards().at(-1)!)).toMatchObject({ overdue: 'true', category: 'team', state: 'in_progress' }), LONG);

    fireEvent.click(screen.getByTestId('board-tab-kanban'));
    const kanban = await screen.findByTestId('board-kanban', {}, LONG);
    await waitFor(() => expect(within(within(kanban).getByTestId('kanban-column-verified')).getAllByTestId('milestone-card')).toHaveLength(1), LONG);
    expect(within(within(kanban).getByTestId('kanban-column-in_progress')).getByTestId('milestone-card').textContent).toContain('组建核心团队');
    expect(query(boards().at(-1)!).overdue).toBeUndefined();
  }, 90000);
});

describe('plan editor', () => {
  it('applies the template, adds a milestone with its due-date error shown by the field, and shows the company timeline', async () => {
    let p = plan([]);
    const added: unknown[] = [];
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: incubatorOperator }),
      'GET /api/v1/residencies/RS1/milestone-plan': () => ({ status: 200, body: p }),
      'POST /api/v1/residencies/RS1/milestone-plan': () => {
        p = plan([milestone({ state: 'planned' })], { template_id: 'T1', template_version: 1 });
        return { status: 201, body: p };
      },
      'POST /api/v1/residencies/RS1/milestones': (c) => {
        added.push(c.body);
        if (added.length === 1) {
          return {
            status: 422,
            body: { status: 422, detail: '输入有误', errors: [{ field: 'due_on', code: 'before_move_in', message: '截止日期不能早于入驻日期 2026-03-01' }] },
          };
        }
        p = { ...p, milestones: [...p.milestones, milestone({ id: 'M2', title_zh: '组建团队', due_on: '2026-04-01' })] };
        return { status: 201, body: p.milestones[1] };
      },
      'GET /api/v1/companies/K1/milestone-timeline': () =>
        page([milestone({ id: 'M0', residency_id: 'RS0', carrier_name_zh: '历下创客空间', chain_order: 1, state: 'verified', plan_status: 'closed', outcome: 'promoted', title_zh: '完成 MVP' }), ...p.milestones]),
    });
    renderApp('/residencies/RS1/milestones');
    fireEvent.click(await screen.findByTestId('plan-apply-template', {}, LONG));
    const table = await screen.findByTestId('plan-table', {}, LONG);
    await waitFor(() => expect(table.textContent).toContain('取得首笔营业收入'), LONG);
    expect(screen.queryByTestId('plan-apply-template')).toBeNull();

    fireEvent.click(screen.getByTestId('plan-add'));
    fireEvent.change(await screen.findByTestId('milestone-form-title-zh', {}, LONG), { target: { value: '组建团队' } });
    fireEvent.change(screen.getByTestId('milestone-form-due-on'), { target: { value: '2026-02-01' } });
    fireEvent.click(screen.getByTestId('milestone-form-save'));
    const form = screen.getByTestId('milestone-form');
    // The refusal lands under the due date, in the service's words.
    await waitFor(() => expect(form.querySelector('#due_on_help')?.textContent).toBe('截止日期不能早于入驻日期 2026-03-01'), LONG);
    expect(added[0]).toMatchObject({ title_zh: '组建团队', due_on: '2026-02-01', category: 'other', evidence_types: ['milestone_evidence'], target: null });
    fireEvent.change(screen.getByTestId('milestone-form-due-on'), { target: { value: '2026-04-01' } });
    fireEvent.click(screen.getByTestId('milestone-form-save'));
    await waitFor(() => expect(screen.getByTestId('plan-table').textContent).toContain('组建团队'), LONG);

    const timeline = await screen.findByTestId('milestone-timeline', {}, LONG);
    await waitFor(() => expect(within(timeline).getAllByTestId('milestone-timeline-carrier')).toHaveLength(2), LONG);
    expect(within(timeline).getAllByTestId('milestone-timeline-carrier')[0].textContent).toContain('历下创客空间');
    expect(timeline.textContent).toContain('完成 MVP');
    expect(within(timeline).getAllByTestId('milestone-timeline-carrier')[0].textContent).toContain('计划已关闭（已晋级）');
  }, 90000);
});

describe('district counts', () => {
  it('shows counts per carrier, never rows', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: districtViewer }),
      'GET /api/v1/regions/R1/milestone-counts': () =>
        page([
          { carrier_id: 'C1', carrier_name_zh: '历下科技企业孵化器', carrier_name_en: 'Lixia Incubator', carrier_kind: 'incubator', total: 12, overdue: 3, planned: 4, in_progress: 3, submitted: 2, verified: 2, returned: 1, waived: 0 },
        ]),
    });
    renderApp('/regions/R1/milestones');
    const table = await screen.findByTestId('milestone-counts-table', {}, LONG);
    await waitFor(() => expect(table.textContent).toContain('历下科技企业孵化器'), LONG);
    expect(within(table).getByTestId('counts-overdue').textContent).toBe('3');
    expect(table.textContent).toContain('待核验');
    expect(await screen.findByTestId('menu-milestone-counts', {}, LONG)).toBeTruthy();
  }, 60000);
});
