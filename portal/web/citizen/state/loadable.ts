import type { UiError } from '../../shared/api/ui-error.js';

export enum LoadStatus {
  Loading = 'loading',
  Ready = 'ready',
  Failed = 'failed',
}

/** Something the page asked the portal for: on its way, there, or failed with a coded error. */
export type Loadable<T> =
  | { status: LoadStatus.Loading }
  | { status: LoadStatus.Ready; value: T }
  | { status: LoadStatus.Failed; error: UiError };
