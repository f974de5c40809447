/**
 * Keys from labels. The incubatees service names review dimensions and
 * application questions by keys of the shape [a-z][a-z0-9_]{0,39}; a park
 * admin names them in Chinese. The console therefore never asks for a key:
 * a dimension's key spells its label's characters as u+4 hex digits each
 * ("商业模式" → "u5546u4e1au6a21u5f0f"), so the label comes back from the key
 * wherever the dimension is shown, and a question (which carries its own
 * labels) gets the next free "q<n>".
 */

const KEY_SHAPE = /^[a-z][a-z0-9_]{0,39}$/;
const ENCODED = /^(?:u[0-9a-f]{4})+$/;

/** MAX_LABEL_CHARS is the longest label a key can spell: 8 × 5 = 40 characters. */
export const MAX_LABEL_CHARS = 8;

/** keyFromLabel spells a label as a key; undefined when it is empty, too long or outside the BMP. */
export function keyFromLabel(label: string): string | undefined {
  const chars = [...label.trim()];
  if (chars.length === 0 || chars.length > MAX_LABEL_CHARS) return undefined;
  let key = '';
  for (const c of chars) {
    const code = c.codePointAt(0) ?? 0;
    if (code > 0xffff || code < 0x20) return undefined;
    key += 'u' + code.toString(16).padStart(4, '0');
  }
  return KEY_SHAPE.test(key) ? key : undefined;
}

/** labelFromKey reads back a key made by keyFromLabel; undefined for any other key. */
export function labelFromKey(key: string): string | undefined {
  if (!ENCODED.test(key)) return undefined;
  let out = '';
  for (let i = 0; i < key.length; i += 5) out += String.fromCharCode(parseInt(key.slice(i + 1, i + 5), 16));
  return out;
}

/** isKey tells a value that is already a key (a standard dimension, an encoded label). */
export function isKey(v: string): boolean {
  return KEY_SHAPE.test(v);
}

/** nextQuestionKey is the first "q<n>" not among the keys in use. */
export function nextQuestionKey(inUse: readonly (string | undefined)[]): string {
  const used = new Set(inUse);
  for (let n = 1; ; n++) if (!used.has(`q${n}`)) return `q${n}`;
}
