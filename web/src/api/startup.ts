/**
 * API calls and shapes of the startup side of the incubation flow (incubatees
 * service): open intake calls and applications, periodic metric reports, the
 * cultivation ladder, and the company's own chain of residencies.
 */
import { api, type Query } from './client';
import { toPage } from './endpoints';
import type { Page } from './types';

const seg = encodeURIComponent;

// Intake calls and applications.

export type QuestionType = 'text' | 'number' | 'money' | 'date' | 'choice' | 'file';
/** Money is whole 元 or 千元 (Torch reports in 千元); the unit is always explicit. */
export type MoneyUnit = 'yuan' | 'thousand_yuan';
export const MONEY_UNITS: readonly MoneyUnit[] = ['thousand_yuan', 'yuan'];

export interface Question {
  key: string;
  label_zh: string;
  label_en: string;
  type: QuestionType | string;
  required: boolean;
  /** choice only */
  options?: string[];
  /** money only: the unit every answer must use */
  unit?: MoneyUnit;
}

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
  status: 'draft' | 'open' | 'closed' | string;
  created_at: string;
  updated_at: string;
}

export type ApplicationStatus = 'draft' | 'submitted' | 'reviewing' | 'admitted' | 'rejected' | 'withdrawn';
export const APPLICATION_STATUSES: readonly ApplicationStatus[] = ['draft', 'submitted', 'reviewing', 'admitted', 'rejected', 'withdrawn'];

/** MoneyAnswer is a money answer, in the question's unit. */
export interface MoneyAnswer {
  amount: number;
  unit: MoneyUnit;
}

/** An answer: text, date (YYYY-MM-DD), choice and file (a document id) are strings. */
export type Answer = string | number | MoneyAnswer;

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

export interface Application {
  id: string;
  call_id: string;
  call_title_zh: string;
  carrier_id: string;
  region_id: string;
  company_id: string;
  company_name_zh?: string;
  status: ApplicationStatus | string;
  answers: Record<string, Answer>;
  materials: MaterialSlot[];
  /** The decision's reason, shown to the applicant. */
  reason: string;
  decided_at: string | null;
  submitted_at: string | null;
  created_at: string;
  updated_at: string;
}

/** An application can be withdrawn until the carrier decides. */
export const canWithdraw = (s: string) => s === 'draft' || s === 'submitted' || s === 'reviewing';

export const listOpenIntakeCalls = async (regionId: string, query?: Query, signal?: AbortSignal) =>
  toPage(await api<Page<IntakeCall> | IntakeCall[]>(`/regions/${seg(regionId)}/intake-calls`, { query: { page_size: 100, ...query }, signal }));
export const getIntakeCall = (id: string, signal?: AbortSignal) => api<IntakeCall>(`/intake-calls/${seg(id)}`, { signal });
export const startApplication = (callId: string, companyId: string, answers: Record<string, Answer>) =>
  api<Application>(`/intake-calls/${seg(callId)}/applications`, { method: 'POST', body: { company_id: companyId, answers } });
export const getApplication = (id: string, signal?: AbortSignal) => api<Application>(`/applications/${seg(id)}`, { signal });
/** updateApplication replaces a draft's answers. */
export const updateApplication = (id: string, answers: Record<string, Answer>) =>
  api<Application>(`/applications/${seg(id)}`, { method: 'PATCH', body: { answers } });
export const submitApplication = (id: string) => api<Application>(`/applications/${seg(id)}/submit`, { method: 'POST' });
export const withdrawApplication = (id: string) => api<Application>(`/applications/${seg(id)}/withdraw`, { method: 'POST' });
export const listCompanyApplications = async (companyId: string, signal?: AbortSignal) =>
  toPage(await api<Page<Application> | Application[]>(`/companies/${seg(companyId)}/applications`, { signal }));

// Periodic metric reports.

export type MetricKind = 'money' | 'count';

export interface MetricDef {
  key: string;
  kind: MetricKind;
  /** may be negative (net profit) */
  signed?: boolean;
}

/** METRICS mirrors the server's indicator list (Torch survey), in form order. */
export const METRICS: readonly MetricDef[] = [
  { key: 'revenue', kind: 'money' },
  { key: 'net_profit', kind: 'money', signed: true },
  { key: 'rd_expenditure', kind: 'money' },
  { key: 'taxes_paid', kind: 'money' },
  { key: 'exports', kind: 'money' },
  { key: 'employees_total', kind: 'count' },
  { key: 'employees_phd', kind: 'count' },
  { key: 'employees_college_plus', kind: 'count' },
  { key: 'employees_returnee', kind: 'count' },
  { key: 'new_graduates_hired', kind: 'count' },
  { key: 'ip_filed', kind: 'count' },
  { key: 'ip_granted', kind: 'count' },
  { key: 'ip_valid_invention', kind: 'count' },
  { key: 'ip_valid_software', kind: 'count' },
  { key: 'financing_rounds', kind: 'count' },
  { key: 'financing_amount', kind: 'money' },
];

/** A metric as sent: a plain integer for counts, value and unit for money. */
export type MetricInput = number | { value: number; unit: MoneyUnit };

export interface MetricValue {
  /** normalized: money in 元 */
  value: number;
  unit?: 'yuan';
  /** what the company typed, in entered_unit */
  entered: number;
  entered_unit?: MoneyUnit;
}

/** A plausibility warning; a submission needs an explanation for its field. */
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

export type ReportStatus = 'draft' | 'submitted' | 'accepted' | 'returned';

export interface MetricReport {
  id: string;
  company_id: string;
  /** YYYY-MM or YYYY-Qn */
  period: string;
  cadence: 'monthly' | 'quarterly' | string;
  period_end: string;
  due_on: string;
  status: ReportStatus | string;
  revision: number;
  first_submitted_at?: string;
  submitted_at?: string;
  reviewed_by?: string;
  reviewed_at?: string;
  review_comment?: string;
  created_at: string;
  updated_at: string;
  latest?: ReportRevision;
  /** oldest first; only on the single-report route */
  revisions?: ReportRevision[];
  /** the warnings of this save */
  warnings?: ReportWarning[];
}

export interface ReportBody {
  metrics: Record<string, MetricInput>;
  explanations: Record<string, string>;
  submit: boolean;
}

export const listReports = async (companyId: string, query?: Query, signal?: AbortSignal) =>
  toPage(await api<Page<MetricReport> | MetricReport[]>(`/companies/${seg(companyId)}/reports`, { query: { page_size: 100, ...query }, signal }));
export const getReport = (companyId: string, period: string, signal?: AbortSignal) =>
  api<MetricReport>(`/companies/${seg(companyId)}/reports/${seg(period)}`, { signal });
/** fileReport files a period's first report (draft or submitted). */
export const fileReport = (companyId: string, period: string, body: ReportBody) =>
  api<MetricReport>(`/companies/${seg(companyId)}/reports`, { method: 'POST', body: { period, ...body } });
/** reviseReport adds a revision to a period already filed. */
export const reviseReport = (companyId: string, period: string, body: ReportBody) =>
  api<MetricReport>(`/companies/${seg(companyId)}/reports/${seg(period)}/revisions`, { method: 'POST', body });

// Cultivation ladder.

export type LadderStep = 'team_or_result' | 'startup' | 'tech_sme' | 'high_tech' | 'leading';
export const LADDER_STEPS: readonly LadderStep[] = ['team_or_result', 'startup', 'tech_sme', 'high_tech', 'leading'];
/** Steps that always come with an official number. */
export const CERTIFICATE_STEPS: readonly LadderStep[] = ['tech_sme', 'high_tech'];

export interface LadderEntry {
  id: string;
  step: LadderStep | string;
  step_rank: number;
  certificate_no: string;
  date: string;
  expiry?: string;
  expired: boolean;
  evidence_document_id: string;
  status: 'claimed' | 'verified' | string;
  recorded_by: string;
  recorded_at: string;
  verified_by?: string;
  verified_at?: string;
}

export interface LadderInput {
  step: string;
  certificate_no: string;
  date: string;
  /** empty: the step's default */
  expiry: string;
  evidence_document_id: string;
}

export const listLadder = async (companyId: string, signal?: AbortSignal) =>
  toPage(await api<Page<LadderEntry> | LadderEntry[]>(`/companies/${seg(companyId)}/ladder`, { signal }));
export const recordLadderStep = (companyId: string, body: LadderInput) =>
  api<LadderEntry>(`/companies/${seg(companyId)}/ladder`, { method: 'POST', body });

// Residencies, the chain and promotions.

export type ResidencyStatus = 'admitted' | 'in_residence' | 'graduated' | 'exited' | 'promoted';

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
  updated_at: string;
}

export const isOpenResidency = (s: string) => s === 'admitted' || s === 'in_residence';

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
  status: 'proposed' | 'consented' | 'accepted' | string;
  note: string;
  shared: string[];
  packet?: unknown;
  new_residency_id?: string;
  created_at: string;
  updated_at: string;
}

export const companyChain = async (companyId: string, signal?: AbortSignal) =>
  toPage(await api<Page<Residency> | Residency[]>(`/companies/${seg(companyId)}/chain`, { signal }));
export const getPromotion = (residencyId: string, signal?: AbortSignal) =>
  api<Promotion>(`/residencies/${seg(residencyId)}/promotion`, { signal });
export const consentPromotion = (residencyId: string) =>
  api<Promotion>(`/residencies/${seg(residencyId)}/promotion/consent`, { method: 'POST' });
