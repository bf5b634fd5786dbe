import { RatingLevel } from '../../../../common/contract/ratings-api.js';
import type { StatsResponse, StatsRow } from '../../../../common/contract/stats-api.js';
import type { Language } from '../../shared/i18n/language.js';
import { chartMinutes } from '../format/stats-format.js';
import type { ManagerDictionary } from '../i18n/index.js';
import { rowLabel } from '../screens/stats-labels.js';
import type { ChartOption } from './echarts-core.js';

/**
 * The options of the statistics page's three charts, built from the table's own rows: what the
 * chart draws is what the table lists. Plain data, no functions: the same option renders in the
 * browser and, for the tests, in Node. No animation (nothing moves for people who asked for less
 * motion, and nothing to wait for), and rich-text tooltips drawn in the chart, so a service name
 * is never put into HTML.
 */

/** The hall's palette (base.css), readable on white. */
const COLOURS = { arrivals: '#0a3d91', served: '#0b5d1e', noShows: '#b3261e', median: '#0a3d91', p90: '#b36b00' };
const RATING_COLOURS: Readonly<Record<RatingLevel, string>> = {
  [RatingLevel.VerySatisfied]: '#0b5d1e',
  [RatingLevel.Satisfied]: '#3f8f4f',
  [RatingLevel.BasicallySatisfied]: '#b38600',
  [RatingLevel.Dissatisfied]: '#c2571a',
  [RatingLevel.VeryDissatisfied]: '#b3261e',
};

const common = {
  animation: false,
  textStyle: { fontFamily: 'inherit' },
  tooltip: { trigger: 'axis', renderMode: 'richText' },
  legend: { top: 0 },
  grid: { left: 16, right: 16, top: 48, bottom: 16, containLabel: true },
} as const;

function categories(stats: StatsResponse, t: ManagerDictionary, language: Language): string[] {
  return stats.rows.map((row) => rowLabel(row, stats.by, t, language));
}

/** Arrivals, served and no-shows per row, as grouped bars. */
export function volumeChart(stats: StatsResponse, t: ManagerDictionary, language: Language): ChartOption {
  const series = (name: string, colour: string, pick: (row: StatsRow) => number) => ({ type: 'bar', name, itemStyle: { color: colour }, data: stats.rows.map(pick) });
  return {
    ...common,
    xAxis: { type: 'category', data: categories(stats, t, language) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      series(t.column.arrivals, COLOURS.arrivals, (r) => r.arrivals),
      series(t.column.served, COLOURS.served, (r) => r.served),
      series(t.column.noShows, COLOURS.noShows, (r) => r.noShows),
    ],
  };
}

/** Median and 90th percentile waiting time per row, in minutes, as lines (a gap where nobody waited). */
export function waitingChart(stats: StatsResponse, t: ManagerDictionary, language: Language): ChartOption {
  const series = (name: string, colour: string, pick: (row: StatsRow) => number | null) => ({
    type: 'line', name, connectNulls: false, symbolSize: 6, itemStyle: { color: colour }, lineStyle: { color: colour }, data: stats.rows.map((r) => pick(r)),
  });
  return {
    ...common,
    xAxis: { type: 'category', data: categories(stats, t, language) },
    yAxis: { type: 'value', name: t.minutesUnit },
    series: [
      series(t.column.waitingMedian, COLOURS.median, (r) => chartMinutes(r.waiting.medianSeconds)),
      series(t.column.waitingP90, COLOURS.p90, (r) => chartMinutes(r.waiting.p90Seconds)),
    ],
  };
}

/** The 好差评 distribution of the whole range, as a ring (levels without ratings are left out). */
export function ratingsChart(stats: StatsResponse, t: ManagerDictionary): ChartOption {
  const data = Object.values(RatingLevel)
    .map((level) => ({ name: t.ratingLevel[level], value: stats.total.ratings.levels[level] ?? 0, itemStyle: { color: RATING_COLOURS[level] } }))
    .filter((d) => d.value > 0);
  return {
    ...common,
    tooltip: { trigger: 'item', renderMode: 'richText' },
    series: [{ type: 'pie', radius: ['40%', '70%'], top: 24, label: { formatter: '{b}: {c}' }, data }],
  };
}
