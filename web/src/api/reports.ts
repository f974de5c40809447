/** Periodic metric reports: the company files them, the carrier reviews them (incubatees service). */
import { client, data, filters, type Page, type Query, type Schemas } from './client';
import type { MoneyUnit } from './intakeCalls';

/** ReportRevision is one filing; the contract types its metrics as open objects, MetricValue is their shape. */
export type ReportRevision = Omit<Schemas['incubatees_RevisionDTO'], 'metrics' | 'explanations'> & {
  metrics: Record<string, MetricValue>;
  explanations: Record<string, string>;
};
export type MetricReport = Omit<Schemas['incubatees_ReportDTO'], 'latest' | 'revisions'> & {
  latest?: ReportRevision;
  /** oldest first; only on the single-report route */
  revisions?: ReportRevision[];
};
/** A plausibility warning; a submission needs an explanation for its field. */
export type ReportWarning = Schemas['incubatees_WarningDTO'];
export type CarrierReportRow = Schemas['incubatees_CarrierReportDTO'];
export type CarrierReportPage = Schemas['incubatees_CarrierReportPage'];
export type ReportStatus = CarrierReportRow['status'];
export const REPORT_STATUSES: readonly ReportStatus[] = ['missing', 'draft', 'submitted', 'accepted', 'returned'];

/** The units a company may report money in, in the order the form offers them. */
export const MONEY_UNITS: readonly MoneyUnit[] = ['thousand_yuan', 'yuan'];

/**
 * MetricValue is one figure of a revision: normalized (money in 元) and as
 * the company typed it. The contract types a revision's metrics as an open
 * object, so its shape is written here.
 */
export interface MetricValue {
  value: number;
  unit?: string;
  entered: number;
  entered_unit?: MoneyUnit;
}

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

export interface ReportBody {
  metrics: Record<string, MetricInput>;
  explanations: Record<string, string>;
  submit: boolean;
}

export interface CarrierReportQuery extends Query {
  period?: string;
  status?: string;
  overdue?: boolean;
  reminders?: boolean;
  page?: number;
  page_size?: number;
}

// The company's side.

export const listReports = (companyId: string, query?: Query, signal?: AbortSignal) =>
  data<Page<MetricReport>>(client.GET('/api/v1/companies/{id}/reports', { params: { path: { id: companyId }, query: filters({ page_size: 100, ...query }) }, signal }));
export const getReport = (companyId: string, period: string, signal?: AbortSignal) =>
  data<MetricReport>(client.GET('/api/v1/companies/{id}/reports/{period}', { params: { path: { id: companyId, period } }, signal }));
/** fileReport files a period's first report (draft or submitted). */
export const fileReport = (companyId: string, period: string, body: ReportBody) =>
  data<MetricReport>(client.POST('/api/v1/companies/{id}/reports', { params: { path: { id: companyId } }, body: { period, ...body } }));
/** reviseReport adds a revision to a period already filed. */
export const reviseReport = (companyId: string, period: string, body: ReportBody) =>
  data<MetricReport>(client.POST('/api/v1/companies/{id}/reports/{period}/revisions', { params: { path: { id: companyId, period } }, body }));

// The carrier's side.

export const listCarrierReports = (carrierId: string, query: CarrierReportQuery, signal?: AbortSignal) =>
  data(client.GET('/api/v1/carriers/{id}/reports', { params: { path: { id: carrierId }, query: filters(query) }, signal }));
export const reviewReport = (companyId: string, period: string, decision: 'accept' | 'return', comment: string) =>
  data<MetricReport>(client.POST('/api/v1/companies/{id}/reports/{period}/review', { params: { path: { id: companyId, period } }, body: { decision, comment } }));
