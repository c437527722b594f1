/**
 * Apache ECharts, only the parts the reports use (its core is tree-shakable): bar and line charts, the grid, tooltips,
 * the legend and the aria component (a generated description of the data for screen readers), drawn as SVG.
 */
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export { echarts };
