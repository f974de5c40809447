import { describe, expect, it } from 'vitest';
import { en } from './en';
import { dictionaries, LANGS, translate } from './index';
import { zhCN } from './zh-CN';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  const zhKeys = Object.keys(zhCN).sort();
  const enKeys = Object.keys(en).sort();

  it('every zh-CN key exists in en', () => {
    expect(zhKeys.filter((k) => !(k in en))).toEqual([]);
  });

  it('every en key exists in zh-CN', () => {
    expect(enKeys.filter((k) => !(k in zhCN))).toEqual([]);
  });

  it.each(LANGS)('%s has no empty strings', (lang) => {
    const empty = Object.entries(dictionaries[lang]).filter(([, v]) => typeof v !== 'string' || v.trim() === '');
    expect(empty).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    const mismatched = zhKeys.filter(
      (k) => placeholders(zhCN[k as keyof typeof zhCN]).join() !== placeholders(en[k as keyof typeof en]).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('names every carrier kind in both languages', () => {
    expect(translate('zh-CN', 'kind.concept_center')).toBe('概念验证中心');
    expect(translate('en', 'kind.pilot_base')).toBe('Pilot-scale base');
  });

  it('fills placeholders', () => {
    expect(translate('en', 'common.total', { total: 8 })).toBe('8 in total');
    expect(translate('zh-CN', 'common.total', { total: 8 })).toBe('共 8 条');
  });
});
