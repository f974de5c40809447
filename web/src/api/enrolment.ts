import { api } from './client';
import { toPage } from './endpoints';
import type { Page } from './types';

const seg = encodeURIComponent;

/** EnrolmentStatus: pending until the company's admin accepts or declines, or the carrier withdraws. */
export type EnrolmentStatus = 'pending' | 'accepted' | 'declined' | 'withdrawn';

/**
 * EnrolmentOffer is a carrier's offer to record a company already at the carrier as
 * its resident. To the carrier, company_id and company_name stay empty until the
 * company accepts; company_ref is what the carrier named it by.
 */
export interface EnrolmentOffer {
  id: string;
  company_id?: string;
  company_ref: string;
  company_name?: string;
  carrier_id: string;
  carrier_name: string;
  carrier_name_en: string;
  region_id: string;
  status: EnrolmentStatus;
  admitted_on?: string;
  moved_in_on?: string;
  unit?: string;
  area_m2?: number;
  note?: string;
  reason?: string;
  residency_id?: string;
  created_at: string;
  updated_at: string;
}

/** EnrolmentOfferInput names the company by its USCC (or id) and, optionally, its move-in. */
export interface EnrolmentOfferInput {
  uscc?: string;
  company_id?: string;
  admitted_on?: string;
  moved_in_on?: string;
  unit?: string;
  area_m2?: number;
  note?: string;
}

export const offerEnrolment = (carrierId: string, body: EnrolmentOfferInput) =>
  api<EnrolmentOffer>(`/carriers/${seg(carrierId)}/enrolment-offers`, { method: 'POST', body });

export const listCarrierEnrolmentOffers = async (carrierId: string, status?: EnrolmentStatus, signal?: AbortSignal) =>
  toPage(await api<Page<EnrolmentOffer>>(`/carriers/${seg(carrierId)}/enrolment-offers`, { query: { status }, signal }));

export const listCompanyEnrolmentOffers = async (companyId: string, status?: EnrolmentStatus, signal?: AbortSignal) =>
  toPage(await api<Page<EnrolmentOffer>>(`/companies/${seg(companyId)}/enrolment-offers`, { query: { status }, signal }));

export const acceptEnrolment = (id: string) => api<EnrolmentOffer>(`/enrolment-offers/${seg(id)}/accept`, { method: 'POST' });

export const declineEnrolment = (id: string, reason: string) =>
  api<EnrolmentOffer>(`/enrolment-offers/${seg(id)}/decline`, { method: 'POST', body: { reason } });

export const withdrawEnrolment = (id: string) => api<EnrolmentOffer>(`/enrolment-offers/${seg(id)}/withdraw`, { method: 'POST' });
