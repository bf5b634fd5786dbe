import { RatingLevel, RATING_LEVEL_NAMES } from '../../common/contract/ratings-api.js';
import { StatsBy, type DurationStats, type StatsResponse, type StatsRow } from '../../common/contract/stats-api.js';

/**
 * One statistics table as CSV for Excel (RFC 4180): a UTF-8 byte order mark first, or Excel
 * reads the Chinese as the machine's ANSI code page; CRLF line ends; quotes where a cell needs
 * them. A cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage return) gets a leading
 * apostrophe, so a spreadsheet never runs a name as a formula (CSV injection): service, counter
 * and clerk names are typed by people.
 */

export type CsvLanguage = 'zh' | 'en';

export const UTF8_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell's text as CSV writes it: neutralised, then quoted when it holds a quote, comma or line end. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const KEY_HEADER: Readonly<Record<StatsBy, Record<CsvLanguage, string>>> = {
  [StatsBy.Day]: { zh: '日期', en: 'Day' },
  [StatsBy.Hour]: { zh: '时段', en: 'Hour' },
  [StatsBy.Service]: { zh: '事项', en: 'Service' },
  [StatsBy.Counter]: { zh: '窗口', en: 'Counter' },
  [StatsBy.Clerk]: { zh: '工作人员', en: 'Clerk' },
};

interface Column {
  header: Record<CsvLanguage, string>;
  value: (row: StatsRow, language: CsvLanguage) => string | number | null;
}

const durationColumns = (label: Record<CsvLanguage, string>, pick: (row: StatsRow) => DurationStats): Column[] => [
  { header: { zh: `${label.zh}次数`, en: `${label.en} count` }, value: (r) => pick(r).count },
  { header: { zh: `${label.zh}平均(秒)`, en: `${label.en} mean (s)` }, value: (r) => pick(r).meanSeconds },
  { header: { zh: `${label.zh}中位数(秒)`, en: `${label.en} median (s)` }, value: (r) => pick(r).medianSeconds },
  { header: { zh: `${label.zh}90分位(秒)`, en: `${label.en} p90 (s)` }, value: (r) => pick(r).p90Seconds },
];

const COLUMNS: readonly Column[] = [
  { header: { zh: '名称', en: 'Name' }, value: (r, language) => (r.name ? r.name[language] : null) },
  { header: { zh: '到达', en: 'Arrivals' }, value: (r) => r.arrivals },
  { header: { zh: '现场取号', en: 'Walk-ins' }, value: (r) => r.walkIns },
  { header: { zh: '预约', en: 'Appointments' }, value: (r) => r.appointments },
  { header: { zh: '办结', en: 'Served' }, value: (r) => r.served },
  { header: { zh: '过号', en: 'No-shows' }, value: (r) => r.noShows },
  { header: { zh: '转移', en: 'Transfers' }, value: (r) => r.transfers },
  { header: { zh: '取消', en: 'Cancelled' }, value: (r) => r.cancelled },
  ...durationColumns({ zh: '等候', en: 'Wait' }, (r) => r.waiting),
  ...durationColumns({ zh: '办理', en: 'Service time' }, (r) => r.serving),
  { header: { zh: '评价数', en: 'Ratings' }, value: (r) => r.ratings.total },
  ...Object.values(RatingLevel).map((level): Column => ({
    header: { zh: RATING_LEVEL_NAMES[level].zh, en: RATING_LEVEL_NAMES[level].en },
    value: (r) => r.ratings.levels[level],
  })),
  { header: { zh: '满意率', en: 'Satisfaction rate' }, value: (r) => (r.ratings.satisfactionRate === null ? null : Math.round(r.ratings.satisfactionRate * 10_000) / 10_000) },
  { header: { zh: '未办结整改', en: 'Open rectifications' }, value: (r) => r.rectifications.open },
  { header: { zh: '逾期整改', en: 'Overdue rectifications' }, value: (r) => r.rectifications.overdue },
];

const TOTAL_LABEL: Readonly<Record<CsvLanguage, string>> = { zh: '合计', en: 'Total' };

/** The table of one statistics answer, rows then the total, in `language` (names: the same language). */
export function statsCsv(stats: StatsResponse, language: CsvLanguage): string {
  const line = (cells: (string | number | null)[]): string => cells.map(csvCell).join(',');
  const cellsOf = (row: StatsRow) => COLUMNS.map((c) => c.value(row, language));
  const lines = [
    line([KEY_HEADER[stats.by][language], ...COLUMNS.map((c) => c.header[language])]),
    ...stats.rows.map((row) => line([row.key, ...cellsOf(row)])),
    line([TOTAL_LABEL[language], ...cellsOf(stats.total)]),
  ];
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}

/** `hall-stats-service-2025-01-01-2025-03-31.csv`: ASCII only, safe in any Content-Disposition. */
export function statsCsvFileName(stats: Pick<StatsResponse, 'by' | 'from' | 'to'>): string {
  return `hall-stats-${stats.by}-${stats.from}-${stats.to}.csv`;
}
