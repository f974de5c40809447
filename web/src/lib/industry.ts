/**
 * GB/T 4754-2017 (国民经济行业分类): a code is a section letter A–T, optionally
 * followed by a 2-digit division, 3-digit group or 4-digit class ("I", "I65",
 * "I651", "I6511"). The server checks the divisions exist; this only checks the shape.
 */
export const INDUSTRY_SECTIONS = [
  'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J',
  'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T',
] as const;

export type IndustrySection = (typeof INDUSTRY_SECTIONS)[number];

const SHAPE = /^[A-T](\d{2}|\d{3}|\d{4})?$/;

/** normalizeIndustry trims and upper-cases what people type ("i6511 " → "I6511"). */
export function normalizeIndustry(code: string | undefined | null): string {
  return (code ?? '').trim().toUpperCase();
}

export function isIndustryCode(code: string): boolean {
  return SHAPE.test(normalizeIndustry(code));
}

/** sectionOf returns the section letter of a code, or undefined when it has none. */
export function sectionOf(code: string | undefined | null): IndustrySection | undefined {
  const c = normalizeIndustry(code);
  const first = c.charAt(0) as IndustrySection;
  return c && INDUSTRY_SECTIONS.includes(first) ? first : undefined;
}
