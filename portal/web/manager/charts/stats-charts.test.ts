import { describe, expect, it } from 'vitest';
import { RatingLevel } from '../../../../common/contract/ratings-api.js';
import { StatsBy } from '../../../../common/contract/stats-api.js';
import { Language } from '../../shared/i18n/language.js';
import { managerDictionaries } from '../i18n/index.js';
import { sampleStats } from '../testing/manager-fixtures.js';
import { echarts, type ChartOption } from './echarts-core.js';
import { ratingsChart, volumeChart, waitingChart } from './stats-charts.js';

/** The chart as SVG, rendered in Node by the same ECharts build the page loads. */
function svgOf(option: ChartOption): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 300 });
  chart.setOption(option);
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

const zh = managerDictionaries[Language.Zh];
const en = managerDictionaries[Language.En];

describe('statistics charts', () => {
  it('draw the table’s own rows: one bar group per service, named as in the table', () => {
    const stats = sampleStats(StatsBy.Service);
    const option = volumeChart(stats, en, Language.En) as { series: { name: string; data: number[] }[] };
    expect(option.series.map((s) => s.name)).toEqual(['Arrivals', 'Served', 'No-shows']);
    expect(option.series[0]?.data).toEqual([40, 20]);
    const svg = svgOf(option);
    expect(svg).toContain('Social insurance');
    expect(svg).toContain('Housing fund');
    expect(svg).toContain('<path');
  });

  it('draw waiting times in minutes, with a gap (not a zero) where nobody waited', () => {
    const stats = sampleStats(StatsBy.Day);
    const option = waitingChart(stats, zh, Language.Zh) as { series: { name: string; data: (number | null)[] }[] };
    expect(option.series.map((s) => s.name)).toEqual(['等候中位数（分钟）', '等候P90（分钟）']);
    expect(option.series[0]?.data).toEqual([5.5, null]);
    expect(option.series[1]?.data).toEqual([15.2, null]);
    expect(svgOf(option)).toContain('2025-03-09');
  });

  it('draw the 好差评 distribution of the whole range, leaving out levels nobody chose', () => {
    const option = ratingsChart(sampleStats(), zh) as { series: { data: { name: string; value: number }[] }[] };
    const data = option.series[0]?.data ?? [];
    expect(data.map((d) => [d.name, d.value])).toEqual([
      ['非常满意', 6],
      ['满意', 2],
      ['基本满意', 1],
      ['不满意', 1],
    ]);
    expect(data.some((d) => d.name === zh.ratingLevel[RatingLevel.VeryDissatisfied])).toBe(false);
    expect(svgOf(option)).toContain('非常满意');
  });

  it('never animate and never put text into HTML tooltips (names are drawn, not parsed)', () => {
    for (const option of [volumeChart(sampleStats(), zh, Language.Zh), waitingChart(sampleStats(), zh, Language.Zh), ratingsChart(sampleStats(), zh)]) {
      const o = option as { animation: boolean; tooltip: { renderMode: string } };
      expect(o.animation).toBe(false);
      expect(o.tooltip.renderMode).toBe('richText');
    }
  });
});
