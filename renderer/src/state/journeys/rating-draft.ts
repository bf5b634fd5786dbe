import { RATING_SCORE, RatingLevel, type RatingInput } from '../../../../common/contract/ratings-api.js';

/** The national 好差评 form at the kiosk: the overall level (整体) and the on-site dimensions 效率, 水平, 态度. */
export enum RatingDimension {
  Overall = 'overall',
  Efficiency = 'efficiency',
  Expertise = 'expertise',
  Attitude = 'attitude',
}

export const RATING_DIMENSIONS: readonly RatingDimension[] = [
  RatingDimension.Overall,
  RatingDimension.Efficiency,
  RatingDimension.Expertise,
  RatingDimension.Attitude,
];

/** The five levels, best first, as the national standard lists them (非常满意 … 非常不满意). */
export const RATING_LEVELS: readonly RatingLevel[] = [
  RatingLevel.VerySatisfied,
  RatingLevel.Satisfied,
  RatingLevel.BasicallySatisfied,
  RatingLevel.Dissatisfied,
  RatingLevel.VeryDissatisfied,
];

/**
 * The comment, as preset phrases the visitor taps: the kiosk has no keyboard, a pinyin input
 * method on a touch screen is slow for the elderly, and free text typed at a public terminal would
 * need moderation. Praise is offered for a good overall level, points to improve for the rest.
 */
export enum RatingPhrase {
  Efficient = 'efficient',
  Patient = 'patient',
  ClearAdvice = 'clear-advice',
  DoneInOneVisit = 'done-in-one-visit',
  LongWait = 'long-wait',
  UnclearMaterials = 'unclear-materials',
  RepeatVisits = 'repeat-visits',
  PoorAttitude = 'poor-attitude',
}

const PRAISE: readonly RatingPhrase[] = [RatingPhrase.Efficient, RatingPhrase.Patient, RatingPhrase.ClearAdvice, RatingPhrase.DoneInOneVisit];
const TO_IMPROVE: readonly RatingPhrase[] = [RatingPhrase.LongWait, RatingPhrase.UnclearMaterials, RatingPhrase.RepeatVisits, RatingPhrase.PoorAttitude];

/** The phrases offered for an overall level: none before it is chosen. */
export function phrasesFor(overall: RatingLevel | null): readonly RatingPhrase[] {
  if (overall === null) return [];
  return RATING_SCORE[overall] >= RATING_SCORE[RatingLevel.Satisfied] ? PRAISE : TO_IMPROVE;
}

export interface RatingDraft {
  levels: Readonly<Record<RatingDimension, RatingLevel | null>>;
  /** Dimensions the visitor chose themselves; the others follow the overall level. */
  chosen: readonly RatingDimension[];
  phrases: readonly RatingPhrase[];
}

export const EMPTY_DRAFT: RatingDraft = {
  levels: {
    [RatingDimension.Overall]: null,
    [RatingDimension.Efficiency]: null,
    [RatingDimension.Expertise]: null,
    [RatingDimension.Attitude]: null,
  },
  chosen: [],
  phrases: [],
};

/**
 * Sets one dimension. The overall level also fills every dimension the visitor has not chosen, so
 * two taps (overall, submit) rate a visit; a dimension tapped afterwards keeps its own level.
 */
export function chooseLevel(draft: RatingDraft, dimension: RatingDimension, level: RatingLevel): RatingDraft {
  const chosen = draft.chosen.includes(dimension) ? draft.chosen : [...draft.chosen, dimension];
  const levels = { ...draft.levels, [dimension]: level };
  if (dimension === RatingDimension.Overall) {
    for (const d of RATING_DIMENSIONS) if (!chosen.includes(d)) levels[d] = level;
  }
  const offered = phrasesFor(levels[RatingDimension.Overall]);
  return { levels, chosen, phrases: draft.phrases.filter((p) => offered.includes(p)) };
}

export function togglePhrase(draft: RatingDraft, phrase: RatingPhrase): RatingDraft {
  if (draft.phrases.includes(phrase)) return { ...draft, phrases: draft.phrases.filter((p) => p !== phrase) };
  if (!phrasesFor(draft.levels[RatingDimension.Overall]).includes(phrase)) return draft;
  return { ...draft, phrases: [...draft.phrases, phrase] };
}

export function isComplete(draft: RatingDraft): boolean {
  return RATING_DIMENSIONS.every((d) => draft.levels[d] !== null);
}

/**
 * The rating to submit, or null while a dimension is missing. The comment is written with the
 * hall's own texts (Chinese, whatever language the screen shows): it is read by the hall's staff.
 */
export function toRatingInput(draft: RatingDraft, phraseText: Readonly<Record<RatingPhrase, string>>): RatingInput | null {
  const { overall, efficiency, expertise, attitude } = draft.levels;
  if (overall === null || efficiency === null || expertise === null || attitude === null) return null;
  const comment = draft.phrases.length > 0 ? draft.phrases.map((p) => phraseText[p]).join('；') : null;
  return { overall, efficiency, expertise, attitude, comment };
}
