import type { z } from 'zod';
import type { CounterConfigView, CounterSettings, CreateCounterRequest, ServiceConfigView, StaffMemberView } from '../../../../common/contract/config-api.js';
import { localized, type Language } from '../../shared/i18n/language.js';
import type { ManagerDictionary } from '../i18n/index.js';
import { ConfigTab, type ConfigEditor } from './config-store.js';
import { CounterEditor } from './CounterEditor.js';

export interface CountersPanelProps {
  t: ManagerDictionary;
  language: Language;
  counters: CounterConfigView[] | null;
  services: ServiceConfigView[] | null;
  staff: z.infer<typeof StaffMemberView>[] | null;
  editor: ConfigEditor | null;
  saving: boolean;
  onEdit: (editor: ConfigEditor) => void;
  onCreate: (request: CreateCounterRequest) => void;
  onUpdate: (counterId: string, settings: CounterSettings, version: number) => void;
  onCancel: () => void;
}

export function CountersPanel(props: CountersPanelProps) {
  const { t, language } = props;
  const c = t.config;
  const editing = props.editor?.kind === ConfigTab.Counters ? props.editor : null;
  const current = editing?.id ? (props.counters?.find((x) => x.counterId === editing.id) ?? null) : null;
  const serviceName = (id: string) => {
    const service = props.services?.find((s) => s.id === id);
    return service ? localized(service.name, language) : id;
  };
  const staffName = (id: string) => props.staff?.find((s) => s.staffId === id)?.displayName ?? id;
  return (
    <div className="config-panel" data-testid="config-counters">
      {editing && (editing.id === null || current) && (
        <CounterEditor
          key={current ? `${current.counterId}@${current.version}` : 'new'}
          t={t}
          language={language}
          counter={current}
          services={props.services ?? []}
          staff={props.staff ?? []}
          saving={props.saving}
          onCreate={props.onCreate}
          onUpdate={props.onUpdate}
          onCancel={props.onCancel}
        />
      )}
      <div className="panel-tools">
        <button type="button" className="secondary" data-testid="counter-new" onClick={() => props.onEdit({ kind: ConfigTab.Counters, id: null })}>
          {c.newCounter}
        </button>
      </div>
      <div className="table-scroll" role="region" aria-labelledby="counters-caption" tabIndex={0}>
        <table className="config-table">
          <caption id="counters-caption">{c.countersCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{c.counterNumber}</th>
              <th scope="col">{c.name}</th>
              <th scope="col">{c.state}</th>
              <th scope="col">{c.counterServices}</th>
              <th scope="col">{c.allowedStaff}</th>
              <th scope="col">{c.version}</th>
              <th scope="col">
                <span className="visually-hidden">{c.actions}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(props.counters ?? []).map((x) => (
              <tr key={x.counterId} data-testid={`counter-row-${x.counterId}`}>
                <td>{x.number}</td>
                <th scope="row">
                  {localized(x.name, language)} <span className="tile-id">{x.counterId}</span>
                </th>
                <td>{x.enabled ? c.enabledYes : c.enabledNo}</td>
                <td className="wrap">{x.services.length === 0 ? c.allServices : x.services.map((s) => `${serviceName(s.serviceId)} (${s.weight})`).join(', ')}</td>
                <td className="wrap">{x.allowedStaffIds.length === 0 ? c.anyClerk : x.allowedStaffIds.map(staffName).join(', ')}</td>
                <td>{x.version}</td>
                <td>
                  <button type="button" className="secondary" data-testid={`counter-edit-${x.counterId}`} aria-label={c.editCounter(localized(x.name, language))} onClick={() => props.onEdit({ kind: ConfigTab.Counters, id: x.counterId })}>
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
