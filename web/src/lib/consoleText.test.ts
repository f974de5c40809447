/**
 * What people read instead of keys: field errors named by their labels,
 * file kinds and sizes, report deadlines, GB/T 4754 names.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { setLanguage, translate } from '../i18n';
import { fileKindName, formatMB } from './files';
import { fieldLabel, fieldMessage, labelledMessage, mapFieldErrors } from './formErrors';
import { divisionNameZH } from './industry';
import { chinaDate, daysLate, submittedLate } from './reportDeadline';

const zh = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('zh-CN', k, p);
const en = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('en', k, p);
const metricLabels: Record<string, string> = { employees_total: '从业人员', employees_college_plus: '其中：大专以上学历' };

describe('field errors by label', () => {
  it('replaces a key in the server message by the field\'s label', () => {
    setLanguage('zh-CN');
    const f = { field: 'metrics.employees_college_plus', code: 'exceeds', message: '不能大于 employees_total（4）', params: { other: 'employees_total', limit: 4 } };
    expect(fieldMessage(f, zh, metricLabels)).toBe('不能大于「从业人员」（4）');
    expect(labelledMessage(f, zh, metricLabels)).toBe('其中：大专以上学历：不能大于「从业人员」（4）');
  });

  it('builds the message from the catalogue when the server sent none', () => {
    setLanguage('zh-CN');
    const f = { field: 'team_size', code: 'required' };
    expect(labelledMessage(f, zh, { team_size: '团队人数' })).toBe('团队人数：此项为必填项');
  });

  it('never shows a key it cannot name', () => {
    setLanguage('zh-CN');
    const err = new ApiError(422, { errors: [{ field: 'internal_flag', code: 'invalid', message: '输入不正确' }] });
    const mapped = mapFieldErrors(err, ['name'], zh);
    expect(mapped.unplaced).toEqual(['输入不正确']);
    expect(mapped.unplaced.join()).not.toContain('internal_flag');
  });

  it('names nested paths by their last named segment', () => {
    expect(fieldLabel('metrics.exports.unit', { exports: '出口总额' })).toBe('出口总额');
    expect(fieldLabel('questions[2].label_zh', { questions: '申请表问题' })).toBe('申请表问题');
    expect(fieldLabel('nothing.known', {})).toBeUndefined();
  });

  it('quotes labels the English way in English', () => {
    setLanguage('en');
    const f = { field: 'metrics.employees_phd', code: 'exceeds', message: 'cannot exceed employees_total (3)', params: { other: 'employees_total', limit: 3 } };
    expect(fieldMessage(f, en, { employees_total: 'Employees' })).toBe('cannot exceed “Employees” (3)');
    setLanguage('zh-CN');
  });
});

describe('files as people know them', () => {
  it('names kinds, not MIME types', () => {
    expect(fileKindName('application/pdf', 'zh-CN')).toBe('PDF');
    expect(fileKindName('image/png', 'zh-CN')).toBe('PNG 图片');
    expect(fileKindName('image/png', 'en')).toBe('PNG image');
    expect(fileKindName('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'zh-CN')).toBe('Word 文档');
    expect(fileKindName('image/heic', 'zh-CN')).toBe('HEIC 图片');
  });

  it('gives limits in MB with one decimal', () => {
    expect(formatMB(20 * 1024 * 1024)).toBe('20.0 MB');
    expect(formatMB(1.25 * 1024 * 1024)).toBe('1.3 MB');
    expect(formatMB(300 * 1024)).toBe('0.3 MB');
    expect(formatMB(20)).toBe('20 B');
  });
});

describe('report deadlines', () => {
  it('counts a submission late by its China date', () => {
    expect(submittedLate('2026-10-31T15:30:00Z', '2026-10-31')).toBe(false); // 23:30 in China
    expect(submittedLate('2026-10-31T16:10:00Z', '2026-10-31')).toBe(true); // 00:10 the next day
    expect(submittedLate(undefined, '2026-10-31')).toBe(false);
    expect(chinaDate(new Date('2026-10-31T16:10:00Z'))).toBe('2026-11-01');
    expect(daysLate('2026-10-31', '2026-11-03')).toBe(3);
    expect(daysLate('2026-10-31', '2026-10-30')).toBe(0);
  });
});

describe('GB/T 4754 names', () => {
  it('names divisions in Chinese', () => {
    expect(divisionNameZH('I6511')).toBe('软件和信息技术服务业');
    expect(divisionNameZH('I64')).toBe('互联网和相关服务');
    expect(divisionNameZH('M73')).toBe('研究和试验发展');
    expect(divisionNameZH('I')).toBeUndefined();
  });
});
