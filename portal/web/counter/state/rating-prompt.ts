import { RatingLevel, type RatingInput } from '../../../../common/contract/ratings-api.js';

/**
 * The console's rating prompt (好差评) after a completion: the visitor rates the visit on the
 * clerk's screen, or the clerk skips it. Pure rules of the panel; the store posts the rating.
 */

/** The on-site dimensions beside the overall level: 办事效率, 业务水平, 服务态度. */
export const RATING_DIMENSIONS = ['efficiency', 'expertise', 'attitude'] as const;
export type RatingDimension = (typeof RATING_DIMENSIONS)[number];

/** Best first, as the national standard lists them: 非常满意 … 非常不满意. */
export const RATING_LEVELS: readonly RatingLevel[] = [
  RatingLevel.VerySatisfied,
  RatingLevel.Satisfied,
  RatingLevel.BasicallySatisfied,
  RatingLevel.Dissatisfied,
  RatingLevel.VeryDissatisfied,
];

/** The ticket just completed, offered for rating. */
export interface RatingPrompt {
  ticketId: string;
  number: string;
}

/** What the visitor has chosen so far. */
export interface RatingChoice {
  overall: RatingLevel | null;
  dimensions: Partial<Record<RatingDimension, RatingLevel>>;
  comment: string;
}

export const NO_CHOICE: RatingChoice = { overall: null, dimensions: {}, comment: '' };

/** A dimension the visitor left alone counts as the overall level (one tap rates the whole visit). */
export function levelOf(choice: RatingChoice, dimension: RatingDimension): RatingLevel | null {
  return choice.dimensions[dimension] ?? choice.overall;
}

/** The rating to post, or null while the overall level is still missing. */
export function ratingInputOf(choice: RatingChoice): RatingInput | null {
  const overall = choice.overall;
  if (overall === null) return null;
  const comment = choice.comment.trim();
  return {
    overall,
    efficiency: levelOf(choice, 'efficiency') ?? overall,
    expertise: levelOf(choice, 'expertise') ?? overall,
    attitude: levelOf(choice, 'attitude') ?? overall,
    comment: comment === '' ? null : comment.slice(0, 500),
  };
}
