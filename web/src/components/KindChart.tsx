import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';

// Only the pieces the console draws are registered, which keeps the bundle small.
echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export interface KindCount {
  label: string;
  count: number;
}

/** KindChart draws carriers per kind as horizontal bars (labels are long in Chinese). */
export default function KindChart({ data, seriesName }: { data: KindCount[]; seriesName: string }) {
  const option = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: data.map((d) => d.label), inverse: true },
    series: [
      {
        name: seriesName,
        type: 'bar',
        data: data.map((d) => d.count),
        itemStyle: { color: '#1677ff', borderRadius: [0, 4, 4, 0] },
        label: { show: true, position: 'right' },
        barMaxWidth: 28,
      },
    ],
  };
  return (
    <div data-testid="kind-chart">
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 300, width: '100%' }} />
    </div>
  );
}
