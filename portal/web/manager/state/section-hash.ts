import { MANAGER_SECTIONS, type ManagerSection } from './session-store.js';

/** The section a location hash names (`#stats`), or null for anything else. */
export function sectionOfHash(hash: string): ManagerSection | null {
  const name = hash.replace(/^#/, '');
  return MANAGER_SECTIONS.find((s) => s === name) ?? null;
}
