import { BarChart, LineChart, SankeyChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';

// Only what the overview draws is registered.
echarts.use([BarChart, LineChart, SankeyChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface ChartClick {
  seriesId?: string;
  dataIndex?: number;
  name?: string;
  data?: unknown;
  dataType?: string;
}

/** Chart draws one ECharts option and reports clicks on its items. */
export default function Chart({ option, height, onClick, testId }: { option: object; height: number; onClick?: (e: ChartClick) => void; testId: string }) {
  return (
    <div data-testid={testId}>
      <ReactEChartsCore
        echarts={echarts}
        option={option}
        notMerge
        style={{ height, width: '100%' }}
        onEvents={onClick ? { click: (e: ChartClick) => onClick(e) } : undefined}
      />
    </div>
  );
}
