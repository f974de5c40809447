import { describe, expect, it } from 'vitest';
import { funnelSankey, trendOption } from './charts';

const name = (k: string) => ({ maker_space: '众创空间', incubator: '孵化器', accelerator: '加速器', science_park: '科技园区' })[k] ?? k;

describe('chart options', () => {
  it('flows each funnel step into the next and into "stopped"', () => {
    const o = funnelSankey(
      [
        { kind: 'maker_space', companies: 20, median_months_from_previous: 0 },
        { kind: 'incubator', companies: 12, median_months_from_previous: 7 },
        { kind: 'accelerator', companies: 0, median_months_from_previous: 0 },
      ],
      name,
      (k) => `止步于${name(k)}`,
    );
    const s = o.series[0];
    expect(s.links).toEqual([
      { source: '众创空间', target: '孵化器', value: 12 },
      { source: '众创空间', target: '止步于众创空间', value: 8 },
      { source: '孵化器', target: '止步于孵化器', value: 12 },
    ]);
    expect(s.data.filter((n) => n.step).map((n) => n.step)).toEqual(['maker_space', 'incubator']);
    // Every link's ends are nodes.
    const names = new Set(s.data.map((n) => n.name));
    expect(s.links.every((l) => names.has(l.source) && names.has(l.target))).toBe(true);
  });

  it('draws money on the right axis', () => {
    const o = trendOption(['2026-Q1', '2026-Q2'], [
      { key: 'admitted', name: '入孵', kind: 'bar', values: [3, 4] },
      { key: 'rd_expenditure', name: '研发投入', kind: 'line', right: true, values: [10.5, 20] },
    ], '千元');
    expect(o.xAxis.data).toEqual(['2026-Q1', '2026-Q2']);
    expect(o.series.map((s) => [s.id, s.type, s.yAxisIndex, s.data])).toEqual([
      ['admitted', 'bar', 0, [3, 4]],
      ['rd_expenditure', 'line', 1, [10.5, 20]],
    ]);
  });
});
