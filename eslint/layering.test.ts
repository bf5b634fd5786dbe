import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'local/layering').map((m) => m.message);
}

describe('layering rule (docs/architecture.md §2)', () => {
  it('rejects electron in the kiosk core', async () => {
    const errors = await layeringErrors('main/core/forbidden.ts', "import { app } from 'electron';\nexport const a = app;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('Only main/electron may import electron');
  });

  it('rejects node:fs in the renderer', async () => {
    const errors = await layeringErrors('renderer/src/forbidden.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('runs without Node');
  });

  it('rejects a relative import from common into devices', async () => {
    const errors = await layeringErrors('common/domain/forbidden.ts', "import { x } from '../../devices/printer/x.js';\nexport const y = x;\n");
    expect(errors[0]).toContain("'common' may not import from 'devices'");
  });

  it('rejects the renderer reaching into the core', async () => {
    const errors = await layeringErrors('renderer/src/forbidden.ts', "import { x } from '../../main/core/x.js';\nexport const y = x;\n");
    expect(errors[0]).toContain("'renderer' may not import from 'main/core'");
  });

  it('allows main/electron to import electron and the core', async () => {
    const errors = await layeringErrors(
      'main/electron/allowed.ts',
      "import { app } from 'electron';\nimport { x } from '../core/x.js';\nexport const y = [app, x];\n",
    );
    expect(errors).toEqual([]);
  });
});
