/**
 * API calls and shapes of the operator side of the incubation flow (incubatees
 * service): intake calls, the application inbox and its decisions, residencies
 * with promotion up the chain, and the carrier's metric-report overview.
 */
import { api, type Query } from './client';
import { toPage } from './endpoints';
import type { Page } from './types';

const seg = encodeURIComponent;

// ---- Intake calls -------------------------------------------------------

export type QuestionType = 'text' | 'number' | 'money' | 'date' | 'choice' | 'file';
export const QUESTION_TYPES: readonly QuestionType[] = ['text', 'number', 'money', 'date', 'choice', 'file'];

export type MoneyUnit = 'yuan' | 'thousand_yuan';
export const MONEY_UNITS: readonly MoneyUnit[] = ['yuan', 'thousand_yuan'];

/** The document kinds a call may require (domain.MaterialTypes). */
export const MATERIAL_TYPES = [
  'business_licence',
  'business_plan',
  'ip_certificate',
  'financial_statements',
  'rd_ledger',
  'other',
] as const;

/** The review rubric the server uses when a call names none. */
export const DEFAULT_CRITERIA = ['team', 'technology', 'market', 'fit'];

export interface Question {
  key: string;
  label_zh: string;
  label_en: string;
  type: QuestionType | string;
  required: boolean;
  /** choice only */
  options?: string[];
  /** money only */
  unit?: MoneyUnit | string;
}

export type CallStatus = 'draft' | 'open' | 'closed';
export const CALL_STATUSES: readonly CallStatus[] = ['draft', 'open', 'closed'];

export interface IntakeCall {
  id: string;
  region_id: string;
  carrier_id: string;
  title_zh: string;
  title_en: string;
  /** YYYY-MM-DD */
  opens_on: string;
  closes_on: string;
  eligibility: string;
  materials: string[];
  questions: Question[];
  criteria: string[];
  capacity: number;
  status: CallStatus | string;
  created_at: string;
  updated_at: string;
}

/** IntakeCallInput is the create body (every field) and the PATCH body (fields present change). */
export interface IntakeCallInput {
  title_zh?: string;
  title_en?: string;
  opens_on?: string;
  closes_on?: string;
  eligibility?: string;
  materials?: string[];
  questions?: Question[];
  criteria?: string[];
  capacity?: number;
}

export const listIntakeCalls = async (carrierId: string, query?: Query, signal?: AbortSignal) =>
  toPage(await api<Page<IntakeCall>>(`/carriers/${seg(carrierId)}/intake-calls`, { query, signal }));
export const getIntakeCall = (id: string, signal?: AbortSignal) => api<IntakeCall>(`/intake-calls/${seg(id)}`, { signal });
export const createIntakeCall = (carrierId: string, body: IntakeCallInput) =>
  api<IntakeCall>(`/carriers/${seg(carrierId)}/intake-calls`, { method: 'POST', body });
export const updateIntakeCall = (id: string, body: IntakeCallInput) =>
  api<IntakeCall>(`/intake-calls/${seg(id)}`, { method: 'PATCH', body });
export const openIntakeCall = (id: string) => api<IntakeCall>(`/intake-calls/${seg(id)}/open`, { method: 'POST' });
export const closeIntakeCall = (id: string) => api<IntakeCall>(`/intake-calls/${seg(id)}/close`, { method: 'POST' });

// ---- Applications --------------------------------------------------------

export type ApplicationStatus = 'draft' | 'submitted' | 'reviewing' | 'admitted' | 'rejected' | 'withdrawn';
/** The statuses the inbox filters on (drafts are the applicant's own). */
export const INBOX_STATUSES: readonly ApplicationStatus[] = ['submitted', 'reviewing', 'admitted', 'rejected', 'withdrawn'];
export type Decision = 'admit' | 'reject';

/**
 * MaterialSlot is one required material of an application, as the incubatees
 * service last heard from the documents service ("" status: nothing uploaded).
 */
export interface MaterialSlot {
  type: string;
  document_id: string;
  status?: '' | 'uploaded' | 'verified' | 'returned' | string;
  version?: number;
  filename?: string;
}

export interface ApplicationReview {
  reviewer_id: string;
  scores: Record<string, number>;
  comment: string;
  at: string;
}

export interface Application {
  id: string;
  call_id: string;
  call_title_zh: string;
  carrier_id: string;
  region_id: string;
  company_id: string;
  company_name_zh?: string;
  status: ApplicationStatus | string;
  answers: Record<string, unknown>;
  materials: MaterialSlot[];
  reason: string;
  decided_at: string | null;
  submitted_at: string | null;
  created_at: string;
  updated_at: string;
  /** Only for the carrier's staff and the district. */
  reviews?: ApplicationReview[];
}

export interface ApplicationQuery extends Query {
  status?: string;
  q?: string;
  page?: number;
  page_size?: number;
  sort?: string;
}

export const listApplications = async (carrierId: string, query: ApplicationQuery, signal?: AbortSignal) =>
  toPage(await api<Page<Application>>(`/carriers/${seg(carrierId)}/applications`, { query, signal }));
export const getApplication = (id: string, signal?: AbortSignal) => api<Application>(`/applications/${seg(id)}`, { signal });
export const reviewApplication = (id: string, scores: Record<string, number>, comment: string) =>
  api<Application>(`/applications/${seg(id)}/reviews`, { method: 'POST', body: { scores, comment } });
export const decideApplication = (id: string, decision: Decision, reason: string) =>
  api<Application>(`/applications/${seg(id)}/decision`, { method: 'POST', body: { decision, reason } });
/**
 * decideApplications decides several applications, all or nothing; a failure
 * is a 422 whose field errors name each failing id as "ids.<id>".
 */
export const decideApplications = (carrierId: string, ids: string[], decision: Decision, reason: string) =>
  api<{ items: Application[] }>(`/carriers/${seg(carrierId)}/applications/decisions`, {
    method: 'POST',
    body: { ids, decision, reason },
  });

// ---- Residencies ----------------------------------------------------------

export type ResidencyStatus = 'admitted' | 'in_residence' | 'graduated' | 'exited' | 'promoted';
export const RESIDENCY_STATUSES: readonly ResidencyStatus[] = ['admitted', 'in_residence', 'graduated', 'exited', 'promoted'];
export const GRADUATION_REASONS = ['high_tech_certificate', 'financing', 'revenue', 'acquired_or_listed', 'other'] as const;
/** What may travel in a promotion's handoff packet; the profile always does. */
export const SHARED_ITEMS = ['profile', 'latest_metrics', 'milestones'] as const;

export interface Evaluation {
  rule_pack_version: number;
  at: string;
  term_months: number;
  term_end_on?: string;
  overstaying: boolean;
  entry_age_months?: number;
  entry_age_exceeded: boolean;
  graduation_met: string[] | null;
}

export interface Residency {
  id: string;
  company_id: string;
  company_name: string;
  company_key: string;
  industry_code: string;
  carrier_id: string;
  carrier_name: string;
  carrier_name_en: string;
  carrier_kind: string;
  chain_order: number;
  region_id: string;
  status: ResidencyStatus | string;
  application_id?: string;
  promoted_from_id?: string;
  admitted_on: string;
  moved_in_on?: string;
  unit?: string;
  area_m2?: number;
  term_end_on?: string;
  rule_pack_version?: number;
  ended_on?: string;
  outcome?: string;
  reason?: string;
  overstaying: boolean;
  evaluation?: Evaluation;
  updated_at: string;
}

export interface ResidencyQuery extends Query {
  status?: string;
  industry?: string;
  overstaying?: boolean;
  page?: number;
  page_size?: number;
}

export type PromotionStatus = 'proposed' | 'consented' | 'accepted';

export interface Promotion {
  id: string;
  residency_id: string;
  company_id: string;
  from_carrier_id: string;
  from_kind: string;
  from_chain_order: number;
  to_carrier_id: string;
  to_kind: string;
  to_chain_order: number;
  status: PromotionStatus | string;
  note: string;
  shared: string[];
  packet?: unknown;
  new_residency_id?: string;
  created_at: string;
  updated_at: string;
}

export interface MoveInInput {
  moved_in_on: string;
  unit: string;
  area_m2: number;
}

export interface EndInput {
  reason: string;
  /** YYYY-MM-DD; empty means today. */
  on: string;
}

export const listResidencies = async (carrierId: string, query: ResidencyQuery, signal?: AbortSignal) =>
  toPage(await api<Page<Residency>>(`/carriers/${seg(carrierId)}/residencies`, { query, signal }));
export const getResidency = (id: string, signal?: AbortSignal) => api<Residency>(`/residencies/${seg(id)}`, { signal });

/** A carrier a residency may be promoted to (same region, higher in the chain, active). */
export interface PromotionTarget {
  id: string;
  kind: string;
  chain_order: number;
  name_zh: string;
  name_en: string;
}

/** promotionTargets comes from the incubatees service: park staff cannot list other carriers in parks. */
export const promotionTargets = async (id: string, signal?: AbortSignal) =>
  (await api<Page<PromotionTarget>>(`/residencies/${seg(id)}/promotion/targets`, { signal })).items;
export const moveIn = (id: string, body: MoveInInput) =>
  api<Residency>(`/residencies/${seg(id)}/move-in`, { method: 'POST', body });
export const graduate = (id: string, body: EndInput) =>
  api<Residency>(`/residencies/${seg(id)}/graduate`, { method: 'POST', body });
export const exitResidency = (id: string, body: EndInput) =>
  api<Residency>(`/residencies/${seg(id)}/exit`, { method: 'POST', body });
export const proposePromotion = (id: string, toCarrierId: string, note: string, shared: string[]) =>
  api<Promotion>(`/residencies/${seg(id)}/promotions`, { method: 'POST', body: { to_carrier_id: toCarrierId, note, shared } });
export const getPromotion = (id: string, signal?: AbortSignal) => api<Promotion>(`/residencies/${seg(id)}/promotion`, { signal });
export const acceptPromotion = (id: string) => api<Promotion>(`/residencies/${seg(id)}/promotion/accept`, { method: 'POST' });
export const companyChain = async (companyId: string, signal?: AbortSignal) =>
  toPage(await api<Page<Residency>>(`/companies/${seg(companyId)}/chain`, { signal }));

// ---- Metric reports -------------------------------------------------------

export type ReportStatus = 'missing' | 'draft' | 'submitted' | 'accepted' | 'returned';
export const REPORT_STATUSES: readonly ReportStatus[] = ['missing', 'draft', 'submitted', 'accepted', 'returned'];

export interface CarrierReportRow {
  company_id: string;
  company_key: string;
  name_zh: string;
  name_en: string;
  period: string;
  status: ReportStatus | string;
  revision: number;
  submitted_at?: string;
  due_on: string;
  /** Negative once overdue. */
  due_in_days: number;
  overdue: boolean;
  reminder_due: boolean;
}

export interface CarrierReportPage extends Page<CarrierReportRow> {
  period: string;
  due_on: string;
  counts: Record<string, number>;
}

export interface CarrierReportQuery extends Query {
  period?: string;
  status?: string;
  overdue?: boolean;
  reminders?: boolean;
  page?: number;
  page_size?: number;
}

export interface MetricValue {
  /** In 元 for money (unit "yuan"), else a count. */
  value: number;
  unit?: string;
  entered: number;
  entered_unit?: string;
}

export interface ReportWarning {
  field: string;
  code: string;
  params?: Record<string, unknown>;
}

export interface ReportRevision {
  revision: number;
  metrics: Record<string, MetricValue>;
  explanations: Record<string, string>;
  warnings: ReportWarning[];
  submitted: boolean;
  created_by: string;
  created_at: string;
}

export interface MetricReport {
  id: string;
  company_id: string;
  period: string;
  cadence: string;
  period_end: string;
  due_on: string;
  status: ReportStatus | string;
  revision: number;
  submitted_at?: string;
  reviewed_at?: string;
  review_comment?: string;
  latest?: ReportRevision;
  revisions?: ReportRevision[];
}

/** The indicators in the Torch survey's order, with their kind. */
export const METRICS: readonly { key: string; money: boolean }[] = [
  { key: 'revenue', money: true },
  { key: 'net_profit', money: true },
  { key: 'rd_expenditure', money: true },
  { key: 'taxes_paid', money: true },
  { key: 'exports', money: true },
  { key: 'employees_total', money: false },
  { key: 'employees_phd', money: false },
  { key: 'employees_college_plus', money: false },
  { key: 'employees_returnee', money: false },
  { key: 'new_graduates_hired', money: false },
  { key: 'ip_filed', money: false },
  { key: 'ip_granted', money: false },
  { key: 'ip_valid_invention', money: false },
  { key: 'ip_valid_software', money: false },
  { key: 'financing_rounds', money: false },
  { key: 'financing_amount', money: true },
];

export const listCarrierReports = async (carrierId: string, query: CarrierReportQuery, signal?: AbortSignal) => {
  const res = await api<CarrierReportPage>(`/carriers/${seg(carrierId)}/reports`, { query, signal });
  return { ...toPage(res), period: res?.period ?? '', due_on: res?.due_on ?? '', counts: res?.counts ?? {} };
};
export const getReport = (companyId: string, period: string, signal?: AbortSignal) =>
  api<MetricReport>(`/companies/${seg(companyId)}/reports/${seg(period)}`, { signal });
export const reviewReport = (companyId: string, period: string, decision: 'accept' | 'return', comment: string) =>
  api<MetricReport>(`/companies/${seg(companyId)}/reports/${seg(period)}/review`, {
    method: 'POST',
    body: { decision, comment },
  });
