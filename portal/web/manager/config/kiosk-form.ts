import { RegisterKioskRequest, UpdateKioskRequest, type KioskConfigView } from '../../../../common/contract/config-api.js';
import { checkWith, optionalWholeNumber, wholeNumber, type FormResult } from './form-problems.js';

/** A kiosk as its form holds it. The idle timeout is typed in seconds (the contract keeps ms). */
export interface KioskDraft {
  kioskId: string;
  name: string;
  kioskDigit: string;
  /** Offers every enabled service (the contract's null), or only `offered`. */
  allServices: boolean;
  offered: string[];
  idleTimeoutSeconds: string;
  elderlyAge: string;
  /** A new technician PIN; empty: unchanged (or none, for a new kiosk). Never shown back. */
  technicianPin: string;
  /** Remove the PIN set here: the kiosk's own applies again. */
  removePin: boolean;
}

export function kioskDraftOf(view: KioskConfigView | null): KioskDraft {
  return {
    kioskId: view?.kioskId ?? '',
    name: view?.name ?? '',
    kioskDigit: view ? String(view.kioskDigit) : '',
    allServices: view ? view.offeredServiceIds === null : true,
    offered: [...(view?.offeredServiceIds ?? [])],
    idleTimeoutSeconds: view?.idleTimeoutMs == null ? '' : String(Math.round(view.idleTimeoutMs / 1000)),
    elderlyAge: view?.elderlyAge == null ? '' : String(view.elderlyAge),
    technicianPin: '',
    removePin: false,
  };
}

function fieldOf(path: readonly PropertyKey[], message: string): { field: string; message: string } {
  const head = String(path[0] ?? 'form');
  return { field: head === 'idleTimeoutMs' ? 'idleTimeoutSeconds' : head === 'offeredServiceIds' ? 'offered' : head, message };
}

function settingsInput(draft: KioskDraft) {
  const seconds = optionalWholeNumber(draft.idleTimeoutSeconds);
  const name = draft.name.trim();
  return {
    name: name === '' ? null : name,
    kioskDigit: wholeNumber(draft.kioskDigit),
    offeredServiceIds: draft.allServices ? null : draft.offered,
    idleTimeoutMs: seconds === null ? null : seconds * 1000,
    elderlyAge: optionalWholeNumber(draft.elderlyAge),
  };
}

export function registerKioskOf(draft: KioskDraft): FormResult<RegisterKioskRequest> {
  const pin = draft.technicianPin.trim();
  return checkWith(RegisterKioskRequest, { ...settingsInput(draft), kioskId: draft.kioskId.trim(), technicianPin: pin === '' ? null : pin }, fieldOf);
}

export function updateKioskOf(draft: KioskDraft, version: number): FormResult<UpdateKioskRequest> {
  const pin = draft.technicianPin.trim();
  const technicianPin = draft.removePin ? { technicianPin: null } : pin === '' ? {} : { technicianPin: pin };
  return checkWith(UpdateKioskRequest, { ...settingsInput(draft), version, ...technicianPin }, fieldOf);
}
