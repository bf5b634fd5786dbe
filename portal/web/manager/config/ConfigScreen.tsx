import { ErrorBanner } from '../../shared/components/ErrorBanner.js';
import type { Language } from '../../shared/i18n/language.js';
import { managerDictionaries } from '../i18n/index.js';
import { CONFIG_TABS, ConfigTab, type ConfigActions, type ConfigState } from './config-store.js';
import { AuditPanel } from './AuditPanel.js';
import { CountersPanel } from './CountersPanel.js';
import { HallPanel } from './HallPanel.js';
import { KiosksPanel } from './KiosksPanel.js';
import { ServicesPanel } from './ServicesPanel.js';

export type ConfigHandlers = Pick<
  ConfigActions,
  | 'showTab' | 'reload' | 'edit' | 'closeEditor' | 'createService' | 'updateService' | 'createCounter' | 'updateCounter'
  | 'registerKiosk' | 'updateKiosk' | 'revokeKiosk' | 'newKioskToken' | 'saveHall' | 'dismissToken' | 'dismissError'
>;

/**
 * The hall's configuration: services, counters, kiosks and the hall's own settings, one page each.
 * What was saved (or why the page was reloaded: someone else saved first) is said in a status line.
 */
export function ConfigScreen({ language, config, handlers, timeZone }: { language: Language; config: ConfigState; handlers: ConfigHandlers; timeZone?: string }) {
  const t = managerDictionaries[language];
  const c = t.config;
  return (
    <section className="config" aria-labelledby="section-heading" data-testid="config" data-tab={config.tab} aria-busy={config.loading || config.saving}>
      <h2 id="section-heading" tabIndex={-1}>
        {t.section.config}
      </h2>
      <div className="groupings" role="group" aria-label={c.tabsLabel}>
        {CONFIG_TABS.map((tab) => (
          <button key={tab} type="button" className="toggle" data-testid={`config-tab-${tab}`} aria-pressed={config.tab === tab} onClick={() => void handlers.showTab(tab)}>
            {c.tab[tab]}
          </button>
        ))}
        <button type="button" className="secondary" data-testid="config-reload" onClick={() => void handlers.reload()} disabled={config.loading}>
          {c.reload}
        </button>
      </div>
      {config.error && <ErrorBanner error={config.error} messages={t.errorByCode} dismissLabel={t.dismiss} onDismiss={handlers.dismissError} />}
      <p role="status" className="stats-status" data-testid="config-notice" data-notice={config.notice ?? ''}>
        {config.loading ? t.loading : config.notice ? c.notice[config.notice] : ''}
      </p>
      {config.tab === ConfigTab.Services && (
        <ServicesPanel
          t={t}
          language={language}
          services={config.services}
          editor={config.editor}
          saving={config.saving}
          onEdit={handlers.edit}
          onCreate={(request) => void handlers.createService(request)}
          onUpdate={(id, settings, version) => void handlers.updateService(id, settings, version)}
          onCancel={handlers.closeEditor}
        />
      )}
      {config.tab === ConfigTab.Counters && (
        <CountersPanel
          t={t}
          language={language}
          counters={config.counters}
          services={config.services}
          staff={config.staff}
          editor={config.editor}
          saving={config.saving}
          onEdit={handlers.edit}
          onCreate={(request) => void handlers.createCounter(request)}
          onUpdate={(id, settings, version) => void handlers.updateCounter(id, settings, version)}
          onCancel={handlers.closeEditor}
        />
      )}
      {config.tab === ConfigTab.Kiosks && (
        <KiosksPanel
          t={t}
          language={language}
          kiosks={config.kiosks}
          services={config.services}
          editor={config.editor}
          issuedToken={config.issuedToken}
          saving={config.saving}
          onEdit={handlers.edit}
          onRegister={(request) => void handlers.registerKiosk(request)}
          onUpdate={(id, request) => void handlers.updateKiosk(id, request)}
          onRevoke={(id, version) => void handlers.revokeKiosk(id, version)}
          onNewToken={(id, version) => void handlers.newKioskToken(id, version)}
          onDismissToken={handlers.dismissToken}
          onCancel={handlers.closeEditor}
        />
      )}
      {config.tab === ConfigTab.Hall && config.hall && (
        <HallPanel
          key={`hall@${config.hall.version}`}
          t={t}
          hall={config.hall}
          saving={config.saving}
          onSave={(settings, version) => void handlers.saveHall(settings, version)}
        />
      )}
      {config.tab === ConfigTab.Audit && <AuditPanel t={t} language={language} entries={config.audit} staff={config.staff} timeZone={timeZone} />}
    </section>
  );
}
