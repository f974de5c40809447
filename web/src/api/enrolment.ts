/** Enrolment offers: a carrier records a company already at it as its resident, once the company accepts (incubatees service). */
import { client, data, filters, type Schemas } from './client';

/**
 * EnrolmentOffer: to the carrier, company_id and company_name stay empty
 * until the company accepts; company_ref is what the carrier named it by.
 */
export type EnrolmentOffer = Schemas['incubatees_EnrolmentOfferDTO'];
/** EnrolmentOfferInput names the company by its USCC (or id) and, optionally, its move-in. */
export type EnrolmentOfferInput = Schemas['incubatees_EnrolmentOfferInput'];
/** EnrolmentStatus: pending until the company's admin accepts or declines, or the carrier withdraws. */
export type EnrolmentStatus = 'pending' | 'accepted' | 'declined' | 'withdrawn';

export const offerEnrolment = (carrierId: string, body: EnrolmentOfferInput) =>
  data(client.POST('/api/v1/carriers/{id}/enrolment-offers', { params: { path: { id: carrierId } }, body }));
export const listCarrierEnrolmentOffers = (carrierId: string, status?: EnrolmentStatus, signal?: AbortSignal) =>
  data(client.GET('/api/v1/carriers/{id}/enrolment-offers', { params: { path: { id: carrierId }, query: filters({ status }) }, signal }));
export const listCompanyEnrolmentOffers = (companyId: string, status?: EnrolmentStatus, signal?: AbortSignal) =>
  data(client.GET('/api/v1/companies/{id}/enrolment-offers', { params: { path: { id: companyId }, query: filters({ status }) }, signal }));
export const acceptEnrolment = (id: string) => data(client.POST('/api/v1/enrolment-offers/{id}/accept', { params: { path: { id } } }));
export const declineEnrolment = (id: string, reason: string) =>
  data(client.POST('/api/v1/enrolment-offers/{id}/decline', { params: { path: { id } }, body: { reason } }));
export const withdrawEnrolment = (id: string) => data(client.POST('/api/v1/enrolment-offers/{id}/withdraw', { params: { path: { id } } }));
