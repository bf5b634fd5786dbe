import { useState } from 'react';
import type { KioskConfigView, RegisterKioskRequest, ServiceConfigView, UpdateKioskRequest } from '../../../../common/contract/config-api.js';
import { localized, type Language } from '../../shared/i18n/language.js';
import type { ManagerDictionary } from '../i18n/index.js';
import { ConfigTab, type ConfigEditor, type IssuedToken } from './config-store.js';
import { KioskEditor } from './KioskEditor.js';
import { TokenOnce } from './TokenOnce.js';

export interface KiosksPanelProps {
  t: ManagerDictionary;
  language: Language;
  kiosks: KioskConfigView[] | null;
  services: ServiceConfigView[] | null;
  editor: ConfigEditor | null;
  issuedToken: IssuedToken | null;
  saving: boolean;
  onEdit: (editor: ConfigEditor) => void;
  onRegister: (request: RegisterKioskRequest) => void;
  onUpdate: (kioskId: string, request: UpdateKioskRequest) => void;
  onRevoke: (kioskId: string, version: number) => void;
  onNewToken: (kioskId: string, version: number) => void;
  onDismissToken: () => void;
  onCancel: () => void;
}

/** A kiosk's two actions that cannot be undone from here ask once more, in its row. */
type Confirming = { kioskId: string; action: 'revoke' | 'token' } | null;

export function KiosksPanel(props: KiosksPanelProps) {
  const { t, language } = props;
  const c = t.config;
  const [confirming, setConfirming] = useState<Confirming>(null);
  const editing = props.editor?.kind === ConfigTab.Kiosks ? props.editor : null;
  const current = editing?.id ? (props.kiosks?.find((k) => k.kioskId === editing.id) ?? null) : null;
  const serviceNames = (ids: string[] | null) =>
    ids === null ? c.allEnabledServices : ids.map((id) => { const s = props.services?.find((x) => x.id === id); return s ? localized(s.name, language) : id; }).join(', ');

  return (
    <div className="config-panel" data-testid="config-kiosks">
      {props.issuedToken && <TokenOnce t={t} issued={props.issuedToken} onDismiss={props.onDismissToken} />}
      {editing && (editing.id === null || current) && (
        <KioskEditor
          key={current ? `${current.kioskId}@${current.version}` : 'new'}
          t={t}
          language={language}
          kiosk={current}
          services={props.services ?? []}
          saving={props.saving}
          onRegister={props.onRegister}
          onUpdate={props.onUpdate}
          onCancel={props.onCancel}
        />
      )}
      <div className="panel-tools">
        <button type="button" className="secondary" data-testid="kiosk-register" onClick={() => props.onEdit({ kind: ConfigTab.Kiosks, id: null })}>
          {c.registerKiosk}
        </button>
      </div>
      <div className="table-scroll" role="region" aria-labelledby="kiosks-caption" tabIndex={0}>
        <table className="config-table">
          <caption id="kiosks-caption">{c.kiosksCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{c.kioskDigit}</th>
              <th scope="col">{c.kioskId}</th>
              <th scope="col">{c.state}</th>
              <th scope="col">{c.offeredServices}</th>
              <th scope="col">{c.idleTimeout}</th>
              <th scope="col">{c.elderlyAge}</th>
              <th scope="col">{c.technicianPin}</th>
              <th scope="col">{c.version}</th>
              <th scope="col">
                <span className="visually-hidden">{c.actions}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(props.kiosks ?? []).map((k) => {
              const asking = confirming?.kioskId === k.kioskId ? confirming.action : null;
              return (
                <tr key={k.kioskId} data-testid={`kiosk-row-${k.kioskId}`} data-active={k.active}>
                  <td>{k.kioskDigit}</td>
                  <th scope="row">
                    {k.kioskId} {k.name && <span className="tile-id">{k.name}</span>}
                  </th>
                  <td>{k.active ? c.kioskActive : c.kioskRevoked}</td>
                  <td className="wrap">{serviceNames(k.offeredServiceIds)}</td>
                  <td>{k.idleTimeoutMs === null ? c.kioskOwn : c.seconds(Math.round(k.idleTimeoutMs / 1000))}</td>
                  <td>{k.elderlyAge ?? c.kioskOwn}</td>
                  <td>{k.technicianPinSet ? c.pinSet : c.kioskOwn}</td>
                  <td>{k.version}</td>
                  <td className="row-actions">
                    {asking ? (
                      <>
                        <span className="warn">{asking === 'revoke' ? c.confirmRevoke(k.kioskId) : c.confirmNewToken(k.kioskId)}</span>
                        <button
                          type="button"
                          className="danger"
                          data-testid={`kiosk-confirm-${asking}-${k.kioskId}`}
                          disabled={props.saving}
                          onClick={() => {
                            setConfirming(null);
                            if (asking === 'revoke') props.onRevoke(k.kioskId, k.version);
                            else props.onNewToken(k.kioskId, k.version);
                          }}
                        >
                          {asking === 'revoke' ? c.revoke : c.newToken}
                        </button>
                        <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                          {c.cancel}
                        </button>
                      </>
                    ) : (
                      <>
                        <button type="button" className="secondary" data-testid={`kiosk-edit-${k.kioskId}`} aria-label={c.editKiosk(k.kioskId)} onClick={() => props.onEdit({ kind: ConfigTab.Kiosks, id: k.kioskId })}>
                          {c.edit}
                        </button>
                        <button type="button" className="secondary" data-testid={`kiosk-token-${k.kioskId}`} aria-label={c.newTokenFor(k.kioskId)} onClick={() => setConfirming({ kioskId: k.kioskId, action: 'token' })}>
                          {c.newToken}
                        </button>
                        {k.active && (
                          <button type="button" className="danger" data-testid={`kiosk-revoke-${k.kioskId}`} aria-label={c.revokeKiosk(k.kioskId)} onClick={() => setConfirming({ kioskId: k.kioskId, action: 'revoke' })}>
                            {c.revoke}
                          </button>
                        )}
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
