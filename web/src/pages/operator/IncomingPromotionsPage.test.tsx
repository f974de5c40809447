import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Promotion, Residency } from '../../api/residencies';
import { fakeApi, minghu, parkAdmin, renderApp, SLOW, type Call } from '../../test/fakeApi';

const page = <T,>(items: T[]) => ({ status: 200, body: { items, total: items.length, page: 1, page_size: 20 } });
const query = (c: Call) => Object.fromEntries(new URL(c.url, 'http://x').searchParams);

// A promotion from a maker space (C0) to the park admin's carrier (C1), consented.
const consented: Promotion = {
  id: 'P1', residency_id: 'RS1', company_id: 'K1', company_name: '济南明湖智能科技有限公司',
  from_carrier_id: 'C0', from_carrier_name: '历下创客空间', from_carrier_name_en: 'Lixia Maker Space', from_kind: 'maker_space', from_chain_order: 1,
  to_carrier_id: 'C1', to_carrier_name: '明湖国际信创产业园', to_carrier_name_en: '', to_kind: 'science_park', to_chain_order: 4,
  status: 'consented', note: '营收增长快', shared: ['profile', 'latest_metrics', 'milestones', 'documents'], created_at: '2026-11-20T00:00:00Z', updated_at: '2026-11-21T00:00:00Z',
};
const packet = {
  snapshot_at: '2026-11-21T00:00:00Z',
  profile: { company_id: 'K1', name_zh: '济南明湖智能科技有限公司', uscc: '91370102MA3C5T2R03', industry_code: 'I6511', founded_on: '2024-03-01' },
  latest_metrics: { period: '2026Q3', money_unit: 'yuan', metrics: { rd_expenditure: { value: 700000, unit: 'yuan', entered: 700, entered_unit: 'thousand_yuan' } } },
  milestones: [{ milestone_id: 'M1', title_zh: '取得首笔营业收入', verified_on: '2026-10-01', carrier: { name_zh: '历下创客空间' } }],
  documents: [{ document_id: 'D1', type: 'business_licence', filename: '明湖营业执照.pdf', verified_at: '2026-10-02T02:00:00Z' }],
  chain: [{ carrier_name: '历下创客空间', carrier_kind: 'maker_space', chain_order: 1, status: 'in_residence', admitted_on: '2025-09-01' }],
};
const newResidency: Residency = {
  id: 'RS2', company_id: 'K1', company_name: '济南明湖智能科技有限公司', company_key: '91370102MA3C5T2R03', industry_code: 'I6511',
  carrier_id: 'C1', carrier_name: '明湖国际信创产业园', carrier_name_en: '', carrier_kind: 'science_park', chain_order: 4, region_id: 'R1',
  status: 'admitted', promoted_from_id: 'RS1', admitted_on: '2026-11-22', overstaying: false, updated_at: '2026-11-22T00:00:00Z',
};

describe('incoming promotions', () => {
  it('shows the badge, lists the inbox with names, opens the packet, accepts and lands on the new residency with its packet', async () => {
    let p: Promotion = consented;
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
      'GET /api/v1/carriers/C1/incoming-promotions/count': () => ({ status: 200, body: { status: 'consented', count: p.status === 'consented' ? 1 : 0 } }),
      'GET /api/v1/carriers/C1/incoming-promotions': (c) => page(query(c).status === 'accepted' ? [] : p.status === 'consented' ? [p] : []),
      'GET /api/v1/residencies/RS1/promotion': () => ({ status: 200, body: { ...p, packet } }),
      'GET /api/v1/companies/K1/ladder': () => page([{ id: 'L1', step: 'startup', step_rank: 2, date: '2026-05-01', certificate_no: '', status: 'verified', expired: false, evidence_document_id: '', recorded_at: '', recorded_by: '' }]),
      'POST /api/v1/residencies/RS1/promotion/accept': () => {
        p = { ...p, status: 'accepted', new_residency_id: 'RS2' };
        return { status: 200, body: p };
      },
      'GET /api/v1/residencies/RS2': () => ({ status: 200, body: newResidency }),
      'GET /api/v1/residencies/RS2/promotion': () => ({ status: 404, body: { status: 404 } }),
      'GET /api/v1/companies/K1/chain': () => page([newResidency]),
    });
    renderApp('/carriers/C1/incoming-promotions');
    const badge = await screen.findByTestId('menu-op-incoming-badge', {}, SLOW);
    expect(badge.textContent).toBe('1');
    const item = await screen.findByTestId('incoming-item', {}, SLOW);
    expect(within(item).getByTestId('incoming-company').textContent).toBe('济南明湖智能科技有限公司');
    expect(within(item).getByTestId('incoming-from').textContent).toContain('历下创客空间');
    expect(item.textContent).toContain('最新统计数据');
    expect(item.textContent).not.toMatch(/latest_metrics|C0/);
    // The inbox asks for consented promotions first.
    expect(log.some((c) => c.url.startsWith('/api/v1/carriers/C1/incoming-promotions?') && query(c).status === 'consented')).toBe(true);

    fireEvent.click(within(item).getByTestId('incoming-packet-toggle'));
    const pk = await within(item).findByTestId('promotion-packet', {}, SLOW);
    await waitFor(() => expect(within(pk).getByTestId('packet-profile').textContent).toContain('91370102MA3C5T2R03'), SLOW);
    expect(within(pk).getByTestId('packet-metrics').textContent).toContain('2026Q3');
    expect(within(pk).getByTestId('packet-milestones').textContent).toContain('取得首笔营业收入');
    await waitFor(() => expect(within(pk).getByTestId('packet-ladder').textContent).toContain('创业企业'), SLOW);
    // The verified documents: the kind in words, the file name and when verified.
    const doc = within(pk).getByTestId('packet-document').textContent ?? '';
    expect(doc).toContain('营业执照');
    expect(doc).toContain('明湖营业执照.pdf');
    expect(doc).toMatch(/核验于 2026/);
    expect(doc).not.toMatch(/business_licence/);

    fireEvent.click(within(item).getByTestId('incoming-accept'));
    fireEvent.click(await screen.findByTestId('incoming-accept-confirm', {}, SLOW));
    // Accepting opens the new residency, whose page shows the packet it came with.
    const rp = await screen.findByTestId('residency-packet', {}, SLOW);
    await waitFor(() => expect(within(rp).getByTestId('packet-profile').textContent).toContain('济南明湖智能科技有限公司'), SLOW);
    expect(rp.textContent).toContain('晋级交接材料（来自历下创客空间）');
    expect(log.some((c) => c.method === 'POST' && c.url === '/api/v1/residencies/RS1/promotion/accept')).toBe(true);
    // The badge counts again at once, not at the next interval.
    await waitFor(() => expect(screen.queryByTestId('menu-op-incoming-badge')).toBeNull(), { timeout: 5000 });
  }, 60000);

  it('declines with a reason: refused without one, sent trimmed, then listed as declined with the reason', async () => {
    let p: Promotion = consented;
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
      'GET /api/v1/carriers/C1/incoming-promotions/count': () => ({ status: 200, body: { status: 'consented', count: p.status === 'consented' ? 1 : 0 } }),
      'GET /api/v1/carriers/C1/incoming-promotions': (c) => page(query(c).status === p.status || (!query(c).status && p.status === 'consented') ? [p] : []),
      'POST /api/v1/residencies/RS1/promotion/decline': () => {
        p = { ...p, status: 'declined', decline_reason: '本期场地已满', updated_at: '2026-11-23T00:00:00Z' };
        return { status: 200, body: p };
      },
    });
    renderApp('/carriers/C1/incoming-promotions');
    const item = await screen.findByTestId('incoming-item', {}, SLOW);
    fireEvent.click(within(item).getByTestId('incoming-decline'));
    const submit = await screen.findByTestId('incoming-decline-submit', {}, SLOW);
    fireEvent.click(submit);
    expect(await screen.findByText('请填写婉拒理由', {}, SLOW)).toBeTruthy();
    expect(log.some((c) => c.method === 'POST')).toBe(false);
    fireEvent.change(screen.getByTestId('incoming-decline-reason'), { target: { value: '  本期场地已满 ' } });
    fireEvent.click(submit);
    await waitFor(() => expect(log.some((c) => c.method === 'POST' && c.url === '/api/v1/residencies/RS1/promotion/decline')).toBe(true), SLOW);
    const sent = log.find((c) => c.method === 'POST');
    expect(sent?.body).toEqual({ reason: '本期场地已满' });
    // The waiting list empties; the declined tab shows the reason.
    await waitFor(() => expect(screen.queryByTestId('incoming-item')).toBeNull(), SLOW);
    fireEvent.click(screen.getByText('已婉拒'));
    const declined = await screen.findByTestId('incoming-decline-reason', {}, SLOW);
    expect(declined.textContent).toBe('婉拒理由：本期场地已满');
    expect(screen.queryByTestId('incoming-decline')).toBeNull();
  }, 60000);

  it('says when nothing waits and shows no badge', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
      'GET /api/v1/carriers/C1/incoming-promotions/count': () => ({ status: 200, body: { status: 'consented', count: 0 } }),
      'GET /api/v1/carriers/C1/incoming-promotions': () => page([]),
    });
    renderApp('/carriers/C1/incoming-promotions');
    expect(await screen.findByText('暂无待接收的晋级', {}, SLOW)).toBeTruthy();
    expect(screen.queryByTestId('menu-op-incoming-badge')).toBeNull();
  }, 60000);

  it('updates the sending carrier\'s residency page when the window regains focus, without a reload', async () => {
    const sending: Residency = { ...newResidency, id: 'RS1', carrier_id: 'C1', carrier_name: '明湖国际信创产业园', status: 'in_residence', promoted_from_id: undefined };
    let p: Promotion = { ...consented, status: 'proposed', from_carrier_id: 'C1', to_carrier_id: 'C9', to_carrier_name: '历下科技企业孵化器' };
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/carriers/C1/incoming-promotions/count': () => ({ status: 200, body: { status: 'consented', count: 0 } }),
      'GET /api/v1/residencies/RS1': () => ({ status: 200, body: sending }),
      'GET /api/v1/residencies/RS1/promotion': () => ({ status: 200, body: p }),
      'GET /api/v1/companies/K1/chain': () => page([sending]),
      'GET /api/v1/companies/K1/ladder': () => page([]),
    });
    renderApp('/residencies/RS1');
    await waitFor(() => expect(screen.getByTestId('promotion-status').textContent).toBe('已推荐'), SLOW);
    // The company consents and the incubator accepts elsewhere.
    p = { ...p, status: 'accepted', new_residency_id: 'RS2' };
    window.dispatchEvent(new Event('focus'));
    await waitFor(() => expect(screen.getByTestId('promotion-status').textContent).toBe('已接收'), { timeout: 5000 });
    expect(screen.getByTestId('promotion-new-residency').textContent).toBe('查看在历下科技企业孵化器的新在孵记录');
  }, 60000);
});
