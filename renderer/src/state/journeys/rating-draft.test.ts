import { describe, expect, it } from 'vitest';
import { RatingLevel } from '../../../../common/contract/ratings-api.js';
import { dictionaries, Language } from '../../i18n/index.js';
import { chooseLevel, EMPTY_DRAFT, isComplete, phrasesFor, RatingDimension, RatingPhrase, toRatingInput, togglePhrase } from './rating-draft.js';

const zhPhrases = dictionaries[Language.Zh].rating.phrase;

describe('rating draft', () => {
  it('fills the dimensions from the overall level, so overall + submit is a whole rating', () => {
    const draft = chooseLevel(EMPTY_DRAFT, RatingDimension.Overall, RatingLevel.Satisfied);
    expect(isComplete(draft)).toBe(true);
    expect(toRatingInput(draft, zhPhrases)).toEqual({
      overall: RatingLevel.Satisfied,
      efficiency: RatingLevel.Satisfied,
      expertise: RatingLevel.Satisfied,
      attitude: RatingLevel.Satisfied,
      comment: null,
    });
  });

  it('keeps a dimension the visitor chose when the overall level changes', () => {
    let draft = chooseLevel(EMPTY_DRAFT, RatingDimension.Attitude, RatingLevel.VeryDissatisfied);
    expect(isComplete(draft)).toBe(false);
    expect(toRatingInput(draft, zhPhrases)).toBeNull();
    draft = chooseLevel(draft, RatingDimension.Overall, RatingLevel.Satisfied);
    draft = chooseLevel(draft, RatingDimension.Overall, RatingLevel.Dissatisfied);
    expect(draft.levels).toEqual({
      [RatingDimension.Overall]: RatingLevel.Dissatisfied,
      [RatingDimension.Efficiency]: RatingLevel.Dissatisfied,
      [RatingDimension.Expertise]: RatingLevel.Dissatisfied,
      [RatingDimension.Attitude]: RatingLevel.VeryDissatisfied,
    });
  });

  it('offers praise for a good visit and points to improve otherwise, none before the overall level', () => {
    expect(phrasesFor(null)).toEqual([]);
    expect(phrasesFor(RatingLevel.VerySatisfied)).toContain(RatingPhrase.Efficient);
    expect(phrasesFor(RatingLevel.Satisfied)).not.toContain(RatingPhrase.LongWait);
    expect(phrasesFor(RatingLevel.BasicallySatisfied)).toContain(RatingPhrase.LongWait);
    expect(phrasesFor(RatingLevel.VeryDissatisfied)).toContain(RatingPhrase.PoorAttitude);
  });

  it('writes the chosen phrases as the comment, in Chinese whatever the screen language, and drops ones no longer offered', () => {
    let draft = chooseLevel(EMPTY_DRAFT, RatingDimension.Overall, RatingLevel.Dissatisfied);
    draft = togglePhrase(draft, RatingPhrase.LongWait);
    draft = togglePhrase(draft, RatingPhrase.UnclearMaterials);
    // Not offered for a poor rating: ignored.
    draft = togglePhrase(draft, RatingPhrase.Efficient);
    expect(toRatingInput(draft, zhPhrases)?.comment).toBe('等候时间长；材料要求不清楚');
    draft = togglePhrase(draft, RatingPhrase.LongWait);
    expect(toRatingInput(draft, zhPhrases)?.comment).toBe('材料要求不清楚');
    draft = chooseLevel(draft, RatingDimension.Overall, RatingLevel.VerySatisfied);
    expect(draft.phrases).toEqual([]);
    expect(toRatingInput(draft, zhPhrases)?.comment).toBeNull();
  });
});
