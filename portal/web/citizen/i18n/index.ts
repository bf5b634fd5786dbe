import { Language } from '../../shared/i18n/language.js';
import type { CitizenDictionary } from './citizen-dictionary.js';
import { citizenEn } from './strings-en.js';
import { citizenZh } from './strings-zh.js';

export type { CitizenDictionary, RatingDimension } from './citizen-dictionary.js';

export const citizenDictionaries: Readonly<Record<Language, CitizenDictionary>> = { [Language.Zh]: citizenZh, [Language.En]: citizenEn };
