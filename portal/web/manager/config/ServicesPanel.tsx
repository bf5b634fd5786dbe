import type { CreateServiceRequest, ServiceConfigView, ServiceSettings } from '../../../../common/contract/config-api.js';
import { localized, type Language } from '../../shared/i18n/language.js';
import type { ManagerDictionary } from '../i18n/index.js';
import { ConfigTab, type ConfigEditor } from './config-store.js';
import { ServiceEditor } from './ServiceEditor.js';
import { hoursText, WEEKDAYS } from './weekly-hours-text.js';

export interface ServicesPanelProps {
  t: ManagerDictionary;
  language: Language;
  services: ServiceConfigView[] | null;
  editor: ConfigEditor | null;
  saving: boolean;
  onEdit: (editor: ConfigEditor) => void;
  onCreate: (request: CreateServiceRequest) => void;
  onUpdate: (serviceId: string, settings: ServiceSettings, version: number) => void;
  onCancel: () => void;
}

/** The week's hours in one line: `一 09:00-17:00; 二 …` (closed days left out). */
function weekSummary(service: ServiceConfigView, t: ManagerDictionary): string {
  const days = WEEKDAYS.filter((d) => (service.hours[d]?.length ?? 0) > 0).map((d) => `${t.config.weekdayShort[d]} ${hoursText(service.hours[d])}`);
  return days.length > 0 ? days.join('; ') : t.config.closed;
}

export function ServicesPanel({ t, language, services, editor, saving, onEdit, onCreate, onUpdate, onCancel }: ServicesPanelProps) {
  const c = t.config;
  const editing = editor?.kind === ConfigTab.Services ? editor : null;
  const current = editing?.id ? (services?.find((s) => s.id === editing.id) ?? null) : null;
  return (
    <div className="config-panel" data-testid="config-services">
      {editing && (editing.id === null || current) && (
        <ServiceEditor
          // A new version (saved elsewhere, reloaded after a stale write) starts the form again from it.
          key={current ? `${current.id}@${current.version}` : 'new'}
          t={t}
          service={current}
          saving={saving}
          onCreate={onCreate}
          onUpdate={onUpdate}
          onCancel={onCancel}
        />
      )}
      <div className="panel-tools">
        <button type="button" className="secondary" data-testid="service-new" onClick={() => onEdit({ kind: ConfigTab.Services, id: null })}>
          {c.newService}
        </button>
      </div>
      <div className="table-scroll" role="region" aria-labelledby="services-caption" tabIndex={0}>
        <table className="config-table">
          <caption id="services-caption">{c.servicesCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{c.prefix}</th>
              <th scope="col">{c.name}</th>
              <th scope="col">{c.state}</th>
              <th scope="col">{c.hoursLegend}</th>
              <th scope="col">{c.dailyQuota}</th>
              <th scope="col">{c.version}</th>
              <th scope="col">
                <span className="visually-hidden">{c.actions}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(services ?? []).map((s) => (
              <tr key={s.id} data-testid={`service-row-${s.id}`}>
                <td>{s.prefix}</td>
                <th scope="row">
                  {localized(s.name, language)} <span className="tile-id">{s.id}</span>
                </th>
                <td>{s.enabled ? c.enabledYes : c.enabledNo}</td>
                <td className="wrap">{weekSummary(s, t)}</td>
                <td>{s.dailyQuota ?? c.unlimited}</td>
                <td>{s.version}</td>
                <td>
                  <button type="button" className="secondary" data-testid={`service-edit-${s.id}`} aria-label={c.editService(localized(s.name, language))} onClick={() => onEdit({ kind: ConfigTab.Services, id: s.id })}>
                    {c.edit}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
