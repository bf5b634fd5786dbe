import { useLayoutEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ConsoleCatalogResponse } from '../../../../common/contract/console-api.js';
import { CaseNumber, type CounterView, type QueueTicket } from '../../../../common/contract/counter-api.js';
import { Priority } from '../../../../common/domain/priority.js';
import type { Language } from '../../shared/i18n/language.js';
import type { ConsoleDictionary } from '../i18n/index.js';
import type { TransferChoice } from '../state/console-store.js';
import { counterLabel, serviceName } from './labels.js';

/**
 * A modal dialog, the browser's own (`showModal`): the rest of the page is inert while it is open,
 * Tab stays inside, Escape closes it, its `autoFocus` field takes the focus.
 */
function Dialog({ id, title, onClose, children }: { id: string; title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  // Layout effect: closed while still in the document, so the browser gives the focus back to
  // the key or button that opened it.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      data-testid={id}
      onCancel={(event) => {
        // Escape: the store closes it (and React unmounts it), not the browser on its own.
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </dialog>
  );
}

export function CompleteDialog({ t, busy, onConfirm, onClose }: { t: ConsoleDictionary; busy: boolean; onConfirm: (caseNumber: string | null) => void; onClose: () => void }) {
  const [caseNumber, setCaseNumber] = useState('');
  const trimmed = caseNumber.trim();
  const valid = trimmed === '' || CaseNumber.safeParse(trimmed).success;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) onConfirm(trimmed === '' ? null : trimmed);
  };
  return (
    <Dialog id="complete-dialog" title={t.completeHeading} onClose={onClose}>
      <form onSubmit={submit}>
        <label className="field">
          <span>{t.caseNumberLabel}</span>
          <input
            name="caseNumber"
            data-testid="case-number"
            autoFocus
            maxLength={40}
            autoComplete="off"
            spellCheck={false}
            value={caseNumber}
            aria-invalid={!valid}
            aria-describedby="case-number-hint"
            onChange={(e) => setCaseNumber(e.target.value)}
          />
        </label>
        <p id="case-number-hint" className={valid ? 'hint' : 'hint warn'}>
          {t.caseNumberHint}
        </p>
        <div className="dialog-buttons">
          <button type="submit" className="primary" data-testid="complete-confirm" disabled={busy || !valid}>
            {t.confirm}
          </button>
          <button type="button" onClick={onClose}>
            {t.cancel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function CallBackDialog(props: {
  t: ConsoleDictionary;
  held: QueueTicket[];
  language: Language;
  catalog: ConsoleCatalogResponse | null;
  busy: boolean;
  onCallBack: (ticketId: string) => void;
  onClose: () => void;
}) {
  const { t } = props;
  return (
    <Dialog id="call-back-dialog" title={t.callBackHeading} onClose={props.onClose}>
      {props.held.length === 0 ? (
        <p>{t.noHeld}</p>
      ) : (
        <ul className="choice-list">
          {props.held.map((ticket, i) => (
            <li key={ticket.ticketId}>
              <button type="button" autoFocus={i === 0} disabled={props.busy} data-testid={`call-back-choose-${ticket.number}`} onClick={() => props.onCallBack(ticket.ticketId)}>
                {t.callBackThis(ticket.number)} · {serviceName(props.catalog, ticket.serviceId, props.language)}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="dialog-buttons">
        <button type="button" onClick={props.onClose}>
          {t.cancel}
        </button>
      </div>
    </Dialog>
  );
}

type TransferKind = 'service' | 'counter';

export function TransferDialog(props: {
  t: ConsoleDictionary;
  ticket: QueueTicket;
  language: Language;
  catalog: ConsoleCatalogResponse | null;
  counters: CounterView[];
  ownCounterId: string | null;
  busy: boolean;
  onTransfer: (choice: TransferChoice) => void;
  onClose: () => void;
}) {
  const { t, language } = props;
  const [kind, setKind] = useState<TransferKind>('service');
  // Another service than the ticket's own: the visitor is sent on.
  const services = (props.catalog?.services ?? []).filter((s) => s.enabled && s.id !== props.ticket.serviceId);
  const counters = props.counters.filter((c) => c.counterId !== props.ownCounterId);
  const options = kind === 'service' ? services.map((s) => ({ id: s.id, label: serviceName(props.catalog, s.id, language) })) : counters.map((c) => ({ id: c.counterId, label: counterLabel(c, t, language) }));
  const [target, setTarget] = useState('');
  const [priority, setPriority] = useState<Priority | ''>('');
  const chosen = options.some((o) => o.id === target) ? target : (options[0]?.id ?? '');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    const where = kind === 'service' ? { serviceId: chosen } : { counterId: chosen };
    props.onTransfer({ ...where, ...(priority ? { priority } : {}) });
  };

  return (
    <Dialog id="transfer-dialog" title={`${t.transferHeading} ${props.ticket.number}`} onClose={props.onClose}>
      <form onSubmit={submit}>
        <fieldset className="inline-choice">
          <legend>{t.transferTarget}</legend>
          <label>
            <input type="radio" name="kind" value="service" autoFocus checked={kind === 'service'} onChange={() => setKind('service')} data-testid="transfer-to-service" />
            {t.transferToService}
          </label>
          <label>
            <input type="radio" name="kind" value="counter" checked={kind === 'counter'} onChange={() => setKind('counter')} data-testid="transfer-to-counter" />
            {t.transferToCounter}
          </label>
        </fieldset>
        <label className="field">
          <span>{kind === 'service' ? t.transferToService : t.transferToCounter}</span>
          <select name="target" data-testid="transfer-target" value={chosen} onChange={(e) => setTarget(e.target.value)}>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t.newPriority}</span>
          <select name="priority" data-testid="transfer-priority" value={priority} onChange={(e) => setPriority(e.target.value as Priority | '')}>
            <option value="">{t.keepPriority}</option>
            {Object.values(Priority).map((p) => (
              <option key={p} value={p}>
                {t.priorityName[p]}
              </option>
            ))}
          </select>
        </label>
        <div className="dialog-buttons">
          <button type="submit" className="primary" data-testid="transfer-confirm" disabled={props.busy || !chosen}>
            {t.confirm}
          </button>
          <button type="button" onClick={props.onClose}>
            {t.cancel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
