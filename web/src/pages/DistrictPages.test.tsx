/**
 * The district's read-only officer: carriers lead to their residents and
 * reports, a company page lists the carriers it is and was in, and tabs the
 * officer cannot use are not shown at all.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Residency } from '../api/residencies';
import { districtViewer, minghuTech } from '../test/companies';
import { fakeApi, minghu, parkAdmin, renderApp, SLOW } from '../test/fakeApi';

const page = <T,>(items: T[]) => ({ status: 200, body: { items, total: items.length, page: 1, page_size: 20 } });

const residency = (over: Partial<Residency>): Residency =>
  ({
    id: 'RS1',
    company_id: 'K1',
    company_name: minghuTech.name_zh,
    company_key: minghuTech.uscc,
    industry_code: 'I6511',
    carrier_id: 'C0',
    carrier_name: '历下创客空间',
    carrier_name_en: 'Lixia Maker Space',
    carrier_kind: 'maker_space',
    chain_order: 1,
    region_id: 'R1',
    status: 'promoted',
    application_id: 'A1',
    admitted_on: '2025-04-01',
    moved_in_on: '2025-04-10',
    ended_on: '2026-06-30',
    overstaying: false,
    updated_at: '2026-06-30T00:00:00Z',
    ...over,
  }) as Residency;

describe('district pages', () => {
  it('links a carrier to its residents and reports and hides the invitations tab from a read-only officer', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: districtViewer }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
    });
    renderApp('/carriers/C1?tab=invitations');
    const links = await screen.findByTestId('carrier-links', {}, SLOW);
    expect(within(links).getByTestId('carrier-links-residents').getAttribute('href')).toBe('/carriers/C1/residents');
    expect(within(links).getByTestId('carrier-links-reports').getAttribute('href')).toBe('/carriers/C1/reports');
    // Asked for invitations by the URL, the officer lands on the overview: no "no permission" tab.
    expect(screen.queryByTestId('tab-invitations')).toBeNull();
    expect(screen.getByTestId('carrier-descriptions')).toBeTruthy();
    expect(screen.getByTestId('tab-members')).toBeTruthy();
  }, 30000);

  it('keeps the invitations tab for the carrier\'s admin', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
    });
    renderApp('/carriers/C1');
    expect(await screen.findByTestId('tab-invitations', {}, SLOW)).toBeTruthy();
  }, 30000);

  it('shows on a company page the carriers it is and was in', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: districtViewer }),
      'GET /api/v1/companies/K1': () => ({ status: 200, body: minghuTech }),
      'GET /api/v1/companies/K1/members': () => page([]),
      'GET /api/v1/companies/K1/chain': () =>
        page([
          residency({ id: 'RS2', carrier_id: 'C2', carrier_name: '历下科技企业孵化器', carrier_kind: 'incubator', chain_order: 2, status: 'in_residence', admitted_on: '2026-07-01', moved_in_on: '2026-07-05', ended_on: undefined, promoted_from_id: 'RS1' }),
          residency({}),
        ]),
    });
    renderApp('/companies/K1');
    const card = await screen.findByTestId('company-carriers', {}, SLOW);
    await waitFor(() => expect(within(card).getAllByTestId('company-carrier-name')).toHaveLength(2), SLOW);
    // Oldest first: the maker space it was promoted from, then the incubator it is in now.
    expect(within(card).getAllByTestId('company-carrier-name').map((e) => e.textContent)).toEqual(['历下创客空间', '历下科技企业孵化器']);
    expect(within(card).getAllByTestId('company-carrier-name')[1].getAttribute('href')).toBe('/residencies/RS2');
    expect(card.textContent).toContain('当前');
    expect(card.textContent).toContain('众创空间');
  }, 30000);

  it('shows nothing about carriers when the service does not show the chain', async () => {
    const calls = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: districtViewer }),
      'GET /api/v1/companies/K1': () => ({ status: 200, body: minghuTech }),
      'GET /api/v1/companies/K1/members': () => page([]),
      'GET /api/v1/companies/K1/chain': () => ({ status: 403, body: { status: 403, title: '无权访问' } }),
    });
    renderApp('/companies/K1');
    await screen.findByTestId('company-title', {}, SLOW);
    await waitFor(() => expect(calls.some((c) => c.url.startsWith('/api/v1/companies/K1/chain'))).toBe(true), SLOW);
    await waitFor(() => expect(screen.queryByTestId('company-carriers')).toBeNull(), SLOW);
    expect(document.body.textContent).not.toContain('无权访问');
  }, 30000);
});
