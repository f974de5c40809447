import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CarrierReportRow, MetricReport } from '../../api/reports';
import { fakeApi, minghu, parkAdmin, renderApp, SLOW, type Call } from '../../test/fakeApi';

const query = (c: Call) => Object.fromEntries(new URL(c.url, 'http://x').searchParams);

const rows: CarrierReportRow[] = [
  {
    company_id: 'K1', company_key: '91370102MA3C5T2R03', name_zh: '济南明湖智能科技有限公司', name_en: '', period: '2026-Q3',
    status: 'submitted', revision: 1, submitted_at: '2026-10-10T00:00:00Z', due_on: '2026-10-15', due_in_days: 5, overdue: false, reminder_due: false,
  },
  {
    company_id: 'K2', company_key: 'T-K2', name_zh: '泉城量子团队', name_en: '', period: '2026-Q3',
    status: 'missing', revision: 0, due_on: '2026-10-15', due_in_days: -43, overdue: true, reminder_due: true,
  },
];

const report: MetricReport = {
  id: 'MR1', company_id: 'K1', period: '2026-Q3', cadence: 'quarterly', period_end: '2026-09-30', due_on: '2026-10-15',
  status: 'submitted', revision: 1, created_at: '2026-10-10T00:00:00Z', updated_at: '2026-10-10T00:00:00Z',
  latest: {
    revision: 1,
    metrics: {
      revenue: { value: 1200000, unit: 'yuan', entered: 1200, entered_unit: 'thousand_yuan' },
      employees_total: { value: 35, entered: 35 },
    },
    explanations: { revenue: '新签大客户' },
    warnings: [],
    submitted: true,
    created_by: 'UF',
    created_at: '2026-10-10T00:00:00Z',
  },
};

describe('report overview', () => {
  it('shows counts, overdue and reminder flags, filters, and returns a report with a comment', async () => {
    let current = rows;
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
      'GET /api/v1/carriers/C1/reports': () => ({
        status: 200,
        body: { items: current, total: current.length, page: 1, page_size: 20, period: '2026-Q3', due_on: '2026-10-15', counts: { submitted: 1, missing: 1 } },
      }),
      'GET /api/v1/companies/K1/reports/2026-Q3': () => ({ status: 200, body: report }),
      'POST /api/v1/companies/K1/reports/2026-Q3/review': (c) => {
        const { decision, comment } = c.body as { decision: string; comment: string };
        current = current.map((r) => (r.company_id === 'K1' ? { ...r, status: decision === 'accept' ? 'accepted' : 'returned' } : r));
        return { status: 200, body: { ...report, status: 'returned', review_comment: comment } };
      },
    });
    renderApp('/carriers/C1/reports');
    const table = await screen.findByTestId('reports-table', {}, SLOW);
    await waitFor(() => expect(table.textContent).toContain('泉城量子团队'), SLOW);
    expect(screen.getByTestId('reports-summary').textContent).toContain('已提交 1');
    expect(screen.getByTestId('reports-summary').textContent).toContain('未填报 1');
    expect(within(table).getByTestId('report-overdue').textContent).toBe('逾期 43 天');
    expect(within(table).getByTestId('report-reminder')).toBeTruthy();
    expect(screen.getByTestId('menu-op-reports').textContent).toBe('数据报送');

    fireEvent.click(screen.getByTestId('reports-overdue-filter'));
    await waitFor(() => expect(query(log.filter((c) => c.url.startsWith('/api/v1/carriers/C1/reports')).at(-1)!)).toMatchObject({ overdue: 'true' }), SLOW);

    fireEvent.click(within(table).getByTestId('report-review'));
    const figures = await screen.findByTestId('report-figures', {}, SLOW);
    expect(figures.textContent).toContain('总收入');
    expect(figures.textContent).toContain('1,200 千元');
    expect(figures.textContent).toContain('新签大客户');
    expect(figures.textContent).toContain('35');

    // Returning needs a comment: asked for before anything is sent.
    fireEvent.click(screen.getByTestId('report-return'));
    expect(await screen.findByText('此项为必填项', {}, SLOW)).toBeTruthy();
    expect(log.some((c) => c.method === 'POST')).toBe(false);

    fireEvent.change(screen.getByTestId('report-comment'), { target: { value: '请补充研发费用' } });
    fireEvent.click(screen.getByTestId('report-return'));
    await waitFor(() => expect(screen.queryByTestId('report-figures')).toBeNull(), SLOW);
    expect(log.filter((c) => c.method === 'POST')[0].body).toEqual({ decision: 'return', comment: '请补充研发费用' });
    await waitFor(() => expect(within(table).getAllByTestId('report-status')[0].textContent).toBe('已退回'), SLOW);
  }, 60000);

  it('accepts a report, showing a server error on the comment', async () => {
    let tries = 0;
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
      'GET /api/v1/carriers/C1/reports': () => ({
        status: 200,
        body: { items: [rows[0]], total: 1, page: 1, page_size: 20, period: '2026-Q3', due_on: '2026-10-15', counts: { submitted: 1 } },
      }),
      'GET /api/v1/companies/K1/reports/2026-Q3': () => ({ status: 200, body: report }),
      'POST /api/v1/companies/K1/reports/2026-Q3/review': () => {
        tries++;
        if (tries === 1) {
          return { status: 422, body: { status: 422, detail: '输入有误', errors: [{ field: 'comment', code: 'too_long', message: '意见过长' }] } };
        }
        return { status: 200, body: { ...report, status: 'accepted' } };
      },
    });
    renderApp('/carriers/C1/reports');
    const table = await screen.findByTestId('reports-table', {}, SLOW);
    await waitFor(() => expect(table.textContent).toContain('济南明湖'), SLOW);
    fireEvent.click(within(table).getByTestId('report-review'));
    await screen.findByTestId('report-figures', {}, SLOW);
    fireEvent.click(screen.getByTestId('report-accept'));
    expect(await screen.findByText('意见过长', {}, SLOW)).toBeTruthy();
    // The error can show a moment before the button leaves its loading state,
    // when a click would be ignored.
    await waitFor(() => expect(screen.getByTestId('report-accept').className).not.toContain('ant-btn-loading'), SLOW);
    fireEvent.click(screen.getByTestId('report-accept'));
    await waitFor(() => expect(screen.queryByTestId('report-figures')).toBeNull(), SLOW);
  }, 60000);
});
