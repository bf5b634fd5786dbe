import { CounterSettings, CreateCounterRequest, type CounterConfigView } from '../../../../common/contract/config-api.js';
import { checkWith, wholeNumber, type FormResult } from './form-problems.js';

/** A counter as its form holds it. */
export interface CounterDraft {
  counterId: string;
  number: string;
  nameZh: string;
  nameEn: string;
  enabled: boolean;
  /** Each service of the hall: served here, and its priority weight (as typed). */
  services: Record<string, { on: boolean; weight: string }>;
  allowedStaffIds: string[];
}

export const DEFAULT_WEIGHT = '10';

export function counterDraftOf(view: CounterConfigView | null, serviceIds: readonly string[]): CounterDraft {
  const services: CounterDraft['services'] = {};
  for (const id of serviceIds) services[id] = { on: false, weight: DEFAULT_WEIGHT };
  for (const s of view?.services ?? []) services[s.serviceId] = { on: true, weight: String(s.weight) };
  return {
    counterId: view?.counterId ?? '',
    number: view ? String(view.number) : '',
    nameZh: view?.name.zh ?? '',
    nameEn: view?.name.en ?? '',
    enabled: view?.enabled ?? true,
    services,
    allowedStaffIds: [...(view?.allowedStaffIds ?? [])],
  };
}

function fieldOf(path: readonly PropertyKey[], message: string): { field: string; message: string } {
  const [head, next] = path.map(String);
  if (head === 'name') return { field: next === 'en' ? 'nameEn' : 'nameZh', message };
  return { field: head ?? 'form', message };
}

function settingsInput(draft: CounterDraft) {
  return {
    number: wholeNumber(draft.number),
    name: { zh: draft.nameZh.trim(), en: draft.nameEn.trim() },
    enabled: draft.enabled,
    services: Object.entries(draft.services)
      .filter(([, s]) => s.on)
      .map(([serviceId, s]) => ({ serviceId, weight: wholeNumber(s.weight) })),
    allowedStaffIds: draft.allowedStaffIds,
  };
}

export function counterSettingsOf(draft: CounterDraft): FormResult<CounterSettings> {
  return checkWith(CounterSettings, settingsInput(draft), fieldOf);
}

export function newCounterOf(draft: CounterDraft): FormResult<CreateCounterRequest> {
  return checkWith(CreateCounterRequest, { ...settingsInput(draft), counterId: draft.counterId.trim() }, fieldOf);
}
