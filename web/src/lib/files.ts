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

/**
 * formatMB shows a limit or a refused file's size as people read them, in MB
 * with one decimal ("20.0 MB", "0.3 MB"); below 100 KB, where that would read
 * 0.0 MB or 0.1 MB, as formatBytes does.
 */
export function formatMB(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n) || n < 0) return '';
  if (n < 100 * 1024) return formatBytes(n);
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

const KINDS: Record<string, { zh: string; en: string }> = {
  PDF: { zh: 'PDF', en: 'PDF' },
  JPG: { zh: 'JPG 图片', en: 'JPG image' },
  PNG: { zh: 'PNG 图片', en: 'PNG image' },
  GIF: { zh: 'GIF 图片', en: 'GIF image' },
  WEBP: { zh: 'WEBP 图片', en: 'WEBP image' },
  TIFF: { zh: 'TIFF 图片', en: 'TIFF image' },
  DOC: { zh: 'Word 文档', en: 'Word document' },
  DOCX: { zh: 'Word 文档', en: 'Word document' },
  XLS: { zh: 'Excel 表格', en: 'Excel spreadsheet' },
  XLSX: { zh: 'Excel 表格', en: 'Excel spreadsheet' },
  PPT: { zh: 'PPT 演示文稿', en: 'PowerPoint presentation' },
  PPTX: { zh: 'PPT 演示文稿', en: 'PowerPoint presentation' },
  ZIP: { zh: 'ZIP 压缩包', en: 'ZIP archive' },
  CSV: { zh: 'CSV 表格', en: 'CSV table' },
  TXT: { zh: '文本文件', en: 'text file' },
  OFD: { zh: 'OFD 电子文件', en: 'OFD e-document' },
};

/**
 * fileKindName names a MIME type as people know the kind of file:
 * "application/pdf" → PDF, "image/png" → PNG 图片 / PNG image, both Word
 * formats → Word 文档. Never the MIME type itself.
 */
export function fileKindName(ct: string, lang: 'zh-CN' | 'en'): string {
  const short = contentTypeName(ct);
  const kind = KINDS[short];
  if (kind) return lang === 'en' ? kind.en : kind.zh;
  if (ct.toLowerCase().startsWith('image/')) return lang === 'en' ? `${short} image` : `${short} 图片`;
  return short;
}

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
