import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AppProviders } from '../AppProviders';
import type { EnrolmentOffer } from '../api/enrolment';
import { fakeApi, parkAdmin, SLOW } from '../test/fakeApi';
import { CompanyEnrolmentOffers, OfferEnrolmentButton, toOfferInput } from './EnrolmentOffers';

const offer: EnrolmentOffer = {
  id: 'EO1',
  company_id: 'K1',
  company_ref: '91370102MA3C5T2R03',
  carrier_id: 'C3',
  carrier_name: '历下科技企业加速器',
  carrier_name_en: 'Lixia Accelerator',
  region_id: 'R1',
  status: 'pending',
  note: '贵司已在本园区办公',
  created_at: '2026-12-01T00:00:00Z',
  updated_at: '2026-12-01T00:00:00Z',
};
const page = (items: EnrolmentOffer[]) => ({ status: 200, body: { items, total: items.length, page: 1, page_size: 20 } });

describe('toOfferInput', () => {
  it('sends the USCC upper-cased and no move-in unless one was given', () => {
    expect(toOfferInput({ uscc: ' 91370102ma3c5t2r03 ' })).toEqual({ uscc: '91370102MA3C5T2R03' });
    expect(toOfferInput({ uscc: 'X', unit: 'A-1', area_m2: 20, moved_in_on: '2026-01-01', note: ' 你好 ' })).toEqual({
      uscc: 'X', unit: 'A-1', area_m2: 20, moved_in_on: '2026-01-01', note: '你好',
    });
  });
});

describe('enrolment offers', () => {
  it('lets the company admin accept a pending offer', async () => {
    let pending = [offer];
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/companies/K1/enrolment-offers': () => page(pending),
      'POST /api/v1/enrolment-offers/EO1/accept': () => {
        pending = [];
        return { status: 200, body: { ...offer, status: 'accepted', residency_id: 'RS9' } };
      },
    });
    render(
      <AppProviders>
        <CompanyEnrolmentOffers companyId="K1" isAdmin />
      </AppProviders>,
    );
    const card = await screen.findByTestId('enrol-pending', {}, SLOW);
    expect(card.textContent).toContain('历下科技企业加速器 邀请贵企业确认入驻');
    fireEvent.click(screen.getByTestId('enrol-accept'));
    fireEvent.click(await screen.findByText('确 定', {}, SLOW).catch(() => screen.getByText('OK')));
    await waitFor(() => expect(log.some((c) => c.method === 'POST' && c.url === '/api/v1/enrolment-offers/EO1/accept')).toBe(true), SLOW);
    await waitFor(() => expect(screen.queryByTestId('enrol-pending')).toBeNull(), SLOW);
  }, 60000);

  it('shows members who are not admins that only an admin answers', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/companies/K1/enrolment-offers': () => page([offer]),
    });
    render(
      <AppProviders>
        <CompanyEnrolmentOffers companyId="K1" isAdmin={false} />
      </AppProviders>,
    );
    const card = await screen.findByTestId('enrol-pending', {}, SLOW);
    expect(card.textContent).toContain('只有企业管理员可以答复');
    expect(screen.queryByTestId('enrol-accept')).toBeNull();
  }, 60000);

  it('lets the park propose by USCC and shows field errors from the server', async () => {
    let tries = 0;
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'POST /api/v1/carriers/C1/enrolment-offers': () => {
        tries++;
        return tries === 1
          ? { status: 422, body: { status: 422, slug: 'invalid-enrolment', detail: '入驻邀请有误', errors: [{ field: 'uscc', code: 'company_not_in_region', message: '本区域没有该企业' }] } }
          : { status: 201, body: { ...offer, carrier_id: 'C1', company_id: undefined } };
      },
    });
    render(
      <AppProviders>
        <OfferEnrolmentButton carrierId="C1" />
      </AppProviders>,
    );
    fireEvent.click(await screen.findByTestId('enrol-offer-open', {}, SLOW));
    fireEvent.change(await screen.findByTestId('enrol-uscc', {}, SLOW), { target: { value: '91370102ma3c5t2r03' } });
    fireEvent.click(screen.getByText('发送邀请').closest('button')!);
    await screen.findByText('本区域没有该企业', {}, SLOW);
    fireEvent.click(screen.getByText('发送邀请').closest('button')!);
    await waitFor(() => expect(tries).toBe(2), SLOW);
    const posts = log.filter((c) => c.method === 'POST');
    expect(posts[1].body).toEqual({ uscc: '91370102MA3C5T2R03' });
  }, 60000);
});
