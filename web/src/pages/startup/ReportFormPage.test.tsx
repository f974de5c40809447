import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MetricReport, ReportBody } from '../../api/reports';
import { translate } from '../../i18n';
import { fakeApi, renderApp, SLOW } from '../../test/fakeApi';
import { latestEndedQuarter, periodEnd, recentQuarters } from './lib';
import { warningText } from './ReportFormPage';
import { companyRoutes, page, problem } from './testdata';

function fill(testId: string, value: string) {
  const el = screen.getByTestId(testId);
  const input = el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' ? el : (el.querySelector('input, textarea') as HTMLElement);
  fireEvent.change(input, { target: { value } });
}

const t = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('zh-CN', k, p);

const base: MetricReport = {
  id: 'M1',
  company_id: 'K1',
  period: '2026-Q3',
  cadence: 'quarterly',
  period_end: '2026-09-30',
  due_on: '2026-10-15',
  status: 'draft',
  revision: 1,
  created_at: '2026-11-27T00:00:00Z',
  updated_at: '2026-11-27T00:00:00Z',
};

const rdWarning = { field: 'rd_expenditure', code: 'rd_exceeds_revenue', params: { revenue: 100000 } };

describe('warning texts', () => {
  it('names each plausibility warning with its figures', () => {
    expect(warningText(rdWarning, t)).toBe('研究开发费用高于总收入（100,000 元）');
    expect(warningText({ field: 'revenue', code: 'jump_up', params: { previous: 1000, percent: 250 } }, t)).toContain('增长 250%');
    expect(warningText({ field: 'revenue', code: 'brand_new' }, t)).toBe('该指标的数据需要核实并说明');
  });
});

describe('metric reports', () => {
  it('defaults to the first quarter in residence not yet submitted, and flags late and overdue reports', async () => {
    const [latest, previous] = recentQuarters(2);
    const firstDay = (q: string) => `${q.slice(0, 4)}-${String((Number(q.slice(6)) - 1) * 3 + 1).padStart(2, '0')}-01`;
    const chain = [{ id: 'RS1', company_id: 'K1', carrier_id: 'C0', carrier_name: '历下创客空间', carrier_kind: 'maker_space', status: 'in_residence', admitted_on: firstDay(previous), moved_in_on: firstDay(previous) }];
    const dueOf = (q: string) => periodEnd(q)!;
    let reports: MetricReport[] = [];
    fakeApi({
      ...companyRoutes(),
      'GET /api/v1/companies/K1/chain': () => page(chain),
      'GET /api/v1/companies/K1/reports': () => page(reports),
    });
    const { unmount } = renderApp('/company/K1/reports');
    await screen.findByTestId('reports-table', {}, SLOW);
    // Nothing submitted: the quarter the company moved in, not the latest one.
    await waitFor(() => expect(screen.getByTestId('report-period').textContent).toContain(previous), SLOW);
    unmount();

    reports = [
      // Submitted two days after its due date (China time).
      { ...base, id: 'M1', period: previous, status: 'submitted', due_on: dueOf(previous), submitted_at: `${dueOf(previous)}T18:00:00Z`, first_submitted_at: `${dueOf(previous)}T18:00:00Z` },
      // Never submitted and past its due date.
      { ...base, id: 'M2', period: latest, status: 'draft', due_on: dueOf(latest) },
    ];
    renderApp('/company/K1/reports');
    const table = await screen.findByTestId('reports-table', {}, SLOW);
    await waitFor(() => expect(within(table).getAllByTestId('report-row-open')).toHaveLength(2), SLOW);
    expect(within(table).getByTestId('report-row-late').textContent).toBe('逾期提交');
    expect(within(table).getByTestId('report-row-overdue').textContent).toMatch(/^已逾期 \d+ 天$/);
    // The first quarter is submitted: the next one not submitted is offered.
    expect(screen.getByTestId('report-period').textContent).toContain(latest);
  }, 60000);

  it('lists reports and opens the latest ended quarter by default', async () => {
    fakeApi({
      ...companyRoutes(),
      'GET /api/v1/companies/K1/reports': () =>
        page([{ ...base, status: 'returned', revision: 2, review_comment: '研发费用口径有误', submitted_at: '2026-10-10T00:00:00Z' }]),
      [`GET /api/v1/companies/K1/reports/${latestEndedQuarter()}`]: () => ({ status: 404, body: { status: 404, detail: '报表不存在' } }),
    });
    renderApp('/company/K1/reports');
    const table = await screen.findByTestId('reports-table', {}, SLOW);
    await waitFor(() => expect(within(table).getByTestId('report-row-open').textContent).toBe('2026-Q3'), SLOW);
    expect(within(table).getByTestId('report-row-status').textContent).toBe('已退回');
    expect(table.textContent).toContain('研发费用口径有误');
    expect(screen.getByTestId('report-period').textContent).toContain(latestEndedQuarter());

    fireEvent.click(screen.getByTestId('report-open'));
    await screen.findByTestId('report-form', {}, SLOW);
    expect(screen.getByTestId('report-title').textContent).toContain(latestEndedQuarter());
    expect(screen.getByTestId('report-status').textContent).toBe('未填报');
    // Every money indicator starts in 千元.
    expect(screen.getByTestId('metric-revenue-unit').textContent).toContain('千元');
    expect(screen.getByTestId('metric-financing_amount-unit').textContent).toContain('千元');
  }, 60000);

  it('files a draft, asks for explanations of warnings, maps errors inline and submits a revision', async () => {
    let report: MetricReport | undefined;
    let submits = 0;
    const calls = fakeApi({
      ...companyRoutes(),
      'GET /api/v1/companies/K1/reports/2026-Q3': () =>
        report ? { status: 200, body: report } : { status: 404, body: { status: 404, detail: '报表不存在' } },
      'POST /api/v1/companies/K1/reports': (c) => {
        const b = c.body as ReportBody & { period: string };
        const latest = { revision: 1, metrics: {}, explanations: {}, warnings: [rdWarning], submitted: b.submit, created_by: 'UF', created_at: '2026-11-27T00:00:00Z' };
        report = { ...base, latest, revisions: [latest] };
        return { status: 201, body: { ...report, warnings: [rdWarning] } };
      },
      'POST /api/v1/companies/K1/reports/2026-Q3/revisions': (c) => {
        const b = c.body as ReportBody;
        submits++;
        if (!b.explanations.rd_expenditure) {
          return problem('统计报表有误，请按提示修改', [
            { field: 'metrics.exports.unit', code: 'required', message: '请选择金额单位' },
            { field: 'metrics.employees_phd', code: 'exceeds', message: '不能大于 employees_total（5）', params: { other: 'employees_total', limit: 5 } },
            {
              field: 'explanations.rd_expenditure',
              code: 'explanation_required',
              message: '该指标有异常提示（rd_exceeds_revenue），提交前请填写说明',
              params: { warning: 'rd_exceeds_revenue' },
            },
          ]);
        }
        const latest = { revision: 2, metrics: {}, explanations: b.explanations, warnings: [rdWarning], submitted: true, created_by: 'UF', created_at: '2026-11-27T01:00:00Z' };
        report = { ...base, status: 'submitted', revision: 2, latest, revisions: [...(report?.revisions ?? []), latest] };
        return { status: 201, body: { ...report, warnings: [rdWarning] } };
      },
    });

    renderApp('/company/K1/reports/2026-q3');
    await screen.findByTestId('report-form', {}, SLOW);
    expect(screen.getByTestId('report-title').textContent).toContain('2026-Q3');
    fill('metric-revenue', '100');
    fill('metric-rd_expenditure', '200');
    fill('metric-employees_total', '5');
    // One indicator in 元: the unit selector beside the amount.
    fireEvent.mouseDown(screen.getByTestId('metric-exports-unit').querySelector('.ant-select-selector') as Element);
    fireEvent.click(await screen.findByTitle('元'));
    fill('metric-exports', '3000');
    expect(screen.queryByTestId('explanation-rd_expenditure')).toBeNull();
    fireEvent.click(screen.getByTestId('report-save-draft'));

    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true), SLOW);
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      period: '2026-Q3',
      metrics: {
        revenue: { value: 100, unit: 'thousand_yuan' },
        rd_expenditure: { value: 200, unit: 'thousand_yuan' },
        exports: { value: 3000, unit: 'yuan' },
        employees_total: 5,
      },
      explanations: {},
      submit: false,
    });

    // The save's warning shows under its indicator, with an explanation box.
    const warning = await screen.findByTestId('warning-rd_expenditure', {}, SLOW);
    expect(warning.textContent).toContain('研究开发费用高于总收入（100,000 元）');
    expect(screen.getByTestId('report-warnings').textContent).toContain('研究开发费用');
    expect(screen.getByTestId('explanation-rd_expenditure')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('report-status').textContent).toBe('草稿'), SLOW);

    // Submitting without the explanation: errors land on the indicators and the explanation.
    fill('metric-employees_phd', '9');
    fireEvent.click(screen.getByTestId('report-submit'));
    // The explanation's error says what to do, never the warning's code.
    await waitFor(() => expect(within(screen.getByTestId('explanation-rd_expenditure').closest('.ant-form-item') as HTMLElement).getByText('提交前须填写说明', { selector: '.ant-form-item-explain-error' })).toBeTruthy(), SLOW);
    expect(document.body.textContent).not.toContain('rd_exceeds_revenue');
    // antd renders each item's error list a moment after the field turns red; on a loaded machine that shows.
    await waitFor(() => expect(within(screen.getByTestId('metric-item-exports')).getByText('请选择金额单位')).toBeTruthy(), SLOW);
    await waitFor(() => expect(within(screen.getByTestId('metric-item-employees_phd')).getByText('不能大于「从业人员」（5）')).toBeTruthy(), SLOW);
    expect(screen.getByTestId('report-error').textContent).toContain('统计报表有误');
    const firstSubmit = calls.filter((c) => c.url.endsWith('/revisions'))[0];
    expect((firstSubmit.body as ReportBody).submit).toBe(true);

    fill('explanation-rd_expenditure', '本季度集中采购研发设备');
    fill('metric-employees_phd', '1');
    fireEvent.click(screen.getByTestId('report-submit'));
    await waitFor(() => expect(screen.getByTestId('report-status').textContent).toBe('已提交'), SLOW);
    const last = calls.filter((c) => c.url.endsWith('/revisions')).at(-1)?.body as ReportBody;
    expect(last.explanations).toEqual({ rd_expenditure: '本季度集中采购研发设备' });
    expect(last.metrics.employees_phd).toBe(1);
    expect(submits).toBe(2);
    await waitFor(() => expect(within(screen.getByTestId('report-revisions')).getAllByRole('row')).toHaveLength(3), SLOW);
  }, 90000);

  it('shows a returned report\'s comment and refills what was entered', async () => {
    const latest = {
      revision: 2,
      metrics: { revenue: { value: 1500000, unit: 'yuan' as const, entered: 1500000, entered_unit: 'yuan' as const }, employees_total: { value: 8, entered: 8 } },
      explanations: {},
      warnings: [],
      submitted: true,
      created_by: 'UF',
      created_at: '2026-10-10T00:00:00Z',
    };
    fakeApi({
      ...companyRoutes(),
      'GET /api/v1/companies/K1/reports/2026-Q3': () => ({
        status: 200,
        body: { ...base, status: 'returned', revision: 2, review_comment: '总收入请以千元填报核对', latest, revisions: [latest] },
      }),
    });
    renderApp('/company/K1/reports/2026-Q3');
    expect((await screen.findByTestId('report-returned', {}, SLOW)).textContent).toContain('总收入请以千元填报核对');
    await waitFor(() => expect((screen.getByTestId('metric-revenue') as HTMLInputElement).value).toBe('1500000'), SLOW);
    expect(screen.getByTestId('metric-revenue-unit').textContent).toContain('元');
    expect(screen.getByTestId('metric-revenue-unit').textContent).not.toContain('千元');
    expect((screen.getByTestId('metric-employees_total') as HTMLInputElement).value).toBe('8');
  }, 60000);
});
