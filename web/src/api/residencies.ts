/** Residencies, a company's chain of them, and promotions up the chain (incubatees service). */
import { client, data, filters, type Query, type Schemas } from './client';

export type Residency = Schemas['incubatees_ResidencyDTO'];
export type Evaluation = Schemas['incubatees_Evaluation'];
export type Promotion = Schemas['incubatees_PromotionDTO'];
/** A carrier a residency may be promoted to (same region, higher in the chain, active). */
export type PromotionTarget = Schemas['incubatees_PromotionTargetDTO'];
export type MoveInInput = Schemas['incubatees_MoveInInput'];
export type EndInput = Schemas['incubatees_EndInput'];

export type ResidencyStatus = 'admitted' | 'in_residence' | 'graduated' | 'exited' | 'promoted';
export const RESIDENCY_STATUSES: readonly ResidencyStatus[] = ['admitted', 'in_residence', 'graduated', 'exited', 'promoted'];
export const GRADUATION_REASONS = ['high_tech_certificate', 'financing', 'revenue', 'acquired_or_listed', 'other'] as const;
/** What may travel in a promotion's handoff packet; the profile always does. */
export const SHARED_ITEMS = ['profile', 'latest_metrics', 'milestones', 'documents'] as const;
export type PromotionStatus = 'proposed' | 'consented' | 'accepted' | 'declined';

export const isOpenResidency = (s: string) => s === 'admitted' || s === 'in_residence';

export interface ResidencyQuery extends Query {
  status?: string;
  industry?: string;
  overstaying?: boolean;
  page?: number;
  page_size?: number;
}

export const listResidencies = (carrierId: string, query: ResidencyQuery, signal?: AbortSignal) =>
  data(client.GET('/api/v1/carriers/{id}/residencies', { params: { path: { id: carrierId }, query: filters(query) }, signal }));
export const getResidency = (id: string, signal?: AbortSignal) => data(client.GET('/api/v1/residencies/{id}', { params: { path: { id } }, signal }));
/** promotionTargets comes from the incubatees service: park staff cannot list other carriers in parks. */
export const promotionTargets = async (id: string, signal?: AbortSignal) =>
  (await data(client.GET('/api/v1/residencies/{id}/promotion/targets', { params: { path: { id } }, signal }))).items;
export const moveIn = (id: string, body: MoveInInput) =>
  data(client.POST('/api/v1/residencies/{id}/move-in', { params: { path: { id } }, body }));
export const graduate = (id: string, body: EndInput) =>
  data(client.POST('/api/v1/residencies/{id}/graduate', { params: { path: { id } }, body }));
export const exitResidency = (id: string, body: EndInput) =>
  data(client.POST('/api/v1/residencies/{id}/exit', { params: { path: { id } }, body }));
export const proposePromotion = (id: string, toCarrierId: string, note: string, shared: string[]) =>
  data(client.POST('/api/v1/residencies/{id}/promotions', { params: { path: { id } }, body: { to_carrier_id: toCarrierId, note, shared } }));
export const getPromotion = (residencyId: string, signal?: AbortSignal) =>
  data(client.GET('/api/v1/residencies/{id}/promotion', { params: { path: { id: residencyId } }, signal }));
export const acceptPromotion = (id: string) => data(client.POST('/api/v1/residencies/{id}/promotion/accept', { params: { path: { id } } }));
/** declinePromotion is the receiving carrier's refusal, with the reason the sending carrier and the company read. */
export const declinePromotion = (id: string, reason: string) =>
  data(client.POST('/api/v1/residencies/{id}/promotion/decline', { params: { path: { id } }, body: { reason } }));
export const consentPromotion = (residencyId: string) =>
  data(client.POST('/api/v1/residencies/{id}/promotion/consent', { params: { path: { id: residencyId } } }));
export const companyChain = (companyId: string, signal?: AbortSignal) =>
  data(client.GET('/api/v1/companies/{id}/chain', { params: { path: { id: companyId } }, signal }));
export type PromotionCount = Schemas['incubatees_PromotionCountDTO'];
/** The statuses the receiving carrier's inbox lists: consented (waiting for it), accepted and declined. */
export const INCOMING_STATUSES = ['consented', 'accepted', 'declined'] as const;
export type IncomingStatus = (typeof INCOMING_STATUSES)[number];
export const incomingPromotions = (carrierId: string, query: { status?: IncomingStatus; page?: number; page_size?: number }, signal?: AbortSignal) =>
  data(client.GET('/api/v1/carriers/{id}/incoming-promotions', { params: { path: { id: carrierId }, query: filters(query) }, signal }));
export const countIncomingPromotions = (carrierId: string, signal?: AbortSignal) =>
  data(client.GET('/api/v1/carriers/{id}/incoming-promotions/count', { params: { path: { id: carrierId } }, signal }));
