import { RatingLevel } from '../../../../common/contract/ratings-api.js';
import type { StatsResponse, StatsRow } from '../../../../common/contract/stats-api.js';
import type { Language } from '../../shared/i18n/language.js';
import { minutesOf, percentOf } from '../format/stats-format.js';
import { managerDictionaries, type ManagerDictionary } from '../i18n/index.js';
import { rowLabel } from './stats-labels.js';

const LEVELS = Object.values(RatingLevel);

/** The figures of one row, in the columns' order. */
function cells(row: StatsRow): (string | number)[] {
  return [
    row.arrivals,
    row.walkIns,
    row.appointments,
    row.served,
    row.noShows,
    row.transfers,
    row.cancelled,
    minutesOf(row.waiting.medianSeconds),
    minutesOf(row.waiting.p90Seconds),
    minutesOf(row.serving.medianSeconds),
    minutesOf(row.serving.p90Seconds),
    row.ratings.total,
    ...LEVELS.map((level) => row.ratings.levels[level] ?? 0),
    percentOf(row.ratings.satisfactionRate),
    row.rectifications.open,
    row.rectifications.overdue,
  ];
}

function headers(t: ManagerDictionary): string[] {
  const c = t.column;
  return [
    c.arrivals, c.walkIns, c.appointments, c.served, c.noShows, c.transfers, c.cancelled,
    c.waitingMedian, c.waitingP90, c.servingMedian, c.servingP90,
    c.ratings, ...LEVELS.map((level) => t.ratingLevel[level]), c.satisfaction,
    c.rectificationsOpen, c.rectificationsOverdue,
  ];
}

/**
 * One statistics table: a row per day, hour, service, counter or clerk, the range's total in the
 * footer. Wide, so it scrolls sideways in its own region, which takes the keyboard focus (a
 * keyboard user can scroll it) and is named by the table's caption.
 */
export function StatsTable({ stats, language }: { stats: StatsResponse; language: Language }) {
  const t = managerDictionaries[language];
  const captionId = `stats-caption-${stats.by}`;
  return (
    <div className="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="stats-table" data-testid="stats-table" data-by={stats.by}>
        <caption id={captionId}>{t.tableCaption(t.grouping[stats.by], stats.from, stats.to)}</caption>
        <thead>
          <tr>
            <th scope="col">{t.keyColumn[stats.by]}</th>
            {headers(t).map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {stats.rows.length === 0 ? (
            <tr>
              <td colSpan={headers(t).length + 1} className="none">
                {t.noData}
              </td>
            </tr>
          ) : (
            stats.rows.map((row) => (
              <tr key={row.key} data-testid={`stats-row-${row.key}`}>
                <th scope="row">{rowLabel(row, stats.by, t, language)}</th>
                {cells(row).map((value, i) => (
                  <td key={i}>{value}</td>
                ))}
              </tr>
            ))
          )}
        </tbody>
        <tfoot>
          <tr data-testid="stats-total">
            <th scope="row">{t.total}</th>
            {cells(stats.total).map((value, i) => (
              <td key={i}>{value}</td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
