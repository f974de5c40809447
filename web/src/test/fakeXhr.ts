import { vi } from 'vitest';

type Listener = ((e: ProgressEvent) => void) | null;

/**
 * FakeXHR stands in for XMLHttpRequest in uploads: it records the request
 * and lets a test (or an onSend responder) report progress and answer.
 */
export class FakeXHR {
  static instances: FakeXHR[] = [];
  static onSend: ((x: FakeXHR) => void) | undefined;

  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  withCredentials = false;
  status = 0;
  statusText = '';
  responseText = '';
  responseHeaders: Record<string, string> = {};
  aborted = false;
  upload: { onprogress: Listener } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }

  getResponseHeader(name: string): string | null {
    const k = Object.keys(this.responseHeaders).find((h) => h.toLowerCase() === name.toLowerCase());
    return k ? this.responseHeaders[k] : null;
  }

  send(body: unknown) {
    this.body = body;
    FakeXHR.instances.push(this);
    FakeXHR.onSend?.(this);
  }

  abort() {
    this.aborted = true;
    this.onabort?.();
  }

  /** progress reports loaded of total bytes sent. */
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true } as ProgressEvent);
  }

  /** reply answers with a status and a body (JSON unless a string). */
  reply(status: number, body?: unknown, headers: Record<string, string> = {}, statusText = '') {
    this.status = status;
    this.statusText = statusText;
    this.responseHeaders = headers;
    this.responseText = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    this.onload?.();
  }

  /** fail is a network failure. */
  fail() {
    this.onerror?.();
  }

  /** query is the request's query parameters. */
  get query(): Record<string, string> {
    return Object.fromEntries(new URL(this.url, 'http://x').searchParams);
  }

  get path(): string {
    return new URL(this.url, 'http://x').pathname;
  }
}

/** fakeXhr stubs the global XMLHttpRequest; onSend may answer each request. */
export function fakeXhr(onSend?: (x: FakeXHR) => void): FakeXHR[] {
  FakeXHR.instances = [];
  FakeXHR.onSend = onSend;
  vi.stubGlobal('XMLHttpRequest', FakeXHR);
  return FakeXHR.instances;
}
