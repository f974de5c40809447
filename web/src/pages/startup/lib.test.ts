import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import type { Question } from '../../api/intakeCalls';
import { translate } from '../../i18n';
import {
  chinaToday,
  defaultReportPeriod,
  nextQuarter,
  quarterOf,
  residencyStart,
  fromAnswers,
  fromRevision,
  groupFieldErrors,
  latestEndedQuarter,
  periodEnd,
  recentMonths,
  recentQuarters,
  toAnswers,
  toReportBody,
} from './lib';

const t = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('zh-CN', k, p);

describe('periods', () => {
  it('dates by the calendar in China', () => {
    // 17:00 UTC on 30 Sep is already 1 Oct in China.
    expect(chinaToday(new Date('2026-09-30T17:00:00Z'))).toBe('2026-10-01');
    expect(chinaToday(new Date('2026-09-30T15:00:00Z'))).toBe('2026-09-30');
  });

  it('knows the last day of quarters and months', () => {
    expect(periodEnd('2026-Q1')).toBe('2026-03-31');
    expect(periodEnd('2026-Q3')).toBe('2026-09-30');
    expect(periodEnd('2024-02')).toBe('2024-02-29');
    expect(periodEnd('2026-13')).toBeUndefined();
    expect(periodEnd('2026-Q5')).toBeUndefined();
  });

  it('defaults to the latest ended quarter (reportable on its last day)', () => {
    expect(latestEndedQuarter(new Date('2026-11-27T04:00:00Z'))).toBe('2026-Q3');
    expect(latestEndedQuarter(new Date('2026-09-30T04:00:00Z'))).toBe('2026-Q3');
    expect(latestEndedQuarter(new Date('2026-09-29T04:00:00Z'))).toBe('2026-Q2');
    expect(latestEndedQuarter(new Date('2026-02-10T04:00:00Z'))).toBe('2025-Q4');
    expect(recentQuarters(3, new Date('2026-02-10T04:00:00Z'))).toEqual(['2025-Q4', '2025-Q3', '2025-Q2']);
    expect(recentMonths(3, new Date('2026-02-10T04:00:00Z'))).toEqual(['2026-01', '2025-12', '2025-11']);
  });
});

describe('answers', () => {
  const qs: Question[] = [
    { key: 'summary', label_zh: '项目简介', label_en: '', type: 'text', required: true },
    { key: 'team_size', label_zh: '团队人数', label_en: '', type: 'number', required: true },
    { key: 'funding', label_zh: '已获融资', label_en: '', type: 'money', unit: 'thousand_yuan', required: false },
    { key: 'founded', label_zh: '成立日期', label_en: '', type: 'date', required: false },
    { key: 'stage', label_zh: '阶段', label_en: '', type: 'choice', options: ['idea', 'revenue'], required: true },
    { key: 'plan_doc', label_zh: '商业计划书', label_en: '', type: 'file', required: false },
  ];

  it('sends money in the question\'s unit and leaves blank answers out', () => {
    expect(
      toAnswers(qs, { summary: '  AI 质检 ', team_size: 12, funding: 500, founded: '', stage: 'idea', plan_doc: undefined }),
    ).toEqual({ summary: 'AI 质检', team_size: 12, funding: { amount: 500, unit: 'thousand_yuan' }, stage: 'idea' });
  });

  it('fills the form back from saved answers', () => {
    expect(fromAnswers(qs, { funding: { amount: 500, unit: 'thousand_yuan' }, summary: 'x' })).toEqual({ funding: 500, summary: 'x' });
  });
});

describe('reports', () => {
  it('defaults money to 千元, keeps a chosen unit, sends counts as plain integers', () => {
    expect(
      toReportBody(
        {
          metrics: { revenue: 100, exports: 3000, employees_total: 5, ip_filed: null },
          units: { exports: 'yuan' },
          explanations: { rd_expenditure: '  研发投入集中 ', revenue: '  ' },
        },
        true,
      ),
    ).toEqual({
      metrics: { revenue: { value: 100, unit: 'thousand_yuan' }, exports: { value: 3000, unit: 'yuan' }, employees_total: 5 },
      explanations: { rd_expenditure: '研发投入集中' },
      submit: true,
    });
  });

  it('refills the form with what was entered, in the unit used', () => {
    const v = fromRevision({
      revision: 1,
      metrics: {
        revenue: { value: 100000, unit: 'yuan', entered: 100, entered_unit: 'thousand_yuan' },
        exports: { value: 3000, unit: 'yuan', entered: 3000, entered_unit: 'yuan' },
        employees_total: { value: 5, entered: 5 },
      },
      explanations: { revenue: '说明' },
      warnings: [],
      submitted: false,
      created_by: 'U',
      created_at: '',
    });
    expect(v.metrics).toEqual({ revenue: 100, exports: 3000, employees_total: 5 });
    expect(v.units?.revenue).toBe('thousand_yuan');
    expect(v.units?.exports).toBe('yuan');
    expect(v.units?.taxes_paid).toBe('thousand_yuan');
    expect(v.explanations).toEqual({ revenue: '说明' });
  });

  it('groups field errors by indicator, a unit error under its indicator', () => {
    const err = new ApiError(422, {
      errors: [
        { field: 'metrics.exports.unit', code: 'required', message: '必填' },
        { field: 'metrics.employees_phd', code: 'exceeds', message: '不能大于 employees_total（5）' },
        { field: 'explanations.rd_expenditure', code: 'explanation_required', message: '提交前请填写说明' },
        { field: 'period', code: 'period_not_ended' },
      ],
    });
    const g = groupFieldErrors(err, ['metrics', 'explanations'], t);
    expect(g.byPrefix.metrics).toEqual({ exports: ['必填'], employees_phd: ['不能大于 employees_total（5）'] });
    expect(g.byPrefix.explanations).toEqual({ rd_expenditure: ['提交前请填写说明'] });
    expect(Object.keys(g.fields)).toEqual(['period']);
  });
});

describe('the default report period', () => {
  const now = new Date('2026-12-06T04:00:00Z'); // latest ended quarter: 2026-Q3
  it('starts at the first quarter in residence that is not submitted', () => {
    expect(residencyStart([{ admitted_on: '2026-05-10', moved_in_on: '2026-05-20' }, { admitted_on: '2025-11-02' }])).toBe('2025-11-02');
    expect(defaultReportPeriod('2025-11-02', new Set(), now)).toBe('2025-Q4');
    expect(defaultReportPeriod('2025-11-02', new Set(['2025-Q4', '2026-Q1']), now)).toBe('2026-Q2');
    expect(defaultReportPeriod('2025-11-02', new Set(['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']), now)).toBe('2026-Q3');
  });

  it('never offers a quarter from before the residency', () => {
    // Admitted in November: Q3 ended before it moved in; its first period is Q4.
    expect(defaultReportPeriod('2026-11-15', new Set(), now)).toBe('2026-Q4');
    expect(quarterOf('2026-11-15')).toBe('2026-Q4');
    expect(nextQuarter('2026-Q4')).toBe('2027-Q1');
  });

  it('falls back to the latest ended quarter without a residency', () => {
    expect(defaultReportPeriod(undefined, new Set(), now)).toBe('2026-Q3');
  });
});
