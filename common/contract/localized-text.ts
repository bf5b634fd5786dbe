import { z } from 'zod';

/** A text in both languages of the hall: Chinese first, English for foreign residents. */
export const LocalizedText = z.object({ zh: z.string().min(1).max(200), en: z.string().min(1).max(200) });
export type LocalizedText = z.infer<typeof LocalizedText>;
