import { getLanguage } from '../i18n';

/** One entry of a problem+json `errors` array: a field that failed validation. */
export interface FieldError {
  field: string;
  code: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Problem is the RFC 9457 body the services answer with on errors. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  slug?: string;
  errors?: FieldError[];
}

/**
 * ApiError is every failure the client reports: an HTTP error carrying the parsed
 * problem, or (status 0) a network failure. Pages show `message`, which is the
 * server's localized detail when there is one.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  readonly fields: FieldError[];
  readonly retryAfter?: number;

  constructor(status: number, problem: Problem, retryAfter?: number) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.fields = Array.isArray(problem.errors) ? problem.errors.filter(isFieldError) : [];
    this.retryAfter = retryAfter;
  }

  get slug(): string | undefined {
    return this.problem.slug;
  }

  get code(): string | undefined {
    return this.problem.code;
  }

  /** fieldError returns the first error for a field, matched on its top-level name. */
  fieldError(field: string): FieldError | undefined {
    return this.fields.find((f) => topLevelField(f.field) === field);
  }
}

function isFieldError(v: unknown): v is FieldError {
  return typeof v === 'object' && v !== null && typeof (v as FieldError).field === 'string';
}

/** topLevelField turns `focus_industries[0]` or `focus_industries.0` into `focus_industries`. */
export function topLevelField(path: string): string {
  const m = /^[^.[\]]+/.exec(path.replace(/^\//, '').replace(/\//g, '.'));
  return m ? m[0] : path;
}

export const CSRF_COOKIE = 'incuchain_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// The login answer also carries the token; it is a fallback for the short moment
// a cookie jar has not yet exposed it (and for tests without document.cookie).
let csrfFromLogin: string | undefined;

export function rememberCsrfToken(token: string | undefined): void {
  csrfFromLogin = token || undefined;
}

export function readCookie(name: string, cookieString?: string): string | undefined {
  const source = cookieString ?? (typeof document === 'undefined' ? '' : document.cookie);
  for (const part of source.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

export function csrfToken(): string | undefined {
  return readCookie(CSRF_COOKIE) || csrfFromLogin;
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler | undefined;

/** setUnauthorizedHandler lets the session layer react when a call answers 401. */
export function setUnauthorizedHandler(h: UnauthorizedHandler | undefined): void {
  onUnauthorized = h;
}

/** notifyUnauthorized is for calls made outside api() (uploads through XHR) that answered 401. */
export function notifyUnauthorized(): void {
  onUnauthorized?.();
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not fire the global 401 handler (used by login and the session probe). */
  skipAuthRedirect?: boolean;
}

export const API_BASE = '/api/v1';

export function buildUrl(path: string, query?: Query): string {
  const url = path.startsWith('/api/') ? path : `${API_BASE}${path.startsWith('/') ? '' : '/'}${path}`;
  if (!query) return url;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${url}?${s}` : url;
}

function parseRetryAfter(v: string | null): number | undefined {
  if (!v) return undefined;
  const n = Number(v);
  if (Number.isFinite(n)) return n;
  const d = Date.parse(v);
  return Number.isNaN(d) ? undefined : Math.max(0, Math.round((d - Date.now()) / 1000));
}

/**
 * api performs one call against /api/v1: it sends cookies, the current language
 * and, on unsafe methods, the CSRF token; it returns the parsed JSON (undefined
 * for 204) or throws ApiError.
 */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': getLanguage(),
  };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (!SAFE_METHODS.has(method)) {
    const token = csrfToken();
    if (token) headers[CSRF_HEADER] = token;
  }

  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'include',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'network', detail: e instanceof Error ? e.message : String(e) });
  }

  if (res.ok) {
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(res.status, { code: 'malformed-response', status: res.status });
    }
  }

  const problem = await readProblem(res);
  if (res.status === 401 && !opts.skipAuthRedirect) onUnauthorized?.();
  throw new ApiError(res.status, problem, parseRetryAfter(res.headers.get('Retry-After')));
}

async function readProblem(res: Response): Promise<Problem> {
  let text = '';
  try {
    text = await res.text();
  } catch {
    // An unreadable body still yields an error with the status.
  }
  if (text) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') {
        const p = parsed as Problem;
        return { ...p, status: typeof p.status === 'number' ? p.status : res.status };
      }
    } catch {
      // Not JSON (a proxy's HTML page, say): fall through to a bare problem.
    }
  }
  return { status: res.status, title: res.statusText || undefined };
}
