import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostics, KioskRequest } from '../../../common/contract/kiosk-api.js';
import { Language } from '../i18n/index.js';
import { fakeKioskApi } from '../testing/fake-kiosk-api.js';
import { sampleDiagnostics, sampleSession } from '../testing/fixtures.js';
import { TechnicianView } from './TechnicianScreen.js';
import { createTechnicianStore, TechnicianStage, type TechnicianStore } from './technician-store.js';

const DAY = 86_400_000;
const held = (): Diagnostics => ({ ...sampleDiagnostics(), sync: { ...sampleDiagnostics().sync, clockJump: { acceptedOffsetMs: -120, measuredOffsetMs: DAY - 120 } } });

const stores: TechnicianStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.getState().dispose();
});

function render(diagnostics: Diagnostics, language: Language): string {
  const store = createTechnicianStore(fakeKioskApi({}).api);
  stores.push(store);
  store.setState({ stage: TechnicianStage.Diagnostics, session: sampleSession(), diagnostics });
  return renderToStaticMarkup(<TechnicianView state={store.getState()} actions={store.getState()} language={language} timeZone="Asia/Shanghai" />);
}

describe('technician screen, a held portal clock jump', () => {
  it('shows the jump, its size and a confirm button only while one is held', () => {
    const zh = render(held(), Language.Zh);
    expect(zh).toContain(`data-testid="clock-jump" data-measured="${DAY - 120}"`);
    expect(zh).toContain('+24.0 小时');
    expect(zh).toContain('data-testid="confirm-clock-jump"');
    expect(render(held(), Language.En)).toContain('moved by +24.0 h');
    expect(render(sampleDiagnostics(), Language.Zh)).not.toContain('data-testid="clock-jump"');
  });

  it('confirms the offset it showed, then says so and reloads the diagnostics', async () => {
    const confirms: KioskRequest<'confirmClockJump'>[] = [];
    let diagnostics = held();
    const kiosk = fakeKioskApi({
      getDiagnostics: async () => diagnostics,
      confirmClockJump: async (request) => {
        confirms.push(request);
        diagnostics = sampleDiagnostics();
        return { acceptedOffsetMs: request.measuredOffsetMs };
      },
    });
    const store = createTechnicianStore(kiosk.api);
    stores.push(store);
    store.setState({ stage: TechnicianStage.Diagnostics, session: sampleSession(), diagnostics });
    await store.getState().confirmClockJump(DAY - 120);
    expect(confirms).toEqual([{ session: sampleSession().session, measuredOffsetMs: DAY - 120 }]);
    expect(store.getState().outcome).toEqual({ kind: 'clock-confirmed', offsetMs: DAY - 120 });
    expect(store.getState().diagnostics?.sync.clockJump).toBeNull();
  });
});
