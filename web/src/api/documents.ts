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
import {
  API_BASE,
  ApiError,
  buildUrl,
  client,
  CSRF_HEADER,
  csrfToken,
  data,
  filters,
  keepColons,
  notifyUnauthorized,
  parseProblem,
  type Query,
  type Schemas,
} from './client';

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

export type DocumentType = Schemas['documents_DocumentTypeDTO'];
export type Document = Schemas['documents_DocumentDTO'];
export type Version = Schemas['documents_VersionDTO'];
export type Slot = Schemas['documents_SlotDTO'];
export type Checklist = Schemas['documents_ChecklistDTO'];
export type AuditEntry = Schemas['documents_AuditDTO'];
/** DocumentUsage is a carrier's stored bytes against its quota. */
export type DocumentUsage = Schemas['documents_UsageDTO'];
/** ReusableDocument is a company's verified material a later checklist may reuse. */
export type ReusableDocument = Schemas['documents_ReusableDocumentDTO'];
/** Reuse says where a reused version came from and who verified it when. */
export type Reuse = Schemas['documents_ReuseDTO'];
export type DocumentStatus = Document['status'];
export const DOCUMENT_STATUSES: readonly DocumentStatus[] = ['uploaded', 'verified', 'returned'];

/** The audit actions the console names (the service writes "document.<action>"). */
export const AUDIT_ACTIONS = ['upload', 'reuse', 'download', 'verify', 'return', 'delete', 'purge', 'content_missing'] as const;

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

export const listDocumentTypes = (regionId: string, signal?: AbortSignal) =>
  data(client.GET('/api/v1/regions/{id}/document-types', { params: { path: { id: regionId }, query: filters({ page_size: 100 }) }, signal }));

export const listCompanyDocuments = (companyId: string, query: DocumentQuery = {}, signal?: AbortSignal) =>
  data(client.GET('/api/v1/companies/{id}/documents', { params: { path: { id: companyId }, query: filters(query) }, signal }));
/** listCarrierDocuments lists what companies handed to a carrier (its park staff; the district reads). */
export const listCarrierDocuments = (carrierId: string, query: DocumentQuery = {}, signal?: AbortSignal) =>
  data(client.GET('/api/v1/carriers/{id}/documents', { params: { path: { id: carrierId }, query: filters(query) }, signal }));
/** listRegionDocuments is the district's register: metadata of every document in the region. */
export const listRegionDocuments = (regionId: string, query: DocumentQuery = {}, signal?: AbortSignal) =>
  data(client.GET('/api/v1/regions/{id}/documents', { params: { path: { id: regionId }, query: filters(query) }, signal }));
export const carrierDocumentUsage = (carrierId: string, signal?: AbortSignal) =>
  data(client.GET('/api/v1/carriers/{id}/document-usage', { params: { path: { id: carrierId } }, signal }));
/** getDocument returns the document with its versions, newest first. */
export const getDocument = (id: string, signal?: AbortSignal) => data(client.GET('/api/v1/documents/{id}', { params: { path: { id } }, signal }));
/** getChecklist reads "application:<id>"; the colon stays literal in the path, as the contract writes it. */
export const getChecklist = (id: string, signal?: AbortSignal) =>
  data(client.GET('/api/v1/checklists/{id}', { params: { path: { id } }, pathSerializer: keepColons, signal }));
/** listReusableDocuments lists the company's verified materials (of one type, or all), newest verification first. */
export const listReusableDocuments = (companyId: string, type?: string, signal?: AbortSignal) =>
  data(client.GET('/api/v1/companies/{id}/documents/reusable', { params: { path: { id: companyId }, query: filters({ type }) }, signal }));
/** reuseDocument copies a verified material into checklist's slot of type; the copy is a fresh upload there. */
export const reuseDocument = (checklistId: string, sourceDocumentId: string, type: string) =>
  data(
    client.POST('/api/v1/checklists/{id}/documents/reuse', {
      params: { path: { id: checklistId } },
      pathSerializer: keepColons,
      body: { source_document_id: sourceDocumentId, type },
    }),
  );
export const verifyDocument = (id: string, comment?: string) =>
  data(client.POST('/api/v1/documents/{id}/verify', { params: { path: { id } }, body: comment ? { comment } : {} }));
/** returnDocument sends the latest version back; the comment is required. */
export const returnDocument = (id: string, comment: string) =>
  data(client.POST('/api/v1/documents/{id}/return', { params: { path: { id } }, body: { comment } }));
/** deleteDocument soft-deletes a document (company members; not once verified). */
export const deleteDocument = (id: string) => data(client.DELETE('/api/v1/documents/{id}', { params: { path: { id } } }));
/** documentAudit lists a document's audit trail, newest first (paged like the other lists). */
export const documentAudit = (id: string, query: Pick<DocumentQuery, 'page' | 'page_size'> = {}, signal?: AbortSignal) =>
  data(client.GET('/api/v1/documents/{id}/audit', { params: { path: { id }, query: filters(query) }, signal }));

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

function retryAfter(xhr: XMLHttpRequest): number | undefined {
  const v = xhr.getResponseHeader?.('Retry-After');
  if (!v) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
