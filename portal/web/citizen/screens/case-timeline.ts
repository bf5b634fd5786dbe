import { CaseStatus, type CaseView } from '../../../../common/contract/cases-api.js';

/** The path a case normally takes; 不予受理 (rejected) branches off it and ends it. */
export const CASE_MAIN_PATH: readonly CaseStatus[] = [
  CaseStatus.Accepted,
  CaseStatus.Processing,
  CaseStatus.Concluded,
  CaseStatus.ReadyForPickup,
  CaseStatus.PickedUp,
];

const FINAL: ReadonlySet<CaseStatus> = new Set([CaseStatus.Rejected, CaseStatus.PickedUp]);

export enum StepState {
  Done = 'done',
  Current = 'current',
  Pending = 'pending',
}

export interface TimelineStep {
  status: CaseStatus;
  state: StepState;
  at: string | null;
  note: string | null;
}

/**
 * The steps the citizen sees: what happened (oldest first, the last one current), then the steps
 * of the normal path still ahead. A rejected or picked-up case has nothing ahead.
 */
export function timelineSteps(view: Pick<CaseView, 'status' | 'timeline'>): TimelineStep[] {
  const happened: TimelineStep[] = view.timeline.map((entry) => ({ status: entry.status, state: StepState.Done, at: entry.at, note: entry.note }));
  if (happened.length === 0 || happened.at(-1)?.status !== view.status) happened.push({ status: view.status, state: StepState.Done, at: null, note: null });
  const last = happened.at(-1);
  if (last) last.state = StepState.Current;
  if (FINAL.has(view.status)) return happened;
  const reached = CASE_MAIN_PATH.indexOf(view.status);
  const ahead = CASE_MAIN_PATH.slice(reached + 1).map((status) => ({ status, state: StepState.Pending, at: null, note: null }));
  return [...happened, ...ahead];
}
