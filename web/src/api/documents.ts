/**
 * API calls and shapes of the documents service: a company's materials (each
 * upload into a document is a new version), the per-region document types,
 * and checklists such as the required materials of one application
 * ("application:<application id>"). The contract is docs' documents-api.
 *
 * Uploads go through XMLHttpRequest rather than fetch: only XHR reports
 * upload progress. The body is the raw file (not multipart); the service
 * sniffs the type itself.
 */
import { getLanguage } from '../i18n';
import { API_BASE, api, ApiError, buildUrl, CSRF_HEADER, csrfToken, notifyUnauthorized, type Problem, type Query } from './client';
import { toPage } from './endpoints';
import type { Page } from './types';

const seg = encodeURIComponent;

/** The type codes the service knows in every region, in the order forms offer them. */
export const DOCUMENT_TYPE_CODES = [
  'business_licence',
  'business_plan',
  'ip_certificate',
  'financial_statements',
  'rd_ledger',
  'milestone_evidence',
  'other',
] as const;

export interface DocumentType {
  code: string;
  name_zh: string;
  name_en: string;
  /** MIME types the service accepts for this type (sniffed, not the browser's guess) */
  content_types: string[];
  max_bytes: number;
}

export type DocumentStatus = 'uploaded' | 'verified' | 'returned' | 'deleted';
export const DOCUMENT_STATUSES: readonly DocumentStatus[] = ['uploaded', 'verified', 'returned'];

export interface Version {
  version: number;
  id: string;
  filename: string;
  size: number;
  sha256: string;
  content_type: string;
  uploaded_by: string;
  uploaded_at: string;
  status: DocumentStatus | string;
  comment: string;
}

export interface Document {
  id: string;
  region_id: string;
  /** "" when not tied to a carrier */
  carrier_id: string;
  company_id: string;
  type: string;
  /** "" or "application:<id>" */
  checklist_id: string;
  status: DocumentStatus | string;
  /** the operator's last verify/return comment */
  comment: string;
  reviewed_by: string;
  reviewed_at: string;
  /** the latest version number, 1-based */
  version: number;
  /** the latest version's original name */
  filename: string;
  size: number;
  sha256: string;
  /** sniffed by the service */
  content_type: string;
  uploaded_by: string;
  uploaded_at: string;
  created_at: string;
  updated_at: string;
  /** newest first; only on GET /documents/:id */
  versions?: Version[];
}

export interface Slot {
  type: string;
  required: boolean;
  document: Document | null;
}

export interface Checklist {
  /** "application:<application id>" */
  id: string;
  owner_kind: string;
  owner_id: string;
  region_id: string;
  carrier_id: string;
  company_id: string;
  /** uploads are accepted while open */
  open: boolean;
  /** every required slot holds an uploaded or verified document */
  complete: boolean;
  slots: Slot[];
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  detail?: unknown;
}

/** The audit actions the console names (the service writes "document.<action>"). */
export const AUDIT_ACTIONS = ['upload', 'download', 'verify', 'return', 'delete', 'purge', 'content_missing'] as const;

/** DocumentUsage is a carrier's stored bytes against its quota. */
export interface DocumentUsage {
  used_bytes: number;
  quota_bytes: number;
}

export interface DocumentQuery extends Query {
  type?: string;
  status?: string;
  checklist?: string;
  /** carrier and region lists: one company's documents */
  company?: string;
  /** region list: one carrier's documents */
  carrier?: string;
  /** the file name */
  q?: string;
  page?: number;
  page_size?: number;
}

/** applicationChecklistId names the checklist of an application's required materials. */
export const applicationChecklistId = (applicationId: string) => `application:${applicationId}`;

export const listDocumentTypes = async (regionId: string, signal?: AbortSignal) =>
  toPage(await api<Page<DocumentType> | DocumentType[]>(`/regions/${seg(regionId)}/document-types`, { query: { page_size: 100 }, signal }));

export const listCompanyDocuments = async (companyId: string, query: DocumentQuery = {}, signal?: AbortSignal) =>
  toPage(await api<Page<Document> | Document[]>(`/companies/${seg(companyId)}/documents`, { query, signal }));
/** listCarrierDocuments lists what companies handed to a carrier (its park staff; the district reads). */
export const listCarrierDocuments = async (carrierId: string, query: DocumentQuery = {}, signal?: AbortSignal) =>
  toPage(await api<Page<Document> | Document[]>(`/carriers/${seg(carrierId)}/documents`, { query, signal }));
/** listRegionDocuments is the district's register: metadata of every document in the region. */
export const listRegionDocuments = async (regionId: string, query: DocumentQuery = {}, signal?: AbortSignal) =>
  toPage(await api<Page<Document> | Document[]>(`/regions/${seg(regionId)}/documents`, { query, signal }));
export const carrierDocumentUsage = (carrierId: string, signal?: AbortSignal) =>
  api<DocumentUsage>(`/carriers/${seg(carrierId)}/document-usage`, { signal });
/** getDocument returns the document with its versions, newest first. */
export const getDocument = (id: string, signal?: AbortSignal) => api<Document>(`/documents/${seg(id)}`, { signal });
/** getChecklist reads "application:<id>"; the colon stays literal in the path, as the contract writes it. */
export const getChecklist = (id: string, signal?: AbortSignal) =>
  api<Checklist>(`/checklists/${seg(id).replace(/%3A/gi, ':')}`, { signal });
export const verifyDocument = (id: string, comment?: string) =>
  api<Document>(`/documents/${seg(id)}/verify`, { method: 'POST', body: comment ? { comment } : {} });
/** returnDocument sends the latest version back; the comment is required. */
export const returnDocument = (id: string, comment: string) =>
  api<Document>(`/documents/${seg(id)}/return`, { method: 'POST', body: { comment } });
/** deleteDocument soft-deletes a document (company members; not once verified). */
export const deleteDocument = (id: string) => api<void>(`/documents/${seg(id)}`, { method: 'DELETE' });
/** documentAudit lists a document's audit trail, newest first (paged like the other lists). */
export const documentAudit = async (id: string, query: Pick<DocumentQuery, 'page' | 'page_size'> = {}, signal?: AbortSignal) =>
  toPage(await api<Page<AuditEntry> | AuditEntry[]>(`/documents/${seg(id)}/audit`, { query, signal }));

/**
 * contentUrl is the streamed download of one version: the service answers
 * with Content-Disposition: attachment, so a plain link downloads the file
 * with the session cookie.
 */
export const contentUrl = (id: string, version: number) =>
  `${API_BASE}/documents/${seg(id)}/versions/${seg(String(version))}/content`;

export interface UploadProgress {
  loaded: number;
  total: number;
  /** 0–100 */
  percent: number;
}

export interface UploadOptions {
  /** the document type code */
  type: string;
  /** "application:<id>": the upload fills that checklist's slot of the type (a new version when filled) */
  checklistId?: string;
  carrierId?: string;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
}

/**
 * uploadDocument posts a file's bytes as a new document of the company (or a
 * new version of the checklist slot's document). It resolves the Document
 * and rejects with an ApiError carrying the parsed problem+json, localized by
 * the current UI language; a network failure is status 0.
 */
export function uploadDocument(companyId: string, file: Blob & { name?: string }, opts: UploadOptions): Promise<Document> {
  const url = buildUrl(`/companies/${seg(companyId)}/documents`, {
    type: opts.type,
    checklist: opts.checklistId,
    carrier: opts.carrierId,
    filename: file.name || 'upload',
  });
  return send(url, file, opts);
}

/** uploadVersion adds a new version to an existing document. */
export function uploadVersion(documentId: string, file: Blob & { name?: string }, opts: Omit<UploadOptions, 'type' | 'checklistId' | 'carrierId'> = {}): Promise<Document> {
  const url = buildUrl(`/documents/${seg(documentId)}/versions`, { filename: file.name || 'upload' });
  return send(url, file, opts);
}

function send(url: string, file: Blob, opts: Pick<UploadOptions, 'onProgress' | 'signal'>): Promise<Document> {
  return new Promise<Document>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new DOMException('The upload was aborted', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Accept-Language', getLanguage());
    // The service sniffs the type; this is only the browser's guess.
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    const token = csrfToken();
    if (token) xhr.setRequestHeader(CSRF_HEADER, token);

    const onAbort = () => xhr.abort();
    opts.signal?.addEventListener('abort', onAbort);
    const done = () => opts.signal?.removeEventListener('abort', onAbort);

    if (opts.onProgress && xhr.upload) {
      const report = opts.onProgress;
      xhr.upload.onprogress = (e: ProgressEvent) => {
        const total = e.lengthComputable && e.total > 0 ? e.total : file.size;
        const percent = total > 0 ? Math.min(100, Math.round((e.loaded / total) * 100)) : 0;
        report({ loaded: e.loaded, total, percent });
      };
    }
    xhr.onload = () => {
      done();
      const text = typeof xhr.responseText === 'string' ? xhr.responseText : '';
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(text) as Document);
        } catch {
          reject(new ApiError(xhr.status, { code: 'malformed-response', status: xhr.status }));
        }
        return;
      }
      if (xhr.status === 401) notifyUnauthorized();
      reject(new ApiError(xhr.status, parseProblem(xhr.status, xhr.statusText, text), retryAfter(xhr)));
    };
    xhr.onerror = () => {
      done();
      reject(new ApiError(0, { code: 'network', detail: 'network error' }));
    };
    xhr.onabort = () => {
      done();
      reject(new DOMException('The upload was aborted', 'AbortError'));
    };
    xhr.send(file);
  });
}

/** parseProblem reads a problem+json body; anything else (a proxy's HTML page) yields a bare problem. */
export function parseProblem(status: number, statusText: string, text: string): Problem {
  if (text) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const p = parsed as Problem;
        return { ...p, status: typeof p.status === 'number' ? p.status : status };
      }
    } catch {
      // Not JSON: fall through.
    }
  }
  return { status, title: statusText || undefined };
}

function retryAfter(xhr: XMLHttpRequest): number | undefined {
  const v = xhr.getResponseHeader?.('Retry-After');
  if (!v) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
