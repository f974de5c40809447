/**
 * Rollups: the region's figures built from the services' events (rollups
 * service), the rows behind each figure and their exports. Every figure and
 * page answers with an ETag; the answers are kept here per URL and language
 * and asked again with If-None-Match, so an unchanged figure costs a 304.
 */
import { getLanguage } from '../i18n';
import { ApiError, buildUrl, client, filters, notifyUnauthorized, parseProblem, queryString, type Page, type Query, type Schemas } from './client';

export type RollupWindow = Schemas['rollups_Window'];
export type CarriersFigure = Schemas['rollups_CarriersFigure'];
export type CarrierGroup = Schemas['rollups_CarrierGroup'];
export type CarrierRow = Schemas['rollups_CarrierRow'];
/** The contract types `companies` as an open object; its keys are the measures below. */
export type FlowsFigure = Omit<Schemas['rollups_FlowsFigure'], 'companies'> & { companies: Record<ResidencyMeasure, number> };
export type ResidencyRow = Schemas['rollups_ResidencyRow'];
export type FunnelFigure = Schemas['rollups_FunnelFigure'];
export type FunnelStep = Schemas['rollups_FunnelStep'];
export type FunnelRow = Schemas['rollups_FunnelRow'];
export type LadderFigure = Schemas['rollups_LadderFigure'];
export type LadderRung = Schemas['rollups_LadderRung'];
export type LadderRow = Schemas['rollups_LadderRow'];
export type ReportsFigure = Schemas['rollups_ReportsFigure'];
export type ReportSums = Schemas['rollups_Sums'];
export type ReportLine = Schemas['rollups_ReportLine'];
export type HealthFigure = Schemas['rollups_HealthFigure'];
export type CarrierHealth = Schemas['rollups_CarrierHealth'];
export type HealthRow = Schemas['rollups_HealthRow'];
export type MilestonesFigure = Schemas['rollups_MilestonesFigure'];
export type CarrierMilestones = Schemas['rollups_CarrierMilestones'];
export type MilestoneRow = Schemas['rollups_MilestoneRow'];
export type Conflict = Schemas['rollups_Conflict'];

export const RESIDENCY_MEASURES = ['in_residence', 'admitted', 'moved_in', 'graduated', 'exited', 'promoted', 'past_term'] as const;
export type ResidencyMeasure = (typeof RESIDENCY_MEASURES)[number];
export const FUNNEL_STEPS = ['maker_space', 'incubator', 'accelerator', 'science_park'] as const;
export const LADDER_STEPS = ['tech_sme', 'high_tech', 'leading'] as const;
export type LadderStep = (typeof LADDER_STEPS)[number];
export const LADDER_MEASURES = ['holding', 'new', 'expiring'] as const;
export type LadderMeasure = (typeof LADDER_MEASURES)[number];
/** Of the milestones due in the period: all planned, still asked for, verified, overdue, waived. */
export const MILESTONE_MEASURES = ['planned', 'due', 'verified', 'overdue', 'waived'] as const;
export type MilestoneMeasure = (typeof MILESTONE_MEASURES)[number];
export const SUM_KEYS = ['rd_expenditure', 'revenue', 'taxes_paid', 'employees_total', 'ip_filed', 'ip_granted', 'financing_amount'] as const;
export type SumKey = (typeof SUM_KEYS)[number];
/** The money sums, in 千元 (Torch units). */
export const MONEY_SUMS: ReadonlySet<SumKey> = new Set(['rd_expenditure', 'revenue', 'taxes_paid', 'financing_amount']);

/** The filters every rollups route takes; `period` and `as_of` exclude each other. */
export interface RollupFilters {
  period?: string;
  as_of?: string;
  carrier_kind?: string;
  carrier_id?: string;
  industry?: string;
}

/** The tables that open from a figure (and export). */
export type RollupTable = 'carriers' | 'residencies' | 'funnel' | 'ladder' | 'reports' | 'health' | 'milestones' | 'conflicts';
export type ExportFormat = 'xlsx' | 'csv';

/** RowQuery is a drill-down: the filters, the table's own selector (measure / step), paging and search. */
export interface RowQuery extends RollupFilters {
  measure?: string;
  step?: string;
  q?: string;
  page?: number;
  page_size?: number;
}

export interface RowTypes {
  carriers: CarrierRow;
  residencies: ResidencyRow;
  funnel: FunnelRow;
  ladder: LadderRow;
  reports: ReportLine;
  health: HealthRow;
  milestones: MilestoneRow;
  conflicts: Conflict;
}

const FIGURE_PATHS = {
  carriers: '/api/v1/regions/{id}/rollups/carriers',
  residencies: '/api/v1/regions/{id}/rollups/residencies',
  funnel: '/api/v1/regions/{id}/rollups/funnel',
  ladder: '/api/v1/regions/{id}/rollups/ladder',
  reports: '/api/v1/regions/{id}/rollups/reports',
  health: '/api/v1/regions/{id}/rollups/health',
  milestones: '/api/v1/regions/{id}/rollups/milestones',
} as const;

const ROW_PATHS = {
  carriers: '/api/v1/regions/{id}/rollups/carriers/rows',
  residencies: '/api/v1/regions/{id}/rollups/residencies/rows',
  funnel: '/api/v1/regions/{id}/rollups/funnel/rows',
  ladder: '/api/v1/regions/{id}/rollups/ladder/rows',
  reports: '/api/v1/regions/{id}/rollups/reports/rows',
  health: '/api/v1/regions/{id}/rollups/health/rows',
  milestones: '/api/v1/regions/{id}/rollups/milestones/rows',
  conflicts: '/api/v1/regions/{id}/rollups/conflicts',
} as const;

type RollupPath = (typeof FIGURE_PATHS)[keyof typeof FIGURE_PATHS] | (typeof ROW_PATHS)[keyof typeof ROW_PATHS];

interface Tagged {
  etag: string;
  body: unknown;
}

/** The last answers with their ETags, newest last; a few hundred figures at most. */
const tagged = new Map<string, Tagged>();
const TAGGED_MAX = 300;

/** clearRollupCache forgets every remembered answer (tests; signing out). */
export function clearRollupCache(): void {
  tagged.clear();
}

/**
 * getTagged asks for one rollups route, sending the ETag of the answer kept
 * for the same URL and language; a 304 returns that kept answer.
 */
async function getTagged<T>(path: RollupPath, regionId: string, query: Query, signal?: AbortSignal): Promise<T> {
  const key = `${getLanguage()} ${path.replace('{id}', regionId)}?${queryString(query)}`;
  const kept = tagged.get(key);
  try {
    // The routes share one shape; the first one stands for all of them in the types.
    const res = await client.GET(path as typeof FIGURE_PATHS.carriers, {
      params: { path: { id: regionId }, query: filters(query), header: kept ? { 'If-None-Match': kept.etag } : undefined },
      signal,
    });
    const etag = res.response.headers.get('ETag');
    tagged.delete(key);
    if (etag) {
      tagged.set(key, { etag, body: res.data });
      if (tagged.size > TAGGED_MAX) tagged.delete(tagged.keys().next().value as string);
    }
    return res.data as T;
  } catch (e) {
    if (e instanceof ApiError && e.status === 304 && kept) return kept.body as T;
    throw e;
  }
}

const f = (x: RollupFilters): Query => ({ ...x });

export const getCarriersFigure = (regionId: string, x: RollupFilters, signal?: AbortSignal) =>
  getTagged<CarriersFigure>(FIGURE_PATHS.carriers, regionId, f(x), signal);
export const getFlows = (regionId: string, x: RollupFilters, signal?: AbortSignal) =>
  getTagged<FlowsFigure>(FIGURE_PATHS.residencies, regionId, f(x), signal);
export const getFunnel = (regionId: string, x: RollupFilters, signal?: AbortSignal) =>
  getTagged<FunnelFigure>(FIGURE_PATHS.funnel, regionId, f(x), signal);
export const getLadder = (regionId: string, x: RollupFilters, signal?: AbortSignal) =>
  getTagged<LadderFigure>(FIGURE_PATHS.ladder, regionId, f(x), signal);
export const getReports = (regionId: string, x: RollupFilters, signal?: AbortSignal) =>
  getTagged<ReportsFigure>(FIGURE_PATHS.reports, regionId, f(x), signal);
export const getHealth = (regionId: string, x: RollupFilters, signal?: AbortSignal) =>
  getTagged<HealthFigure>(FIGURE_PATHS.health, regionId, f(x), signal);
export const getMilestones = (regionId: string, x: RollupFilters, signal?: AbortSignal) =>
  getTagged<MilestonesFigure>(FIGURE_PATHS.milestones, regionId, f(x), signal);

/** listRows pages through the rows behind a figure (`conflicts` is itself a page). */
export function listRows<K extends RollupTable>(regionId: string, table: K, x: RowQuery, signal?: AbortSignal): Promise<Page<RowTypes[K]>> {
  return getTagged<Page<RowTypes[K]>>(ROW_PATHS[table], regionId, { ...x }, signal);
}

/** exportUrl is the export of a table with its filters (measure / step included). */
export function exportUrl(regionId: string, table: RollupTable, format: ExportFormat, x: RowQuery): string {
  const { page: _p, page_size: _s, q: _q, ...rest } = x;
  void _p;
  void _s;
  void _q;
  return buildUrl(`/regions/${encodeURIComponent(regionId)}/rollups/export`, { ...rest, table, format });
}

export interface Download {
  blob: Blob;
  filename: string;
  bytes: number;
}

/** filenameOf reads a Content-Disposition, preferring the UTF-8 name (filename*=UTF-8''…). */
export function filenameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // A broken escape: try the plain name.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1].trim() : fallback;
}

/**
 * downloadExport fetches an export as it streams, reporting the bytes received
 * so far (and the length when the server sends one), and returns the file.
 */
export async function downloadExport(
  regionId: string,
  table: RollupTable,
  format: ExportFormat,
  x: RowQuery,
  onProgress?: (received: number, total?: number) => void,
  signal?: AbortSignal,
): Promise<Download> {
  let res: Response;
  try {
    res = await globalThis.fetch(exportUrl(regionId, table, format, x), {
      method: 'GET',
      credentials: 'include',
      headers: { 'Accept-Language': getLanguage() },
      signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'network', detail: e instanceof Error ? e.message : String(e) });
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    if (res.status === 401) notifyUnauthorized();
    throw new ApiError(res.status, parseProblem(res.status, res.statusText, text));
  }
  const length = Number(res.headers.get('Content-Length'));
  const total = Number.isFinite(length) && length > 0 ? length : undefined;
  const type = res.headers.get('Content-Type') ?? (format === 'csv' ? 'text/csv' : 'application/octet-stream');
  const chunks: BlobPart[] = [];
  let received = 0;
  onProgress?.(0, total);
  const reader = res.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      onProgress?.(received, total);
    }
  } else {
    const buf = await res.arrayBuffer();
    chunks.push(buf);
    received = buf.byteLength;
    onProgress?.(received, total);
  }
  return { blob: new Blob(chunks, { type }), filename: filenameOf(res.headers.get('Content-Disposition'), `${table}.${format}`), bytes: received };
}

/** saveBlob hands a file to the browser's download. */
export function saveBlob(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
