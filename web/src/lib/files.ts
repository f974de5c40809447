/** Helpers for files: sizes, short names of MIME types, polling. */

/** formatBytes shows a size with a binary unit: 512 B, 1.5 KB, 20 MB. */
export function formatBytes(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const s = v >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(1).replace(/\.0$/, '');
  return `${s} ${units[i]}`;
}

const SHORT: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPG',
  'image/png': 'PNG',
  'image/gif': 'GIF',
  'image/webp': 'WEBP',
  'image/tiff': 'TIFF',
  'application/msword': 'DOC',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.ms-excel': 'XLS',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/vnd.ms-powerpoint': 'PPT',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PPTX',
  'application/zip': 'ZIP',
  'text/csv': 'CSV',
  'text/plain': 'TXT',
  'application/ofd': 'OFD',
};

/** contentTypeName is a short name for a MIME type: PDF, DOCX; the subtype otherwise. */
export function contentTypeName(ct: string): string {
  const known = SHORT[ct.toLowerCase()];
  if (known) return known;
  const sub = ct.split('/')[1] ?? ct;
  return sub.replace(/^x-/, '').toUpperCase();
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DOMException('aborted', 'AbortError'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface PollOptions {
  intervalMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * pollUntil calls fetch until done(value) holds or the time is up, waiting
 * intervalMs between tries; it returns the last value either way (a failed
 * try counts as "not yet" until the last one, whose error is thrown).
 */
export async function pollUntil<T>(
  fetch: (signal?: AbortSignal) => Promise<T>,
  done: (v: T) => boolean,
  { intervalMs = 300, timeoutMs = 5000, signal }: PollOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    let failure: unknown;
    let ok = false;
    try {
      value = await fetch(signal);
      ok = true;
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      failure = e;
    }
    if (ok && done(value as T)) return value as T;
    if (Date.now() + intervalMs > deadline) {
      if (ok) return value as T;
      throw failure;
    }
    await sleep(intervalMs, signal);
  }
}
