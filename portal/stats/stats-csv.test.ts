import { describe, expect, it } from 'vitest';
import { RatingLevel } from '../../common/contract/ratings-api.js';
import { StatsBy, type StatsResponse, type StatsRow } from '../../common/contract/stats-api.js';
import { csvCell, statsCsv, statsCsvFileName, UTF8_BOM } from './stats-csv.js';

const duration = { count: 2, meanSeconds: 90.5, medianSeconds: 90.5, p90Seconds: 120.1 };

function row(key: string, name: StatsRow['name']): StatsRow {
  return {
    key,
    name,
    arrivals: 3,
    walkIns: 2,
    appointments: 1,
    served: 2,
    noShows: 1,
    transfers: 0,
    cancelled: 0,
    waiting: duration,
    serving: { count: 0, meanSeconds: null, medianSeconds: null, p90Seconds: null },
    ratings: {
      total: 3,
      levels: {
        [RatingLevel.VerySatisfied]: 1,
        [RatingLevel.Satisfied]: 1,
        [RatingLevel.BasicallySatisfied]: 0,
        [RatingLevel.Dissatisfied]: 1,
        [RatingLevel.VeryDissatisfied]: 0,
      },
      satisfactionRate: 2 / 3,
    },
    rectifications: { open: 1, overdue: 1 },
  };
}

const stats: StatsResponse = {
  from: '2025-03-01',
  to: '2025-03-31',
  by: StatsBy.Service,
  timeZone: 'Asia/Shanghai',
  today: '2025-04-01',
  rows: [
    row('social-insurance', { zh: '社会保障', en: 'Social Insurance' }),
    row('evil', { zh: '=HYPERLINK("http://x","点我")', en: '@SUM(A1:A9)' }),
  ],
  total: row('total', null),
};

describe('CSV of a statistics table', () => {
  it('neutralises cells a spreadsheet would run as a formula, and quotes what needs quoting', () => {
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('+86 10 1234')).toBe("'+86 10 1234");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=A1,"x"')).toBe(`"'=A1,""x"""`);
    expect(csvCell('窗口 3')).toBe('窗口 3');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(null)).toBe('');
  });

  it('is UTF-8 with a byte order mark, CRLF, a header, the rows and the total, in the language asked', () => {
    const zh = statsCsv(stats, 'zh');
    expect(zh.startsWith(UTF8_BOM)).toBe(true);
    expect(Buffer.from(zh, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = zh.slice(1).split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(4);
    expect(lines[0]?.split(',').slice(0, 4)).toEqual(['事项', '名称', '到达', '现场取号']);
    expect(lines[0]).toContain('非常满意');
    expect(lines[1]?.startsWith('social-insurance,社会保障,3,2,1,2,1,0,0,2,90.5,90.5,120.1,0,,,,3,1,1,0,1,0,0.6667,1,1')).toBe(true);
    expect(lines[2]?.startsWith(`evil,"'=HYPERLINK(""http://x"",""点我"")",3`)).toBe(true);
    expect(lines[3]?.startsWith('合计,,3')).toBe(true);

    const en = statsCsv(stats, 'en').slice(1).split('\r\n');
    expect(en[0]?.split(',').slice(0, 3)).toEqual(['Service', 'Name', 'Arrivals']);
    expect(en[2]?.startsWith("evil,'@SUM(A1:A9),")).toBe(true);
    expect(en[3]?.startsWith('Total,,3')).toBe(true);
  });

  it('names the file by grouping and range, in ASCII', () => {
    expect(statsCsvFileName(stats)).toBe('hall-stats-service-2025-03-01-2025-03-31.csv');
  });
});
