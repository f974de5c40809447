import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/auth';
import { clearRollupCache } from '../../api/rollups';
import { menuFor } from '../../auth/roles';
import { setLanguage } from '../../i18n';
import { fakeApi, minghu, parkAdmin, renderApp, SLOW, type Call, type Handler } from '../../test/fakeApi';
import { carrierRows, carriersFigure, conflict, flowsFor, founder, funnel, graduated, health, ladder, milestones, officer, overdueMilestone, previousFlows, reportsFigure } from './fixtures';

// ECharts needs a canvas, which jsdom lacks; the chart options are checked in charts.test.ts.
vi.mock('../../components/rollups/Chart', () => ({ default: ({ testId }: { testId: string }) => <div data-testid={testId} /> }));

afterEach(() => {
  clearRollupCache();
  setLanguage('zh-CN');
});

// The first render loads the lazy page and antd under jsdom: a hang guard, not a speed check.
const LOAD = { timeout: 30000 };

const params = (c: Call) => Object.fromEntries(new URL(c.url, 'http://x').searchParams);
const ok = (body: unknown) => ({ status: 200, body, headers: { ETag: `"${JSON.stringify(body).length}"` } });
const page = (items: unknown[]) => ok({ items, total: items.length, page: 1, page_size: 20 });

/**
 * api answers the overview's calls: the figure of the chosen period, the
 * previous period's (as_of a year back, or the quarter before) and, with a
 * carrier_id, that carrier's (seven in residence).
 */
function api(me: Me) {
  const R = '/api/v1/regions/R1/rollups';
  const flows: Handler = (c) => {
    const q = params(c);
    if (q.as_of || q.period === '2026-Q2') return ok(previousFlows);
    if (q.period && q.period !== '2026-Q3') return ok(flowsFor(0));
    if (q.carrier_id) return ok({ ...flowsFor(1), companies: { ...flowsFor(1).companies, in_residence: 7 } });
    return ok(flowsFor(1));
  };
  return fakeApi({
    'GET /api/v1/auth/me': () => ({ status: 200, body: me }),
    'GET /api/v1/regions/R1': () => ({ status: 200, body: { id: 'R1', code: 'lixia', name_zh: '历下区', name_en: 'Lixia District' } }),
    'GET /api/v1/regions/R1/carriers': () => ({ status: 200, body: { items: [minghu], total: 1, page: 1, page_size: 200 } }),
    'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
    [`GET ${R}/carriers`]: (c) => ok(carriersFigure(params(c).carrier_id ? 1 : 6)),
    [`GET ${R}/residencies`]: flows,
    [`GET ${R}/reports`]: (c) => ok(reportsFigure(params(c).as_of ? 10000 : 12345.6)),
    [`GET ${R}/funnel`]: () => ok(funnel),
    [`GET ${R}/ladder`]: () => ok(ladder),
    [`GET ${R}/health`]: () => ok(health),
    [`GET ${R}/milestones`]: () => ok(milestones),
    [`GET ${R}/milestones/rows`]: () => page([overdueMilestone]),
    [`GET ${R}/carriers/rows`]: (c) => page(params(c).carrier_id ? carrierRows.slice(0, 1) : carrierRows),
    [`GET ${R}/residencies/rows`]: (c) => page(params(c).q === 'nothing' ? [] : [graduated]),
    [`GET ${R}/conflicts`]: () => page([conflict]),
  });
}

const callsTo = (calls: Call[], path: string) => calls.filter((c) => c.url.split('?')[0] === `/api/v1/regions/R1/rollups/${path}`).map(params);

describe('district overview', () => {
  it('shows the figures with their change, and a number opens its rows', async () => {
    const calls = api(officer);
    renderApp('/regions/R1/overview');
    const residents = await screen.findByTestId('kpi-in_residence-value', {}, LOAD);
    expect(await screen.findByTestId('rollup-title', {}, SLOW)).toHaveProperty('textContent', '历下区 · 统计概览');
    expect(residents.textContent).toBe('41');
    // Year to date against the same days of the year before (as_of).
    expect(screen.getByTestId('kpi-in_residence-delta').textContent).toContain('+5 (+13.9%)');
    expect(screen.getByTestId('kpi-graduated-delta').textContent).toContain('−2 (-40.0%)');
    expect(screen.getByTestId('kpi-admitted-delta').textContent).toMatch(/^与上期（\d{4}-\d{2}-\d{2}）持平$/);
    expect(screen.getByTestId('kpi-carriers-value').textContent).toBe('6');
    expect(screen.getByTestId('kpi-rd_expenditure-value').textContent).toBe('12,345.6');
    expect(callsTo(calls, 'residencies').some((q) => /^\d{4}-\d{2}-\d{2}$/.test(q.as_of ?? ''))).toBe(true);

    // The funnel, the ladder, the reports, the carriers with their health, the conflicts.
    await waitFor(() => expect(screen.getByTestId('funnel-incubator').textContent).toBe('12'), SLOW);
    expect(screen.getByTestId('funnel-table').textContent).toContain('孵化器');
    expect(screen.getByTestId('ladder-high_tech-expiring').textContent).toBe('1');
    expect(screen.getByTestId('ladder-table').textContent).toContain('科技型中小企业');
    expect(screen.getByTestId('ladder-table').textContent).toContain('科技创新领军企业');
    await waitFor(() => expect(screen.getByTestId('sum-employees_total').textContent).toBe('812'), SLOW);
    expect(screen.getByTestId('top-spenders').textContent).toContain('3,210.5');
    await waitFor(() => expect(screen.getByTestId('cmp-C2-overdue').textContent).toBe('10'), SLOW);
    expect(screen.getByTestId('carrier-table').textContent).toContain('众创空间');
    await waitFor(() => expect(screen.getByTestId('conflicts-table').textContent).toContain('历下创客空间'), SLOW);
    // Eight quarters of trends, one `period` each.
    await waitFor(() => expect(callsTo(calls, 'residencies').filter((q) => /^\d{4}-Q\d$/.test(q.period ?? '')).length).toBeGreaterThanOrEqual(8), SLOW);

    // No raw keys anywhere.
    const text = screen.getByTestId('rollup-overview').textContent ?? '';
    for (const raw of ['maker_space', 'science_park', 'tech_sme', 'high_tech', 'in_residence', 'rd_expenditure', 'graduated', 'active']) {
      expect(text).not.toContain(raw);
    }

    fireEvent.click(screen.getByTestId('kpi-graduated-value'));
    const drawer = await screen.findByTestId('rows-drawer', {}, SLOW);
    await waitFor(() => expect(within(drawer).getByTestId('rows-table').textContent).toContain('济南明湖智能科技有限公司'), SLOW);
    expect(screen.getByTestId('rows-title').textContent).toContain('毕业');
    expect(within(drawer).getByTestId('rows-table').textContent).toContain('已毕业');
    expect(within(drawer).getByTestId('rows-table').textContent).toContain('I6511 · 软件和信息技术服务业');
    expect(callsTo(calls, 'residencies/rows').at(-1)).toMatchObject({ measure: 'graduated', page: '1', page_size: '20' });

    const box = within(drawer).getByTestId('rows-search');
    const search = box.querySelector('input') ?? box;
    fireEvent.change(search, { target: { value: '明湖' } });
    fireEvent.keyDown(search, { key: 'Enter', code: 'Enter', keyCode: 13 });
    await waitFor(() => expect(callsTo(calls, 'residencies/rows').at(-1)).toMatchObject({ measure: 'graduated', q: '明湖' }), SLOW);
  });

  it('opens a carrier row for that carrier', async () => {
    const calls = api(officer);
    renderApp('/regions/R1/overview');
    fireEvent.click(await screen.findByTestId('cmp-C2-residents', {}, LOAD));
    await screen.findByTestId('rows-drawer', {}, SLOW);
    await waitFor(() => expect(callsTo(calls, 'residencies/rows').at(-1)).toMatchObject({ measure: 'in_residence', carrier_id: 'C2' }), SLOW);
  });

  it('shows the milestones per carrier; a number opens that carrier\'s milestones of its measure', async () => {
    const calls = api(officer);
    renderApp('/regions/R1/overview');
    await waitFor(() => expect(screen.getByTestId('milestones-C2-overdue').textContent).toBe('4'), { timeout: 30000 });
    expect(screen.getByTestId('milestones-total-planned').textContent).toBe('23');
    expect(screen.getByTestId('milestones-card').textContent).toContain('已豁免');
    fireEvent.click(screen.getByTestId('milestones-C2-overdue'));
    const drawer = await screen.findByTestId('rows-drawer', {}, SLOW);
    await waitFor(() => expect(within(drawer).getByTestId('rows-table').textContent).toContain('完成产品原型'), SLOW);
    expect(within(drawer).getByTestId('rows-table').textContent).toContain('进行中');
    expect(within(drawer).getByTestId('rows-table').textContent).toContain('产品');
    expect(within(drawer).getByTestId('rows-table').textContent).not.toContain('in_progress');
    expect(callsTo(calls, 'milestones/rows').at(-1)).toMatchObject({ measure: 'overdue', carrier_id: 'C2', page: '1' });
  });

  it('sends the filters of the URL, compares with the quarter before, and switches the period', async () => {
    const calls = api(officer);
    renderApp('/regions/R1/overview?period=2026-Q3&carrier_kind=incubator&industry=I');
    await screen.findByTestId('kpi-in_residence-value', {}, LOAD);
    const flows = callsTo(calls, 'residencies');
    expect(flows).toContainEqual({ period: '2026-Q3', carrier_kind: 'incubator', industry: 'I' });
    expect(flows).toContainEqual({ period: '2026-Q2', carrier_kind: 'incubator', industry: 'I' });
    // The trend ends with the chosen quarter.
    await waitFor(() => expect(callsTo(calls, 'residencies')).toContainEqual({ period: '2024-Q4', carrier_kind: 'incubator', industry: 'I' }), SLOW);
    expect(screen.getByTestId('kpi-in_residence-delta').textContent).toContain('2026-Q2');

    fireEvent.click(screen.getByTestId('period-year'));
    const year = String(new Date().getFullYear());
    await waitFor(() => expect(callsTo(calls, 'residencies')).toContainEqual({ period: year, carrier_kind: 'incubator', industry: 'I' }), SLOW);
    expect(callsTo(calls, 'residencies')).toContainEqual({ period: String(Number(year) - 1), carrier_kind: 'incubator', industry: 'I' });

    // A trend's quarter opens with its own period instead of the page's.
    fireEvent.click(await screen.findByTestId('trend-admitted-2026-Q3', {}, SLOW));
    await waitFor(() => expect(callsTo(calls, 'residencies/rows').at(-1)).toEqual({ period: '2026-Q3', carrier_kind: 'incubator', industry: 'I', measure: 'admitted', page: '1', page_size: '20' }), SLOW);
  });

  it('switches language without raw keys', async () => {
    api(officer);
    renderApp('/regions/R1/overview');
    await screen.findByTestId('kpi-in_residence-value', {}, LOAD);
    fireEvent.click(screen.getByTestId('lang-switch'));
    await waitFor(() => expect(screen.getByTestId('kpi-in_residence').textContent).toContain('In residence'), SLOW);
    await waitFor(() => expect(screen.getByTestId('ladder-table').textContent).toContain('High-tech enterprise'), SLOW);
    expect(screen.getByTestId('rollup-title').textContent).toBe('Lixia District · figures overview');
    expect(screen.getByTestId('funnel-table').textContent).toContain('Accelerator');
    expect(screen.getByTestId('kpi-rd_expenditure').textContent).toContain('R&D spend');
    expect(screen.getByTestId('rollup-overview').textContent).not.toContain('tech_sme');
  });
});

describe('park overview', () => {
  it('scopes every figure to the carrier and shows the region totals beside', async () => {
    const calls = api(parkAdmin);
    renderApp('/carriers/C1/overview');
    const residents = await screen.findByTestId('kpi-in_residence-value', {}, LOAD);
    await waitFor(() => expect(residents.textContent).toBe('7'), SLOW);
    await waitFor(() => expect(screen.getByTestId('kpi-in_residence-region').textContent).toBe('全区：41'), SLOW);
    expect(screen.getByTestId('rollup-title').textContent).toBe('明湖国际信创产业园 · 统计概览');
    for (const path of ['residencies', 'funnel', 'ladder', 'reports', 'health', 'milestones', 'carriers/rows', 'conflicts']) {
      expect(callsTo(calls, path).length).toBeGreaterThan(0);
    }
    // The rows are the carrier's only; the region's totals are asked without it.
    expect(callsTo(calls, 'carriers/rows').every((q) => q.carrier_id === 'C1')).toBe(true);
    expect(callsTo(calls, 'conflicts').every((q) => q.carrier_id === 'C1')).toBe(true);
    expect(callsTo(calls, 'milestones').every((q) => q.carrier_id === 'C1')).toBe(true);
    expect(callsTo(calls, 'residencies').some((q) => !q.carrier_id)).toBe(true);
    // No carrier to choose: it is fixed.
    expect(screen.queryByTestId('filter-carrier')).toBeNull();
    expect(await screen.findByTestId('menu-rollups-park', {}, SLOW)).toBeTruthy();
    expect(screen.queryByTestId('menu-rollups')).toBeNull();
  });
});

describe('menu', () => {
  it('offers the district overview to district roles, the carrier overview to park staff, nothing to startups', () => {
    const keys = (me: Me, r?: string) => menuFor(me.assignments, r).filter((m) => m.key.startsWith('rollups')).map((m) => [m.key, m.path]);
    expect(keys(officer)).toEqual([['rollups', '/regions/R1/overview']]);
    expect(keys(parkAdmin)).toEqual([['rollups-park', '/carriers/C1/overview']]);
    expect(keys(founder)).toEqual([]);
    expect(keys({ ...founder, assignments: [] })).toEqual([]);
  });
});
