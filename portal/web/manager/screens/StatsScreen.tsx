import { useMemo } from 'react';
import type { StatsBy } from '../../../../common/contract/stats-api.js';
import { ErrorBanner } from '../../shared/components/ErrorBanner.js';
import type { Language } from '../../shared/i18n/language.js';
import { EChart } from '../charts/EChart.js';
import { ratingsChart, volumeChart, waitingChart } from '../charts/stats-charts.js';
import { managerDictionaries } from '../i18n/index.js';
import { STATS_GROUPINGS, type StatsPreset, type StatsRange } from '../state/stats-range.js';
import { activePreset, type StatsState } from '../state/stats-store.js';
import { RangePicker } from './RangePicker.js';
import { StatsTable } from './StatsTable.js';

export interface StatsHandlers {
  onEdit: (range: Partial<StatsRange>) => void;
  onApply: () => void;
  onPreset: (preset: StatsPreset) => void;
  onGroupBy: (by: StatsBy) => void;
  onDismissError: () => void;
}

export interface StatsScreenProps {
  language: Language;
  stats: StatsState;
  /** The CSV of the table shown (null before one is). */
  csvUrl: string | null;
  handlers: StatsHandlers;
}

/**
 * Statistics of the hall's business days: the range picker, the grouping (day, hour, service,
 * counter, clerk), three charts of the table (volumes, waiting times, 好差评), the table with its
 * total, and its CSV.
 */
export function StatsScreen({ language, stats, csvUrl, handlers }: StatsScreenProps) {
  const t = managerDictionaries[language];
  const result = stats.result;
  const options = useMemo(
    () => (result ? { volume: volumeChart(result, t, language), waiting: waitingChart(result, t, language), ratings: ratingsChart(result, t) } : null),
    [result, t, language],
  );
  return (
    <section className="stats" aria-labelledby="section-heading" data-testid="stats" aria-busy={stats.loading}>
      <h2 id="section-heading" tabIndex={-1}>{t.section.stats}</h2>
      <RangePicker
        language={language}
        draft={stats.draft}
        problems={stats.problems}
        preset={activePreset(stats)}
        busy={stats.loading}
        onEdit={handlers.onEdit}
        onApply={handlers.onApply}
        onPreset={handlers.onPreset}
      />
      <div className="groupings" role="group" aria-label={t.groupingLabel}>
        {STATS_GROUPINGS.map((by) => (
          <button key={by} type="button" className="toggle" data-testid={`group-${by}`} aria-pressed={stats.by === by} onClick={() => handlers.onGroupBy(by)}>
            {t.grouping[by]}
          </button>
        ))}
      </div>
      {stats.error && <ErrorBanner error={stats.error} messages={t.errorByCode} dismissLabel={t.dismiss} onDismiss={handlers.onDismissError} />}
      <p role="status" className="stats-status" data-testid="stats-status">
        {stats.loading ? t.loadingStats : ''}
      </p>
      {result && options && (
        <>
          <div className="stats-tools">
            {csvUrl && (
              <a className="button-link" href={csvUrl} download data-testid="stats-csv">
                {t.csvLink(t.grouping[result.by])}
              </a>
            )}
          </div>
          <div className="charts">
              <figure className="card chart-card">
                <figcaption>{t.chartTitle.volume}</figcaption>
                <EChart option={options.volume} label={t.chartAlt(t.chartTitle.volume)} testId="chart-volume" />
              </figure>
              <figure className="card chart-card">
                <figcaption>{t.chartTitle.waiting}</figcaption>
                <EChart option={options.waiting} label={t.chartAlt(t.chartTitle.waiting)} testId="chart-waiting" />
              </figure>
              <figure className="card chart-card">
                <figcaption>{t.chartTitle.ratings}</figcaption>
                {result.total.ratings.total > 0 ? (
                  <EChart option={options.ratings} label={t.chartAlt(t.chartTitle.ratings)} testId="chart-ratings" />
                ) : (
                  <p className="none">{t.noRatings}</p>
                )}
              </figure>
          </div>
          <StatsTable stats={result} language={language} />
        </>
      )}
    </section>
  );
}
