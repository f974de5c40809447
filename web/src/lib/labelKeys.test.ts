import { describe, expect, it } from 'vitest';
import { isKey, keyFromLabel, labelFromKey, MAX_LABEL_CHARS, nextQuestionKey } from './labelKeys';

describe('keys from Chinese labels', () => {
  it('spells a label as a key the service accepts and reads it back', () => {
    for (const label of ['商业模式', '团队', 'AI能力', '知识产权布局情况']) {
      const key = keyFromLabel(label);
      expect(key).toMatch(/^[a-z][a-z0-9_]{0,39}$/);
      expect(labelFromKey(key!)).toBe(label);
    }
    expect(keyFromLabel('  商业模式 ')).toBe(keyFromLabel('商业模式'));
  });

  it('refuses what a key cannot hold', () => {
    expect(keyFromLabel('')).toBeUndefined();
    expect(keyFromLabel('一二三四五六七八九')).toBeUndefined();
    expect([...'一二三四五六七八'].length).toBe(MAX_LABEL_CHARS);
    expect(keyFromLabel('一二三四五六七八')).toBeDefined();
    expect(keyFromLabel('😀')).toBeUndefined();
  });

  it('leaves ordinary keys alone', () => {
    expect(labelFromKey('team')).toBeUndefined();
    expect(labelFromKey('technology')).toBeUndefined();
    expect(isKey('team')).toBe(true);
    expect(isKey('商业模式')).toBe(false);
  });

  it('numbers questions past the keys in use', () => {
    expect(nextQuestionKey([])).toBe('q1');
    expect(nextQuestionKey(['q1', 'q3', undefined])).toBe('q2');
    expect(nextQuestionKey(['q1', 'q2', 'funding'])).toBe('q3');
  });
});
