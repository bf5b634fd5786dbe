/** What the visitor sees: the start screen, a ticket, or one of the journeys beside "take a ticket". */
export enum Screen {
  Home = 'home',
  Ticket = 'ticket',
  /** 预约签到 */
  CheckIn = 'check-in',
  /** 办事指南 */
  Guide = 'guide',
  /** 办件进度 */
  Progress = 'progress',
  /** 好差评 */
  Rating = 'rating',
  /** 证照核验 */
  Verify = 'verify',
}

export type JourneyScreen = Screen.CheckIn | Screen.Guide | Screen.Progress | Screen.Rating | Screen.Verify;

/** The journeys on the home screen, in the order of their buttons. */
export const JOURNEYS: readonly JourneyScreen[] = [Screen.CheckIn, Screen.Guide, Screen.Progress, Screen.Rating, Screen.Verify];

export function isJourneyScreen(screen: Screen): screen is JourneyScreen {
  return (JOURNEYS as readonly Screen[]).includes(screen);
}
