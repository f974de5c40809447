/** Applications to intake calls: the startup's drafts and submissions, the carrier's inbox and decisions (incubatees service). */
import { client, data, filters, type Page, type Query, type Schemas } from './client';
import type { MoneyUnit } from './intakeCalls';

/** The contract types answers and scores as open objects; Answer and numbers are their shapes. */
export type ApplicationReview = Omit<Schemas['incubatees_ApplicationReviewDTO'], 'scores'> & { scores: Record<string, number> };
export type Application = Omit<Schemas['incubatees_ApplicationDTO'], 'answers' | 'reviews'> & {
  answers: Record<string, Answer>;
  /** Only for the carrier's staff and the district. */
  reviews?: ApplicationReview[];
};
/**
 * MaterialSlot is one required material of an application, as the incubatees
 * service last heard from the documents service ("" status: nothing uploaded).
 */
export type MaterialSlot = Schemas['incubatees_MaterialSlotDTO'];

export type ApplicationStatus = 'draft' | 'submitted' | 'reviewing' | 'admitted' | 'rejected' | 'withdrawn';
export const APPLICATION_STATUSES: readonly ApplicationStatus[] = ['draft', 'submitted', 'reviewing', 'admitted', 'rejected', 'withdrawn'];
/** The statuses the inbox filters on (drafts are the applicant's own). */
export const INBOX_STATUSES: readonly ApplicationStatus[] = ['submitted', 'reviewing', 'admitted', 'rejected', 'withdrawn'];
export type Decision = 'admit' | 'reject';

/** MoneyAnswer is a money answer, in the question's unit. */
export interface MoneyAnswer {
  amount: number;
  unit: MoneyUnit;
}

/** An answer: text, date (YYYY-MM-DD), choice and file (a document id) are strings. */
export type Answer = string | number | MoneyAnswer;

/** An application can be withdrawn until the carrier decides. */
export const canWithdraw = (s: string) => s === 'draft' || s === 'submitted' || s === 'reviewing';

export interface ApplicationQuery extends Query {
  status?: string;
  q?: string;
  page?: number;
  page_size?: number;
  sort?: string;
}

// The startup's side.

export const startApplication = (callId: string, companyId: string, answers: Record<string, Answer>) =>
  data<Application>(client.POST('/api/v1/intake-calls/{id}/applications', { params: { path: { id: callId } }, body: { company_id: companyId, answers } }));
export const getApplication = (id: string, signal?: AbortSignal) => data<Application>(client.GET('/api/v1/applications/{id}', { params: { path: { id } }, signal }));
/** updateApplication replaces a draft's answers. */
export const updateApplication = (id: string, answers: Record<string, Answer>) =>
  data<Application>(client.PATCH('/api/v1/applications/{id}', { params: { path: { id } }, body: { answers } }));
export const submitApplication = (id: string) => data<Application>(client.POST('/api/v1/applications/{id}/submit', { params: { path: { id } } }));
export const withdrawApplication = (id: string) => data<Application>(client.POST('/api/v1/applications/{id}/withdraw', { params: { path: { id } } }));
export const listCompanyApplications = (companyId: string, signal?: AbortSignal) =>
  data<Page<Application>>(client.GET('/api/v1/companies/{id}/applications', { params: { path: { id: companyId } }, signal }));

// The carrier's side.

export const listApplications = (carrierId: string, query: ApplicationQuery, signal?: AbortSignal) =>
  data<Page<Application>>(client.GET('/api/v1/carriers/{id}/applications', { params: { path: { id: carrierId }, query: filters(query) }, signal }));
export const reviewApplication = (id: string, scores: Record<string, number>, comment: string) =>
  data<Application>(client.POST('/api/v1/applications/{id}/reviews', { params: { path: { id } }, body: { scores, comment } }));
/** decideApplication decides one application; a park admin may admit against the call's rules with an override reason. */
export const decideApplication = (id: string, decision: Decision, reason: string, overrideReason?: string) =>
  data<Application>(
    client.POST('/api/v1/applications/{id}/decision', {
      params: { path: { id } },
      body: overrideReason ? { decision, reason, override_reason: overrideReason } : { decision, reason },
    }),
  );
/**
 * decideApplications decides several applications, all or nothing; a failure
 * is a 422 whose field errors name each failing id as "ids.<id>".
 */
export const decideApplications = (carrierId: string, ids: string[], decision: Decision, reason: string) =>
  data<{ items: Application[] }>(client.POST('/api/v1/carriers/{id}/applications/decisions', { params: { path: { id: carrierId } }, body: { ids, decision, reason } }));
