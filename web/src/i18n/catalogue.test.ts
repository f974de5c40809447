/**
 * The catalogues as a reader meets them: the Chinese one is Chinese (full-width
 * punctuation, no stray English), and every key the code names exists in both
 * languages — literal keys, key prefixes used with a value (`label('s.appStatus', v)`,
 * `t(\`kind.${k}\`)`) and the values of the enums the console translates.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MATERIAL_TYPES, QUESTION_TYPES, DEFAULT_CRITERIA } from '../api/intakeCalls';
import { METRICS } from '../api/reports';
import { INDUSTRY_SECTIONS } from '../lib/industry';
import { en } from './en';
import { zhCN } from './zh-CN';

const zh: Record<string, string> = zhCN;
const eng: Record<string, string> = en;

/** Latin words a Chinese screen may show: names of file kinds, standards, formats, the language switch. */
const ALLOWED_LATIN = new Set([
  'English', // the language switch names English in English
  'GB', // GB/T 4754-2017, GB 32100
  'YYYY-MM-DD', // the date format asked for
  'lixia', // an example region code (its pinyin is what is typed)
  'PDF', 'PNG', 'JPG', 'MB', 'KB', 'Excel', 'Word', 'ZIP', 'CSV', 'OFD', 'PPT',
]);

/** zhProblems lists what makes one Chinese message read as a leak. */
export function zhProblems(text: string): string[] {
  const out: string[] = [];
  const plain = text.replace(/\{\w+\}/g, '').replace(/https?:\/\/\S+/g, '');
  if (plain.includes(':')) out.push('ASCII colon (use ：)');
  if (/[\u3400-\u9fff][,;?!(]|[,;?!)][\u3400-\u9fff]/.test(plain)) out.push('ASCII punctuation next to Chinese (use ，；？！（）)');
  if (/\b[a-z]+_[a-z_]+\b/.test(plain)) out.push('snake_case key');
  if (/\b(?:application|image|text)\/[\w.+-]+/.test(plain)) out.push('MIME type');
  for (const w of plain.match(/[A-Za-z][A-Za-z_-]*[A-Za-z]/g) ?? []) {
    if (!ALLOWED_LATIN.has(w)) out.push(`English word "${w}"`);
  }
  return out;
}

describe('zh-CN catalogue', () => {
  it('has no ASCII colons, no half-width punctuation beside Chinese and no stray English', () => {
    const bad = Object.entries(zh)
      .map(([k, v]) => [k, v, zhProblems(v).join('; ')])
      .filter(([, , p]) => p);
    expect(bad).toEqual([]);
  });

  it('catches what it is meant to catch', () => {
    expect(zhProblems('编辑载体:{name}')).toContain('ASCII colon (use ：)');
    expect(zhProblems('网络连接失败,请稍后重试')).toHaveLength(1);
    expect(zhProblems('不能大于 employees_total（4）')).toContain('snake_case key');
    expect(zhProblems('只接受 application/pdf')).toContain('MIME type');
    expect(zhProblems('No data')).toEqual(['English word "No"', 'English word "data"']);
    expect(zhProblems('不能大于「从业人员」（{limit}）')).toEqual([]);
  });

  it('does not repeat a character by accident (「已已提交」)', () => {
    const doubled = Object.entries(zh).filter(([, v]) => /(已已|的的|了了|请请)/.test(v));
    expect(doubled).toEqual([]);
  });
});

// Source files of the console, tests and catalogues left out.
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) && !/\.d\.ts$/.test(name)) out.push(p);
  }
  return out;
}

const root = join(__dirname, '..');
const files = sources(root).filter((f) => !f.startsWith(join(root, 'i18n')) && !f.startsWith(join(root, 'test')));
const prefixes = new Set(Object.keys(zh).map((k) => k.split('.')[0]));
const known = (k: string) => k in zh && k in eng;
const knownPrefix = (p: string) => Object.keys(zh).some((k) => k.startsWith(`${p}.`)) && Object.keys(eng).some((k) => k.startsWith(`${p}.`));

describe('keys used in the code', () => {
  it('finds the console sources', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it('every literal key, and every prefix a value is appended to, exists in both catalogues', () => {
    const missing: string[] = [];
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      // 'x.y' or "x.y" whose first segment is one the catalogues use.
      for (const m of src.matchAll(/['"]([a-zA-Z][\w-]*(?:\.[\w-]+)+)['"]/g)) {
        const lit = m[1];
        if (!prefixes.has(lit.split('.')[0])) continue;
        if (!known(lit) && !knownPrefix(lit)) missing.push(`${relative(root, f)}: ${lit}`);
      }
      // `x.y.${v}`: the prefix must hold keys in both catalogues.
      for (const m of src.matchAll(/`([a-zA-Z][\w-]*(?:\.[\w-]+)*)\.\$\{/g)) {
        if (!prefixes.has(m[1].split('.')[0])) continue;
        if (!knownPrefix(m[1])) missing.push(`${relative(root, f)}: ${m[1]}.*`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every enum value the console translates has its words in both catalogues', () => {
    const need = [
      ...METRICS.flatMap((d) => [`s.metric.${d.key}`, `o.metric.${d.key}`]),
      ...MATERIAL_TYPES.flatMap((m) => [`s.material.${m}`, `o.material.${m}`]),
      ...QUESTION_TYPES.map((q) => `o.qtype.${q}`),
      ...DEFAULT_CRITERIA.map((c) => `o.criterion.${c}`),
      ...INDUSTRY_SECTIONS.map((s) => `industry.${s}`),
      ...['maker_space', 'incubator', 'accelerator', 'science_park', 'concept_center', 'pilot_base'].map((k) => `kind.${k}`),
    ];
    expect(need.filter((k) => !known(k))).toEqual([]);
  });
});
