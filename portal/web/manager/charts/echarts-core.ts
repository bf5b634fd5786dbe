import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

/**
 * ECharts with only what the statistics page draws: bars, lines and a pie, their grid, legend and
 * tooltip, and the SVG renderer (it styles its elements through the CSSOM, which the pages' CSP
 * allows, and renders in Node for the tests). Importing `echarts` itself would bring every chart.
 */
echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export { echarts };
export type ChartOption = echarts.EChartsCoreOption;
