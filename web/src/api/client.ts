/**
 * The console's one HTTP client: openapi-fetch over the generated `paths` of
 * the gateway's merged OpenAPI document (schema.d.ts, made by `make api`), with
 * middleware for what every call needs — cookies, the language, the CSRF token
 * on unsafe methods, problem+json errors as ApiError, and the session's 401
 * handler. The resource modules beside this file (regions.ts, carriers.ts, …)
 * are the only callers.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { getLanguage } from '../i18n';
import type { components, paths } from './schema';

/** Schemas are the wire shapes of the contract, by component name. */
export type Schemas = components['schemas'];

/** Problem is the RFC 9457 body the services answer with on errors (partial: a proxy or the network may give less). */
export type Problem = Partial<Omit<Schemas['Problem'], 'errors'>> & { errors?: FieldError[] };

/** One entry of a problem+json `errors` array: a field that failed validation. */
export type FieldError = Omit<NonNullable<Schemas['Problem']['errors']>[number], 'message'> & { message?: string };

/** A list answer: one page of items with the totals. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
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

/** notifyUnauthorized is for calls made outside the client (uploads through XHR) that answered 401. */
export function notifyUnauthorized(): void {
  onUnauthorized?.();
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export const API_BASE = '/api/v1';

/** queryString keeps only the set parameters: an empty filter is no filter. */
export function queryString(query?: Query): string {
  if (!query) return '';
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    qs.set(k, String(v));
  }
  return qs.toString();
}

/** buildUrl is an /api/v1 URL with its query, for calls the client cannot make (uploads with progress, download links). */
export function buildUrl(path: string, query?: Query): string {
  const url = path.startsWith('/api/') ? path : `${API_BASE}${path.startsWith('/') ? '' : '/'}${path}`;
  const s = queryString(query);
  return s ? `${url}?${s}` : url;
}

function parseRetryAfter(v: string | null): number | undefined {
  if (!v) return undefined;
  const n = Number(v);
  if (Number.isFinite(n)) return n;
  const d = Date.parse(v);
  return Number.isNaN(d) ? undefined : Math.max(0, Math.round((d - Date.now()) / 1000));
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

/**
 * The session's own calls (sign-in, sign-out, who am I) and accepting an
 * invitation happen signed out: their 401 is an answer, not a lost session.
 */
function expectsSignedOut(schemaPath: string): boolean {
  return schemaPath.startsWith('/api/v1/auth/') || schemaPath === '/api/v1/invitations/{token}/accept';
}

/** headers sends the language, and the CSRF token on unsafe methods, with every call. */
const headers: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept', 'application/json, application/problem+json');
    request.headers.set('Accept-Language', getLanguage());
    if (!SAFE_METHODS.has(request.method)) {
      const token = csrfToken();
      if (token) request.headers.set(CSRF_HEADER, token);
    }
    return request;
  },
};

/** problems turns every failure into an ApiError, so callers only see data or a thrown error. */
const problems: Middleware = {
  async onResponse({ response, schemaPath }) {
    if (response.ok) {
      if (response.status === 204) return response;
      const text = await response.clone().text();
      if (!text) return new Response(null, { status: 204, headers: response.headers });
      try {
        JSON.parse(text);
      } catch {
        throw new ApiError(response.status, { code: 'malformed-response', status: response.status });
      }
      return response;
    }
    let text = '';
    try {
      text = await response.text();
    } catch {
      // An unreadable body still yields an error with the status.
    }
    if (response.status === 401 && !expectsSignedOut(schemaPath)) onUnauthorized?.();
    throw new ApiError(response.status, parseProblem(response.status, response.statusText, text), parseRetryAfter(response.headers.get('Retry-After')));
  },
  onError({ error }) {
    if (error instanceof ApiError || (error instanceof DOMException && error.name === 'AbortError')) return error;
    return new ApiError(0, { code: 'network', detail: error instanceof Error ? error.message : String(error) });
  },
};

const origin = () => (typeof location !== 'undefined' && location.origin !== 'null' ? location.origin : 'http://localhost');

/**
 * send hands the prepared request to the fetch of the moment (tests stub it)
 * as a same-origin path and a plain init, which is what a page's own fetch
 * would send.
 */
async function send(request: Request): Promise<Response> {
  const url = request.url.startsWith(origin()) ? request.url.slice(origin().length) : request.url;
  const hdrs: Record<string, string> = {};
  request.headers.forEach((v, k) => {
    hdrs[headerName(k)] = v;
  });
  const body = request.body ? await request.text() : undefined;
  return globalThis.fetch(url, {
    method: request.method,
    headers: hdrs,
    body: body || undefined,
    credentials: 'include',
    signal: request.signal,
  });
}

// Header names as the contract spells them (Headers lowercases them).
const HEADER_NAMES: Record<string, string> = { 'x-csrf-token': CSRF_HEADER };
function headerName(k: string): string {
  return HEADER_NAMES[k] ?? k.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

/** client is the typed client of the gateway's API; paths are the contract's ("/api/v1/…"). */
export const client = createClient<paths>({
  baseUrl: origin(),
  fetch: send,
  credentials: 'include',
  querySerializer: (q) => queryString(q as Query),
});
client.use(headers, problems);

/**
 * data waits for a call and returns its answer: failures have already been
 * thrown as ApiError by the middleware.
 */
export async function data<T>(call: Promise<{ data?: T }>): Promise<T>;
/** With T given: the contract's open objects refined to their known shape (see applications.ts, reports.ts). */
export async function data<T>(call: Promise<{ data?: unknown }>): Promise<T>;
export async function data<T>(call: Promise<{ data?: T }>): Promise<T> {
  return (await call).data as T;
}

/** The colon of "application:<id>" stays literal, as the contract writes checklist ids. */
export const keepColons = (pathname: string, params: Record<string, unknown>) =>
  pathname.replace(/\{([^}]+)\}/g, (m, name: string) => (params[name] == null ? m : encodeURIComponent(String(params[name])).replace(/%3A/gi, ':')));

/**
 * filters passes a list's query through. The contract declares page,
 * page_size, q and sort on every list; the filters a service reads beyond
 * those (kind, status, period, …) are not in its document yet, so they go
 * unchecked rather than unsent.
 */
export const filters = (query?: Query) => query as undefined;
