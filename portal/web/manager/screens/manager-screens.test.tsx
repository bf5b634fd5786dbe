import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { StatsBy } from '../../../../common/contract/stats-api.js';
import { ClientErrorCode } from '../../shared/api/ui-error.js';
import { Language } from '../../shared/i18n/language.js';
import { ConfigScreen, type ConfigHandlers } from '../config/ConfigScreen.js';
import { ConfigTab, type ConfigState } from '../config/config-store.js';
import { RangeProblem, StatsPreset } from '../state/stats-range.js';
import type { StatsState } from '../state/stats-store.js';
import { ManagerSection } from '../state/session-store.js';
import {
  clerkSession,
  counterConfig,
  hallSettings,
  kioskConfig,
  managerSession,
  NOW,
  SAMPLE_TOKEN,
  sampleCatalog,
  sampleStaff,
  sampleStats,
  sampleWall,
  serviceConfig,
} from '../testing/manager-fixtures.js';
import { ForbiddenScreen } from './ForbiddenScreen.js';
import { KioskWall } from './KioskWall.js';
import { ManagerShell } from './ManagerShell.js';
import { SignInScreen } from './SignInScreen.js';
import { StatsScreen, type StatsHandlers } from './StatsScreen.js';

const noop = () => undefined;
const asyncNoop = () => Promise.resolve(false);

/** The text inside the element carrying `data-testid`, tags stripped. */
function textOf(html: string, testId: string): string | null {
  const match = new RegExp(`<(\\w+)[^>]*data-testid="${testId}"[^>]*>(.*?)</\\1>`, 's').exec(html);
  return match ? (match[2] ?? '').replace(/<[^>]+>/g, '') : null;
}

/** The opening tag of the element carrying `data-testid`. */
function tagOf(html: string, testId: string): string {
  return new RegExp(`<[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0] ?? '';
}

/** The cells of the table row carrying `data-testid`, tags stripped. */
function cellsOf(html: string, testId: string): string[] {
  const row = new RegExp(`<tr data-testid="${testId}"[^>]*>(.*?)</tr>`, 's').exec(html)?.[1] ?? '';
  return [...row.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, ''));
}

/** Visible Chinese left in an English page, once the language toggle and people's names are taken out. */
function chineseIn(html: string, allowed: readonly string[] = []): string[] {
  let visible = html.replace(/<button[^>]*data-testid="lang-toggle".*?<\/button>/s, '');
  for (const text of allowed) visible = visible.split(text).join('');
  return visible.match(/[\u4e00-\u9fff]+/gu) ?? [];
}

const wall = (language: Language) =>
  renderToStaticMarkup(
    <ManagerShell
      language={language}
      session={managerSession}
      hall={sampleCatalog.hall}
      section={ManagerSection.Wall}
      busy={false}
      error={null}
      onSignOut={noop}
      onToggleLanguage={noop}
      onDismissError={noop}
    >
      <KioskWall language={language} kiosks={sampleWall()} loaded error={null} now={NOW} />
    </ManagerShell>,
  );

describe('sign-in', () => {
  it('asks for hall, username and password, each labelled, in both languages', () => {
    const halls = [{ hallId: 'demo-city-hall', name: sampleCatalog.hall.name }];
    const zh = renderToStaticMarkup(<SignInScreen language={Language.Zh} halls={halls} busy={false} error={null} onSignIn={asyncNoop} onToggleLanguage={noop} onDismissError={noop} />);
    expect(zh).toContain('<h1>大厅管理台</h1>');
    expect(zh).toContain('<span>用户名</span><input data-testid="username"');
    expect(tagOf(zh, 'password')).toContain('type="password"');
    expect(tagOf(zh, 'password')).toContain('autoComplete="current-password"');
    expect(zh).toContain('仅限值班主任和管理员使用');
    const en = renderToStaticMarkup(<SignInScreen language={Language.En} halls={halls} busy={false} error={null} onSignIn={asyncNoop} onToggleLanguage={noop} onDismissError={noop} />);
    expect(en).toContain('Manager sign-in');
    expect(chineseIn(en, ['市民之家政务服务大厅'])).toEqual([]);
  });

  it('tells a clerk the console is not for their role, as an alert', () => {
    const refused = { code: PortalErrorCode.Forbidden, status: 403, detail: 'clerk' };
    const html = renderToStaticMarkup(<SignInScreen language={Language.Zh} halls={[]} busy={false} error={refused} onSignIn={asyncNoop} onToggleLanguage={noop} onDismissError={noop} />);
    expect(tagOf(html, 'error')).toContain('role="alert"');
    expect(textOf(html, 'error')).toContain('该账号无权使用管理台');
    const forbidden = renderToStaticMarkup(<ForbiddenScreen language={Language.Zh} session={clerkSession} busy={false} onSignOut={noop} onToggleLanguage={noop} />);
    expect(textOf(forbidden, 'forbidden-text')).toBe('李娜（窗口人员）的账号无权使用管理台。请使用值班主任或管理员账号登录。');
  });
});

describe('the console’s frame and the kiosk wall', () => {
  it('has a banner, a named navigation marking the current section, and the section in main', () => {
    const html = wall(Language.Zh);
    expect(textOf(html, 'hall-name')).toBe('市民之家政务服务大厅');
    expect(textOf(html, 'who')).toBe('赵主任（值班主任）');
    expect(html).toContain('<nav class="sections" aria-label="管理功能">');
    expect(tagOf(html, 'nav-wall')).toContain('aria-current="page"');
    expect(tagOf(html, 'nav-stats')).not.toContain('aria-current');
    expect(tagOf(html, 'nav-stats')).toContain('href="#stats"');
    expect(html).toMatch(/<main class="manager-main" aria-labelledby="section-heading">.*<h2 id="section-heading" tabindex="-1">终端状态<\/h2>/s);
  });

  it('shows a tile per kiosk in digit order: colour in words too, the reasons, and when it was last heard', () => {
    const html = wall(Language.Zh);
    const tiles = [...html.matchAll(/data-testid="kiosk-(kiosk-\d)" data-state="(\w+)"/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(tiles).toEqual(['kiosk-1:green', 'kiosk-2:red', 'kiosk-3:amber']);
    expect(textOf(html, 'kiosk-state-kiosk-2')).toBe('故障');
    expect(textOf(html, 'kiosk-reasons-kiosk-2')).toBe('打印机缺纸长时间未联系（超过两个同步周期）');
    expect(textOf(html, 'last-seen-kiosk-2')).toBe('3 分钟前');
    expect(textOf(html, 'last-seen-kiosk-1')).toBe('12 秒前');
    expect(textOf(html, 'wall-summary')).toBe('共 3 台终端：正常 1 台，需关注 1 台，故障 1 台');
    expect(tagOf(html, 'wall-summary')).toContain('role="status"');
    const alerts = [...html.matchAll(/data-testid="alert-([^"]+)"/g)].map((m) => m[1]);
    expect(alerts).toEqual(['kiosk-2-printer-paper-out', 'kiosk-2-silent', 'kiosk-3-printer-paper-near-end']);
  });

  it('is all English when English is chosen', () => {
    const html = wall(Language.En);
    expect(textOf(html, 'kiosk-state-kiosk-2')).toBe('Fault');
    expect(textOf(html, 'last-seen-kiosk-2')).toBe('3 minutes ago');
    expect(textOf(html, 'wall-summary')).toBe('3 kiosks: 1 OK, 1 need attention, 1 faulty');
    expect(chineseIn(html, ['赵主任'])).toEqual([]);
  });

  it('says a never-seen kiosk and an empty hall plainly, and marks a wall that could not refresh', () => {
    const never = { ...sampleWall()[1]!, lastSeenAt: null, latest: null };
    const html = renderToStaticMarkup(<KioskWall language={Language.Zh} kiosks={[never]} loaded error={{ code: ClientErrorCode.Network, status: null, detail: 'down' }} now={NOW} />);
    expect(html).toContain('从未联系');
    expect(textOf(html, 'wall-stale')).toBe('暂时无法刷新终端状态，下面显示的是上一次的数据');
    const empty = renderToStaticMarkup(<KioskWall language={Language.Zh} kiosks={[]} loaded error={null} now={NOW} />);
    expect(empty).toContain('尚未登记自助终端');
  });
});

const statsHandlers: StatsHandlers = { onEdit: noop, onApply: noop, onPreset: noop, onGroupBy: noop, onDismissError: noop };

function statsState(overrides: Partial<StatsState> = {}): StatsState {
  return { draft: { from: '2025-03-04', to: '2025-03-10' }, today: '2025-03-10', by: StatsBy.Service, problems: {}, result: sampleStats(StatsBy.Service), loading: false, error: null, ...overrides };
}

const statsHtml = (language: Language, state = statsState()) =>
  renderToStaticMarkup(<StatsScreen language={language} stats={state} csvUrl="http://portal.test/v1/manager/stats.csv?from=2025-03-04&amp;to=2025-03-10&amp;by=service&amp;lang=zh" handlers={statsHandlers} />);

describe('statistics', () => {
  it('picks a range with labelled date fields and the four presets, the current one pressed', () => {
    const html = statsHtml(Language.Zh);
    expect(tagOf(html, 'range-from')).toContain('type="date"');
    expect(tagOf(html, 'range-from')).toContain('value="2025-03-04"');
    expect(html).toContain('<span>开始日期</span>');
    expect([...html.matchAll(/data-testid="preset-([\w-]+)" aria-pressed="(\w+)"/g)].map((m) => `${m[1]}:${m[2]}`)).toEqual([
      `${StatsPreset.Today}:false`, `${StatsPreset.Last7}:true`, `${StatsPreset.Last30}:false`, `${StatsPreset.Last90}:false`,
    ]);
    expect(tagOf(html, 'group-service')).toContain('aria-pressed="true"');
  });

  it('says a wrong range beside its field, tied to it and marked invalid', () => {
    const html = statsHtml(Language.Zh, statsState({ draft: { from: '2025-03-10', to: '2025-03-01' }, problems: { to: RangeProblem.ToBeforeFrom } }));
    expect(tagOf(html, 'range-to')).toContain('aria-invalid="true"');
    expect(tagOf(html, 'range-to')).toContain('aria-describedby="range-to-problem"');
    expect(textOf(html, 'range-to-problem')).toBe('结束日期不能早于开始日期');
  });

  it('tabulates every measure with median and P90, the total in the footer, and links its CSV', () => {
    const html = statsHtml(Language.Zh);
    expect(html).toContain('<caption id="stats-caption-service">按业务统计（2025-03-04 至 2025-03-10）</caption>');
    for (const header of ['到达', '现场取号', '预约', '办结', '过号', '等候中位数（分钟）', '等候P90（分钟）', '办理中位数（分钟）', '办理P90（分钟）', '非常满意', '满意率', '整改未结', '整改逾期']) {
      expect(html, header).toContain(`<th scope="col">${header}</th>`);
    }
    expect(cellsOf(html, 'stats-row-social-insurance')).toEqual([
      '社保业务', '40', '38', '2', '37', '2', '1', '1', '5.5', '15.2', '4.5', '10.0', '10', '6', '2', '1', '1', '0', '90.0%', '1', '0',
    ]);
    expect(textOf(html, 'stats-total')).toContain('合计');
    expect(tagOf(html, 'stats-csv')).toContain('href="http://portal.test/v1/manager/stats.csv?from=2025-03-04&amp;to=2025-03-10&amp;by=service&amp;lang=zh"');
    expect(textOf(html, 'stats-csv')).toBe('导出 CSV（按业务）');
    // The scrolling table region takes the focus and is named by its caption.
    expect(html).toContain('<div class="table-scroll" role="region" aria-labelledby="stats-caption-service" tabindex="0">');
  });

  it('draws three charts, each a named picture whose figures are in the table', () => {
    const html = statsHtml(Language.Zh);
    for (const chart of ['chart-volume', 'chart-waiting', 'chart-ratings']) {
      expect(tagOf(html, chart)).toContain('role="img"');
    }
    expect(tagOf(html, 'chart-ratings')).toContain('aria-label="好差评分布图表，数据见下方表格"');
    const none = statsHtml(Language.Zh, statsState({ result: { ...sampleStats(StatsBy.Service), total: { ...sampleStats().total, ratings: { total: 0, levels: { 'very-satisfied': 0, satisfied: 0, 'basically-satisfied': 0, dissatisfied: 0, 'very-dissatisfied': 0 }, satisfactionRate: null } } } }));
    expect(none).not.toContain('data-testid="chart-ratings"');
    expect(none).toContain('该区间暂无评价');
  });

  it('is all English when English is chosen', () => {
    const html = statsHtml(Language.En);
    expect(html).toContain('<th scope="col">Wait P90 (min)</th>');
    expect(textOf(html, 'stats-csv')).toBe('Download CSV (By service)');
    expect(chineseIn(html)).toEqual([]);
  });
});

const configHandlers: ConfigHandlers = {
  showTab: () => Promise.resolve(), reload: () => Promise.resolve(), edit: noop, closeEditor: noop,
  createService: asyncNoop, updateService: asyncNoop, createCounter: asyncNoop, updateCounter: asyncNoop,
  registerKiosk: asyncNoop, updateKiosk: asyncNoop, revokeKiosk: asyncNoop, newKioskToken: asyncNoop, saveHall: asyncNoop,
  dismissToken: noop, dismissError: noop,
};

function configState(overrides: Partial<ConfigState> = {}): ConfigState {
  return {
    tab: ConfigTab.Services,
    services: [serviceConfig(), serviceConfig({ id: 'housing-fund', prefix: 'C', name: { zh: '住房公积金', en: 'Housing fund' }, hours: {}, dailyQuota: null, booking: null, version: 1 })],
    catalogVersion: 7,
    counters: [counterConfig()],
    kiosks: [kioskConfig(), kioskConfig({ kioskId: 'kiosk-2', name: null, kioskDigit: 2, active: false, revokedAt: '2025-03-09T01:00:00.000Z', technicianPinSet: false, idleTimeoutMs: null })],
    hall: hallSettings(),
    staff: sampleStaff,
    audit: [
      {
        at: '2025-03-10T01:58:07.000Z',
        staffId: 'manager',
        action: 'config.service.update',
        target: 'service:social-insurance',
        before: { name: { zh: '社保业务', en: 'Social insurance' } },
        after: { name: { zh: '社保卡业务', en: 'Social insurance' } },
      },
    ],
    editor: null,
    loading: false,
    saving: false,
    error: null,
    notice: null,
    issuedToken: null,
    ...overrides,
  };
}

const configHtml = (language: Language, state = configState()) => renderToStaticMarkup(<ConfigScreen language={language} config={state} handlers={configHandlers} />);

describe('configuration', () => {
  it('lists the services with their hours and quota, each with a named edit button', () => {
    const html = configHtml(Language.Zh);
    expect(cellsOf(html, 'service-row-social-insurance').slice(0, 6)).toEqual(['A', '社保业务 social-insurance', '启用', '一 09:00-12:00, 13:30-17:00; 六 09:00-12:00', '300', '3']);
    expect(tagOf(html, 'service-edit-social-insurance')).toContain('aria-label="编辑业务：社保业务"');
    expect(html).toContain('不办理');
  });

  it('edits a service: every field labelled, hours per weekday as text, the guide as JSON', () => {
    const html = configHtml(Language.Zh, configState({ editor: { kind: ConfigTab.Services, id: 'social-insurance' } }));
    expect(tagOf(html, 'service-editor')).toContain('aria-labelledby="service-editor-heading"');
    expect(html).toContain('<label for="service-nameZh">中文名称</label>');
    expect(tagOf(html, 'service-nameZh')).toContain('value="社保业务"');
    expect(tagOf(html, 'service-hours-1')).toContain('value="09:00-12:00, 13:30-17:00"');
    expect(html).toContain('<label for="service-hours-7">星期日</label>');
    expect(tagOf(html, 'service-dailyQuota')).toContain('aria-describedby="service-dailyQuota-hint"');
    expect(html).toContain('<label for="service-guide">办事指南（JSON）</label>');
    // An existing service keeps its id: no field for it.
    expect(html).not.toContain('data-testid="service-serviceId"');
  });

  it('shows a new kiosk’s token once, with the warning that it will not be shown again and a copy button', () => {
    const html = configHtml(Language.Zh, configState({ tab: ConfigTab.Kiosks, issuedToken: { kioskId: 'kiosk-3', token: SAMPLE_TOKEN } }));
    expect(tagOf(html, 'issued-token')).toContain(`value="${SAMPLE_TOKEN}"`);
    expect(tagOf(html, 'issued-token')).toContain('readOnly');
    expect(textOf(html, 'token-warning')).toContain('令牌只显示这一次');
    expect(textOf(html, 'token-copy')).toBe('复制令牌');
    expect(tagOf(html, 'token-copied')).toContain('role="status"');
    // Without a token just issued, no token anywhere on the page.
    expect(configHtml(Language.Zh, configState({ tab: ConfigTab.Kiosks }))).not.toContain('issued-token');
  });

  it('lists the kiosks: active ones can be revoked, a revoked one cannot, and the PIN is never shown', () => {
    const html = configHtml(Language.Zh, configState({ tab: ConfigTab.Kiosks }));
    expect(tagOf(html, 'kiosk-row-kiosk-1')).toContain('data-active="true"');
    expect(html).toContain('data-testid="kiosk-revoke-kiosk-1"');
    expect(html).not.toContain('data-testid="kiosk-revoke-kiosk-2"');
    expect(cellsOf(html, 'kiosk-row-kiosk-1').slice(0, 8)).toEqual(['1', 'kiosk-1 东门一号机', '在用', '全部已启用业务', '90 秒', '终端自身设置', '已设置', '4']);
  });

  it('edits the hall’s settings in one form, the calendar as JSON', () => {
    const html = configHtml(Language.Zh, configState({ tab: ConfigTab.Hall }));
    expect(html).toContain('<h3 id="hall-editor-heading" tabindex="-1">大厅设置（版本 5）</h3>');
    expect(tagOf(html, 'hall-timeZone')).toContain('value="Asia/Shanghai"');
    expect(tagOf(html, 'hall-ticketsOnlyInHours')).toContain('type="checkbox"');
    expect(html).toContain('&quot;day&quot;: &quot;2025-05-01&quot;');
  });

  it('says a stale write in words, as an alert', () => {
    const html = configHtml(Language.Zh, configState({ error: { code: PortalErrorCode.StaleVersion, status: 409, detail: 'stale' } }));
    expect(tagOf(html, 'error')).toContain('role="alert"');
    expect(textOf(html, 'error')).toContain('内容已被他人修改，已重新加载最新内容');
  });

  it('is all English when English is chosen (but for the hall’s own names)', () => {
    for (const tab of [ConfigTab.Services, ConfigTab.Counters, ConfigTab.Kiosks] as const) {
      const html = configHtml(Language.En, configState({ tab, editor: { kind: tab, id: null } }));
      expect(chineseIn(html, ['东门一号机', '李娜', '王强']), tab).toEqual([]);
    }
    const hall = configHtml(Language.En, configState({ tab: ConfigTab.Hall }));
    expect(chineseIn(hall, ['请保管好随身物品', '市民之家政务服务大厅'])).toEqual([]);
    const audit = configHtml(Language.En, configState({ tab: ConfigTab.Audit }));
    expect(chineseIn(audit, ['赵主任', '社保业务', '社保卡业务'])).toEqual([]);
  });

  it('lists the configuration changes: when (hall time), who, what, and before and after as text', () => {
    const html = renderToStaticMarkup(<ConfigScreen language={Language.Zh} config={configState({ tab: ConfigTab.Audit })} handlers={configHandlers} timeZone="Asia/Shanghai" />);
    const cells = cellsOf(html, 'audit-line');
    expect(cells.slice(0, 4)).toEqual(['2025/03/10 09:58:07', '赵主任', 'config.service.update', 'service:social-insurance']);
    expect(html).toContain('<summary>查看修改前后</summary>');
    // JSON as text: quotes escaped, never markup.
    expect(html).toContain('&quot;zh&quot;: &quot;社保卡业务&quot;');
  });
});
