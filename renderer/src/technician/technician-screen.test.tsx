import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { KioskErrorCode } from '../../../common/contract/errors.js';
import { DeviceKind } from '../../../common/contract/kiosk-api.js';
import { Language } from '../i18n/index.js';
import { fakeKioskApi } from '../testing/fake-kiosk-api.js';
import { sampleDiagnostics, sampleSession } from '../testing/fixtures.js';
import { TechnicianView } from './TechnicianScreen.js';
import { createTechnicianStore, TechnicianStage, type TechnicianState } from './technician-store.js';

function render(state: Partial<TechnicianState>, language = Language.Zh): string {
  const store = createTechnicianStore(fakeKioskApi({}).api);
  store.setState(state);
  const html = renderToStaticMarkup(<TechnicianView state={store.getState()} actions={store.getState()} language={language} timeZone="Asia/Shanghai" />);
  store.getState().dispose();
  return html;
}

function textOf(html: string, testId: string): string | null {
  const match = new RegExp(`<(\\w+)[^>]*data-testid="${testId}"[^>]*>(.*?)</\\1>`).exec(html);
  return match ? (match[2] ?? '').replace(/<[^>]+>/g, '') : null;
}

describe('TechnicianScreen', () => {
  it('renders nothing while closed', () => {
    expect(render({ stage: TechnicianStage.Closed })).toBe('');
  });

  it('shows a PIN pad with ten digit keys and dots, never the digits', () => {
    const html = render({ stage: TechnicianStage.Pin, pin: '135791' });
    for (const d of '0123456789') expect(html).toContain(`data-testid="pin-key-${d}"`);
    expect(html).toContain('data-testid="pin-dots" data-length="6"');
    expect(textOf(html, 'pin-dots')).toBe('●●●●●●');
    expect(html).not.toContain('135791');
    expect(html).toMatch(/data-testid="pin-submit"(?![^>]*disabled)/);
    // Shorter than the contract's minimum: nothing to send.
    expect(render({ stage: TechnicianStage.Pin, pin: '13579' })).toMatch(/data-testid="pin-submit"[^>]*disabled=""/);
  });

  it('says why a login failed', () => {
    const wrong = render({ stage: TechnicianStage.Pin, error: { code: KioskErrorCode.WrongPin, detail: '3 attempts left' } });
    expect(textOf(wrong, 'pin-error')).toBe('密码错误 (3 attempts left)');
    const locked = render({ stage: TechnicianStage.Pin, error: { code: KioskErrorCode.LockedOut, detail: '' } }, Language.En);
    expect(locked).toContain('data-code="locked-out"');
    expect(textOf(locked, 'pin-error')).toBe('Too many wrong PINs — please try again later');
  });

  it('shows devices, alerts, sync, quarantine, reprints, audit and logs', () => {
    const html = render({ stage: TechnicianStage.Diagnostics, session: sampleSession(), diagnostics: sampleDiagnostics() });
    expect(html).toContain('data-testid="device-reader" data-state="ready"');
    expect(html).toContain('05.01-20250304-0000000001-1234567890');
    expect(html).toContain('data-testid="device-scanner" data-state="not-configured"');
    expect(html).toMatch(/data-testid="self-test-scanner"[^>]*disabled=""/);
    expect(html).toContain('data-testid="device-printer" data-state="fault"');
    expect(html).toContain('缺纸');
    expect(html).toContain('data-testid="alert" data-kind="printer-not-ready" data-open="true"');
    expect(textOf(html, 'sync-backlog')).toBe('2');
    expect(html).toContain('service gone from the catalog');
    expect(html).toContain('data-testid="reprint-A024"');
    expect(html).toContain('data-testid="audit-row" data-action="login" data-outcome="ok"');
    expect(textOf(html, 'logs')).toBe('2025-03-04T06:01:00.000Z warn printer: paper-out');
    expect(html).toContain('时钟偏差：-120 毫秒');
  });

  it('shows a self-test result and what the last action did', () => {
    const html = render({
      stage: TechnicianStage.Diagnostics,
      session: sampleSession(),
      diagnostics: sampleDiagnostics(),
      selfTests: { [DeviceKind.Printer]: { device: DeviceKind.Printer, ok: true, message: 'test page printed; ready', printerState: null, finishedAt: '2025-03-04T06:00:00.000Z' } },
      outcome: { kind: 'reprinted', number: 'A024' },
    });
    expect(textOf(html, 'self-test-result-printer')).toBe('通过: test page printed; ready');
    expect(textOf(html, 'technician-outcome')).toBe('已补打 A024');
  });
});
