/**
 * The ECharts options of the overview, built from the figures as plain data
 * so they can be checked without a canvas.
 */
import type { FunnelStep } from '../../api/rollups';

export interface SankeyNode {
  name: string;
  /** the funnel step a click on the node opens (absent for the "stopped" nodes) */
  step?: string;
}

/**
 * funnelSankey draws the chain funnel: each step flows into the next with the
 * companies that reached it, and into "stopped at …" with the rest.
 */
export function funnelSankey(steps: readonly FunnelStep[], kindName: (k: string) => string, stoppedName: (k: string) => string) {
  // A step nobody reached is left out: a node of no width only crowds the labels.
  const nodes: SankeyNode[] = steps.filter((s) => s.companies > 0).map((s) => ({ name: kindName(s.kind), step: s.kind }));
  const links: { source: string; target: string; value: number }[] = [];
  steps.forEach((s, i) => {
    const next = steps[i + 1];
    const onward = next ? Math.min(next.companies, s.companies) : 0;
    if (next && onward > 0) links.push({ source: kindName(s.kind), target: kindName(next.kind), value: onward });
    const stopped = s.companies - onward;
    if (stopped > 0) {
      const name = stoppedName(s.kind);
      nodes.push({ name });
      links.push({ source: kindName(s.kind), target: name, value: stopped });
    }
  });
  return {
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'sankey',
        data: nodes,
        links,
        left: 8,
        right: 120,
        nodeAlign: 'left',
        emphasis: { focus: 'adjacency' },
        lineStyle: { color: 'gradient', curveness: 0.5 },
        label: { fontSize: 12 },
      },
    ],
  };
}

export interface TrendSeries {
  key: string;
  name: string;
  kind: 'bar' | 'line';
  values: number[];
  /** a line on the right axis (money in 千元) */
  right?: boolean;
}

/** trendOption draws the last quarters: flows as bars, stocks and money as lines. */
export function trendOption(quarters: readonly string[], series: readonly TrendSeries[], rightAxisName: string) {
  return {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: quarters },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', name: rightAxisName, splitLine: { show: false } },
    ],
    series: series.map((s) => ({
      id: s.key,
      name: s.name,
      type: s.kind,
      yAxisIndex: s.right ? 1 : 0,
      data: s.values,
      smooth: s.kind === 'line',
      barMaxWidth: 18,
    })),
  };
}
