/**
 * Milestones: templates per carrier kind, each residency's plan, progress
 * with evidence, verification, the carrier's boards and the district's
 * counts (milestones service; routes and shapes in services/milestones/API.md).
 */
import { client, data, filters, type Page, type Query, type Schemas } from './client';

export type Milestone = Schemas['milestones_MilestoneDTO'];
export type MilestoneDetail = Schemas['milestones_MilestoneDetailDTO'];
export type MilestoneUpdate = Schemas['milestones_UpdateDTO'];
export type MilestoneChange = Schemas['milestones_ChangeDTO'];
export type Plan = Schemas['milestones_PlanDTO'];
export type Figure = Schemas['milestones_FigureDTO'];
export type MilestoneInput = Schemas['milestones_MilestoneInput'];
export type MilestoneEditInput = Schemas['milestones_MilestoneEditInput'];
export type ProgressInput = Schemas['milestones_ProgressInput'];
export type Template = Schemas['milestones_TemplateDTO'];
export type TemplateItem = Schemas['milestones_TemplateItemDTO'];
export type CarrierCounts = Schemas['milestones_CarrierCountsDTO'];

export type MilestoneState = Milestone['state'];
export type MilestoneCategory = Milestone['category'];
export type FigureUnit = Figure['unit'];

export const MILESTONE_STATES: readonly MilestoneState[] = ['planned', 'in_progress', 'submitted', 'returned', 'verified', 'waived'];
export const MILESTONE_CATEGORIES: readonly MilestoneCategory[] = ['team', 'product', 'registration', 'revenue', 'certification', 'financing', 'other'];
export const FIGURE_UNITS: readonly FigureUnit[] = ['thousand_yuan', 'people', 'count', 'percent'];

/** isFinal: verified and waived milestones take no further change. */
export const isFinal = (s: MilestoneState) => s === 'verified' || s === 'waived';
/** canReport: the startup may post progress until the milestone is submitted or final. */
export const canReport = (m: Pick<Milestone, 'state' | 'plan_status'>) =>
  m.plan_status === 'open' && (m.state === 'planned' || m.state === 'in_progress' || m.state === 'returned');
/** canSubmit: progress has been reported (or returned for rework) and may go to the carrier. */
export const canSubmit = (m: Pick<Milestone, 'state' | 'plan_status'>) =>
  m.plan_status === 'open' && (m.state === 'in_progress' || m.state === 'returned');
/** canDecide: the carrier verifies or returns what was submitted. */
export const canDecide = (m: Pick<Milestone, 'state' | 'plan_status'>) => m.plan_status === 'open' && m.state === 'submitted';

export interface MilestoneQuery extends Query {
  state?: string;
  category?: string;
  company_id?: string;
  overdue?: boolean;
  q?: string;
  sort?: string;
  page?: number;
  page_size?: number;
}

const id = (x: string) => ({ path: { id: x } });

// Plans and milestones of one residency.
export const getPlan = (residencyId: string, signal?: AbortSignal) =>
  data(client.GET('/api/v1/residencies/{id}/milestone-plan', { params: id(residencyId), signal }));
export const applyTemplate = (residencyId: string) => data(client.POST('/api/v1/residencies/{id}/milestone-plan', { params: id(residencyId) }));
export const addMilestone = (residencyId: string, body: MilestoneInput) =>
  data(client.POST('/api/v1/residencies/{id}/milestones', { params: id(residencyId), body }));
export const getMilestone = (milestoneId: string, signal?: AbortSignal) =>
  data(client.GET('/api/v1/milestones/{id}', { params: id(milestoneId), signal }));
export const editMilestone = (milestoneId: string, body: MilestoneEditInput) =>
  data(client.PATCH('/api/v1/milestones/{id}', { params: id(milestoneId), body }));
export const removeMilestone = (milestoneId: string) => data(client.DELETE('/api/v1/milestones/{id}', { params: id(milestoneId) }));

// The milestone's life: progress and submission by the startup, decisions by the carrier.
export const postProgress = (milestoneId: string, body: ProgressInput) =>
  data(client.POST('/api/v1/milestones/{id}/updates', { params: id(milestoneId), body }));
export const submitMilestone = (milestoneId: string) => data(client.POST('/api/v1/milestones/{id}/submit', { params: id(milestoneId) }));
export const verifyMilestone = (milestoneId: string, comment?: string) =>
  data(client.POST('/api/v1/milestones/{id}/verify', { params: id(milestoneId), body: { comment: comment || undefined } }));
export const returnMilestone = (milestoneId: string, comment: string) =>
  data(client.POST('/api/v1/milestones/{id}/return', { params: id(milestoneId), body: { comment } }));
export const waiveMilestone = (milestoneId: string, reason: string) =>
  data(client.POST('/api/v1/milestones/{id}/waive', { params: id(milestoneId), body: { reason } }));
export const rescheduleMilestone = (milestoneId: string, dueOn: string, reason: string) =>
  data(client.POST('/api/v1/milestones/{id}/reschedule', { params: id(milestoneId), body: { due_on: dueOn, reason } }));

// Boards and figures.
export const listResidencyMilestones = (residencyId: string, query: MilestoneQuery = {}, signal?: AbortSignal) =>
  data(client.GET('/api/v1/residencies/{id}/milestones', { params: { ...id(residencyId), query: filters(query) }, signal }));
/** listCarrierMilestones: `overdue: true` is the overdue board, `state: 'submitted'` the verification queue. */
export const listCarrierMilestones = (carrierId: string, query: MilestoneQuery = {}, signal?: AbortSignal): Promise<Page<Milestone>> =>
  data(client.GET('/api/v1/carriers/{id}/milestones', { params: { ...id(carrierId), query: filters(query) }, signal }));
export const companyMilestoneTimeline = (companyId: string, query: MilestoneQuery = {}, signal?: AbortSignal): Promise<Page<Milestone>> =>
  data(client.GET('/api/v1/companies/{id}/milestone-timeline', { params: { ...id(companyId), query: filters(query) }, signal }));
export const regionMilestoneCounts = (regionId: string, signal?: AbortSignal) =>
  data(client.GET('/api/v1/regions/{id}/milestone-counts', { params: { ...id(regionId), query: filters({ page_size: 200 }) }, signal }));
export const carrierTemplate = (carrierId: string, signal?: AbortSignal) =>
  data(client.GET('/api/v1/carriers/{id}/milestone-template', { params: id(carrierId), signal }));
