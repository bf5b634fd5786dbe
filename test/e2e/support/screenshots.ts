import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let scratch: string | null = null;

/**
 * Where a screenshot goes: `docs/` for the README when `npm run screenshots` asks for them
 * (HK_SCREENSHOTS=1), a temporary folder otherwise, so a test run never dirties the tree.
 */
export function screenshotPath(name: string): string {
  if (process.env.HK_SCREENSHOTS === '1') return path.join(repoRoot, 'docs', name);
  scratch ??= mkdtempSync(path.join(os.tmpdir(), 'hk-screenshots-'));
  return path.join(scratch, name);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(name) });
}
