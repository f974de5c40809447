import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Promotion, Residency } from '../../api/residencies';
import type { Carrier } from '../../api/carriers';
import type { Me } from '../../api/auth';
import { fakeApi, minghu, parkAdmin, renderApp, SLOW, type Call } from '../../test/fakeApi';

const page = <T,>(items: T[]) => ({ status: 200, body: { items, total: items.length, page: 1, page_size: 20 } });
const query = (c: Call) => Object.fromEntries(new URL(c.url, 'http://x').searchParams);

// The residency's own carrier, C0 (历下创新孵化器), is an incubator, order 2.
const accelerator: Carrier = { ...minghu, id: 'C3', kind: 'accelerator', chain_order: 3, name_zh: '泉城加速器', name_en: 'Quancheng Accelerator' };

const res: Residency = {
  id: 'RS1',
  company_id: 'K1',
  company_name: '济南明湖智能科技有限公司',
  company_key: '91370102MA3C5T2R03',
  industry_code: 'I6511',
  carrier_id: 'C0',
  carrier_name: '历下创新孵化器',
  carrier_name_en: 'Lixia Incubator',
  carrier_kind: 'incubator',
  chain_order: 2,
  region_id: 'R1',
  status: 'admitted',
  application_id: 'A1',
  admitted_on: '2026-11-20',
  overstaying: false,
  evaluation: {
    rule_pack_version: 1,
    at: '2026-11-27T00:00:00Z',
    term_months: 48,
    overstaying: false,
    entry_age_months: 20,
    entry_age_exceeded: false,
    graduation_met: [],
  },
  updated_at: '2026-11-20T00:00:00Z',
};

/** The incubator's admin (C0). */
const incubatorAdmin: Me = {
  user: { id: 'U5', email: 'staff@incubator.demo', display_name: '孵化器 王经理', created_at: '' },
  assignments: [
    { role: 'park_admin', domain: 'carrier:C0', domain_kind: 'carrier', domain_id: 'C0', name_zh: '历下创新孵化器', name_en: '', region_id: 'R1' },
  ],
};

describe('residents list', () => {
  it('passes status, industry and overstaying filters and links to the residency', async () => {
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
      'GET /api/v1/carriers/C1/residencies': () =>
        page([{ ...res, carrier_id: 'C1', status: 'in_residence', overstaying: true, moved_in_on: '2022-01-01', term_end_on: '2026-01-01' }]),
    });
    renderApp('/carriers/C1/residents?status=in_residence&industry=I');
    const table = await screen.findByTestId('residents-table', {}, SLOW);
    await waitFor(() => expect(table.textContent).toContain('济南明湖智能科技有限公司'), SLOW);
    expect(within(table).getByTestId('residency-status').textContent).toBe('在孵');
    expect(within(table).getByTestId('residency-overstaying')).toBeTruthy();
    expect(within(table).getByTestId('residency-link').getAttribute('href')).toBe('/residencies/RS1');
    const lists = () => log.filter((c) => c.url.startsWith('/api/v1/carriers/C1/residencies'));
    expect(query(lists()[0])).toMatchObject({ status: 'in_residence', industry: 'I' });

    fireEvent.click(screen.getByTestId('residents-overstaying-filter'));
    await waitFor(() => expect(query(lists().at(-1)!)).toMatchObject({ status: 'in_residence', industry: 'I', overstaying: 'true' }), SLOW);
  }, 60000);

  it('marks a resident open at another carrier too, named in the reader\'s language, and nothing on the others', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
      'GET /api/v1/carriers/C1/residencies': () =>
        page([
          {
            ...res,
            carrier_id: 'C1',
            concurrent: [{ carrier_id: 'C3', carrier_name: '泉城加速器', carrier_name_en: 'Quancheng Accelerator', status: 'in_residence', since: '2026-10-01' }],
          },
          { ...res, id: 'RS2', company_id: 'K2', company_name: '济南另一家科技有限公司', carrier_id: 'C1' },
        ]),
    });
    renderApp('/carriers/C1/residents');
    const table = await screen.findByTestId('residents-table', {}, SLOW);
    await waitFor(() => expect(table.textContent).toContain('济南另一家科技有限公司'), SLOW);
    const tags = within(table).getAllByTestId('residency-concurrent-tag');
    expect(tags).toHaveLength(1);
    expect(tags[0].textContent).toBe('同时在孵：泉城加速器');
  }, 60000);
});

describe('residency detail', () => {
  it('records a move-in with field errors mapped, then proposes a promotion up the chain', async () => {
    let r: Residency = res;
    let promotion: Promotion | null = null;
    let moveInTries = 0;
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: incubatorAdmin }),
      'GET /api/v1/residencies/RS1': () => ({ status: 200, body: r }),
      'GET /api/v1/residencies/RS1/promotion': () =>
        promotion ? { status: 200, body: promotion } : { status: 404, body: { status: 404, detail: '该在孵记录没有晋级推荐' } },
      'GET /api/v1/companies/K1/chain': () => page([r]),
      // The service offers only the carriers higher on the chain.
      'GET /api/v1/residencies/RS1/promotion/targets': () => page([accelerator, minghu]),
      // Park staff cannot read another carrier in the parks service.
      'GET /api/v1/carriers/C3': () => ({ status: 404, body: { status: 404, code: 'carrier-not-found' } }),
      'POST /api/v1/residencies/RS1/move-in': (c) => {
        moveInTries++;
        if (moveInTries === 1) {
          return { status: 422, body: { status: 422, detail: '在孵信息有误', errors: [{ field: 'area_m2', code: 'out_of_range', message: '必须在 0 到 100000 之间' }] } };
        }
        const b = c.body as { moved_in_on: string; unit: string; area_m2: number };
        r = { ...r, status: 'in_residence', moved_in_on: b.moved_in_on, unit: b.unit, area_m2: b.area_m2, term_end_on: '2030-11-27', updated_at: 'later' };
        return { status: 200, body: r };
      },
      'POST /api/v1/residencies/RS1/promotions': (c) => {
        const b = c.body as { to_carrier_id: string; note: string; shared: string[] };
        promotion = {
          id: 'P1', residency_id: 'RS1', company_id: 'K1', company_name: '济南明湖智能科技有限公司', from_carrier_id: 'C0', from_carrier_name: '历下创新孵化器', from_carrier_name_en: '', to_carrier_name: '泉城加速器', to_carrier_name_en: 'Quancheng Accelerator', from_kind: 'incubator', from_chain_order: 2,
          to_carrier_id: b.to_carrier_id, to_kind: 'accelerator', to_chain_order: 3, status: 'proposed', note: b.note,
          shared: ['profile', ...b.shared], created_at: '', updated_at: '',
        };
        r = { ...r, updated_at: 'later2' };
        return { status: 201, body: promotion };
      },
    });
    renderApp('/residencies/RS1');
    await waitFor(() => expect(screen.getByTestId('residency-title').textContent).toBe('济南明湖智能科技有限公司'), SLOW);
    expect(screen.getByTestId('residency-evaluation').textContent).toContain('48');
    expect((await screen.findByTestId('chain-timeline', {}, SLOW)).textContent).toContain('历下创新孵化器');
    expect(screen.queryByTestId('residency-promotion')).toBeNull();
    expect(screen.queryByTestId('residency-graduate')).toBeNull();

    fireEvent.click(screen.getByTestId('residency-move-in'));
    fireEvent.change(await screen.findByTestId('action-moved-in-on', {}, SLOW), { target: { value: '2026-11-27' } });
    fireEvent.change(screen.getByTestId('action-unit'), { target: { value: 'A-301' } });
    fireEvent.change(screen.getByTestId('action-area'), { target: { value: '120.5' } });
    fireEvent.click(screen.getByTestId('action-submit'));
    const areaItem = () => screen.getByTestId('action-area').closest('.ant-form-item') as HTMLElement;
    await waitFor(() => expect(areaItem().textContent).toContain('必须在 0 到 100000 之间'), SLOW);
    fireEvent.click(screen.getByTestId('action-submit'));
    await waitFor(() => expect(screen.getByTestId('residency-detail-status').textContent).toBe('在孵'), SLOW);
    expect(log.filter((c) => c.method === 'POST').at(-1)?.body).toEqual({ moved_in_on: '2026-11-27', unit: 'A-301', area_m2: 120.5 });

    fireEvent.click(await screen.findByTestId('residency-promote', {}, SLOW));
    const select = await screen.findByTestId('action-to-carrier', {}, SLOW);
    fireEvent.mouseDown(within(select).getByRole('combobox'));
    // The offered targets are the service's, asked for this residency.
    await screen.findByText('泉城加速器（加速器）', {}, SLOW);
    expect(log.some((c) => c.method === 'GET' && c.url.startsWith('/api/v1/residencies/RS1/promotion/targets'))).toBe(true);
    fireEvent.click(screen.getByText('泉城加速器（加速器）'));
    fireEvent.change(screen.getByTestId('action-note'), { target: { value: '营收增长快' } });
    fireEvent.click(screen.getByTestId('action-submit'));
    await waitFor(() => expect(screen.getByTestId('promotion-status').textContent).toBe('已推荐'), SLOW);
    expect(log.filter((c) => c.method === 'POST').at(-1)?.body).toEqual({ to_carrier_id: 'C3', note: '营收增长快', shared: ['milestones'] });
    // The target's name comes from the promotion targets the proposing carrier may list.
    await waitFor(() => expect(screen.getByTestId('promotion-to-carrier').textContent).toBe('泉城加速器'), SLOW);
    expect(screen.getByTestId('promotion-to-carrier').getAttribute('href')).toBe('/carriers/C3');
  }, 60000);

  it('lets the receiving carrier accept a consented promotion, and shows the chain', async () => {
    let promotion: Promotion = {
      id: 'P1', residency_id: 'RS1', company_id: 'K1', company_name: '济南明湖智能科技有限公司', from_carrier_id: 'C0', from_carrier_name: '历下创新孵化器', from_carrier_name_en: '', to_carrier_name: '明湖国际信创产业园', to_carrier_name_en: '', from_kind: 'incubator', from_chain_order: 2,
      to_carrier_id: 'C1', to_kind: 'science_park', to_chain_order: 4, status: 'consented', note: '', shared: ['profile', 'milestones'],
      created_at: '', updated_at: '',
    };
    const r: Residency = { ...res, status: 'in_residence', moved_in_on: '2024-01-01' };
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/residencies/RS1': () => ({ status: 200, body: r }),
      'GET /api/v1/residencies/RS1/promotion': () => ({ status: 200, body: promotion }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
      'GET /api/v1/companies/K1/chain': () =>
        page([
          { ...r, id: 'RS0', carrier_id: 'C9', carrier_name: '众创空间', carrier_kind: 'maker_space', chain_order: 1, status: 'promoted', ended_on: '2023-12-31', reason: 'promoted' },
          r,
        ]),
      'POST /api/v1/residencies/RS1/promotion/accept': () => {
        promotion = { ...promotion, status: 'accepted', new_residency_id: 'RS2' };
        return { status: 200, body: promotion };
      },
    });
    renderApp('/residencies/RS1');
    const timeline = await screen.findByTestId('chain-timeline', {}, SLOW);
    await waitFor(() => expect(screen.getAllByTestId('chain-item')).toHaveLength(2), SLOW);
    // The receiving carrier is named from the parks service.
    await waitFor(() => expect(screen.getByTestId('promotion-to-carrier').textContent).toBe('明湖国际信创产业园'), SLOW);
    expect(timeline.textContent).toContain('众创空间');
    expect(timeline.textContent).toContain('已晋级');
    // A promotion's reason code is named, not shown raw.
    expect(timeline.textContent).toContain('晋级至孵化链的下一级载体');
    // Staff of another carrier see no actions on this residency.
    expect(screen.queryByTestId('residency-graduate')).toBeNull();

    fireEvent.click(await screen.findByTestId('promotion-accept', {}, SLOW));
    fireEvent.click(await screen.findByTestId('promotion-accept-confirm', {}, SLOW));
    await waitFor(() => expect(screen.getByTestId('promotion-status').textContent).toBe('已接收'), SLOW);
    expect(log.some((c) => c.method === 'POST' && c.url === '/api/v1/residencies/RS1/promotion/accept')).toBe(true);
    expect(screen.getByTestId('promotion-new-residency').getAttribute('href')).toBe('/residencies/RS2');
    // The link to the new residency names the carrier, not an id.
    expect(screen.getByTestId('promotion-new-residency').textContent).toBe('查看在明湖国际信创产业园的新在孵记录');
  }, 60000);

  it('names the receiving carrier from the promotion itself, never by its id', async () => {
    const promotion: Promotion = {
      id: 'P1', residency_id: 'RS1', company_id: 'K1', company_name: '济南明湖智能科技有限公司', from_carrier_id: 'C0', from_carrier_name: '历下创新孵化器', from_carrier_name_en: '', to_carrier_name: '泉城加速器', to_carrier_name_en: 'Quancheng Accelerator', from_kind: 'incubator', from_chain_order: 2,
      to_carrier_id: 'C7', to_kind: 'accelerator', to_chain_order: 3, status: 'proposed', note: '', shared: ['profile'],
      created_at: '', updated_at: '',
    };
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: incubatorAdmin }),
      'GET /api/v1/residencies/RS1': () => ({ status: 200, body: { ...res, status: 'in_residence' } }),
      'GET /api/v1/residencies/RS1/promotion': () => ({ status: 200, body: promotion }),
      'GET /api/v1/companies/K1/chain': () => page([res]),
      'GET /api/v1/residencies/RS1/promotion/targets': () => page([accelerator]),
    });
    renderApp('/residencies/RS1');
    await screen.findByTestId('residency-promotion', {}, SLOW);
    await waitFor(() => expect(screen.getByTestId('promotion-to-carrier').textContent).toBe('泉城加速器'), SLOW);
    expect(screen.getByTestId('residency-promotion').textContent).not.toContain('C7');
    expect(log.some((c) => c.url.startsWith('/api/v1/carriers/C7'))).toBe(false);
  }, 60000);

  it('graduates with a reason from the list', async () => {
    let r: Residency = { ...res, status: 'in_residence', moved_in_on: '2024-01-01' };
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: incubatorAdmin }),
      'GET /api/v1/residencies/RS1': () => ({ status: 200, body: r }),
      'GET /api/v1/residencies/RS1/promotion': () => ({ status: 404, body: { status: 404 } }),
      'GET /api/v1/companies/K1/chain': () => page([r]),
      'POST /api/v1/residencies/RS1/graduate': (c) => {
        const b = c.body as { reason: string; on: string };
        r = { ...r, status: 'graduated', outcome: 'graduated', reason: b.reason, ended_on: '2026-11-27', updated_at: 'later' };
        return { status: 200, body: r };
      },
    });
    renderApp('/residencies/RS1');
    fireEvent.click(await screen.findByTestId('residency-graduate', {}, SLOW));
    const select = await screen.findByTestId('action-reason', {}, SLOW);
    fireEvent.mouseDown(within(select).getByRole('combobox'));
    fireEvent.click(await screen.findByText('累计获得融资达标', {}, SLOW));
    fireEvent.click(screen.getByTestId('action-submit'));
    await waitFor(() => expect(screen.getByTestId('residency-detail-status').textContent).toBe('已毕业'), SLOW);
    expect(screen.getByTestId('residency-reason').textContent).toBe('累计获得融资达标');
    expect(log.filter((c) => c.method === 'POST').at(-1)?.body).toEqual({ reason: 'financing', on: '' });
  }, 60000);
});
