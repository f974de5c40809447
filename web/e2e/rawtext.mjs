// The pure half of the walks' text check: what, in a screen's visible text,
// reads as a leak rather than the console's language. Kept apart from
// lib.mjs (which launches a browser) so `node --test e2e/` can prove the
// check fails on each kind of leak.

/** ANTD_DEFAULTS are antd's English texts that show when its locale is not applied. */
export const ANTD_DEFAULTS = ['No data', '/ page', 'Items per page'];

/**
 * textProblems lists what in text reads as a leak: a snake_case key
 * (`business_license`, `admission_incomplete`), antd's untranslated
 * defaults ("No data", "/ page"), a MIME type (`application/pdf`).
 */
export function textProblems(text) {
  const out = [];
  for (const m of text.matchAll(/\b[a-z]+(?:_[a-z]+)+\b/g)) out.push(`key "${m[0]}"`);
  for (const s of ANTD_DEFAULTS) if (text.includes(s)) out.push(`antd default "${s}"`);
  for (const m of text.matchAll(/\b(?:application|image|text|audio|video|font)\/[\w.+-]+/g)) out.push(`MIME type "${m[0]}"`);
  return [...new Set(out)];
}

/** isChineseScreen says whether a page whose <html lang> is lang is meant to read in Chinese. */
export function isChineseScreen(lang) {
  return /^zh(?:-|$)/i.test(lang || '');
}
