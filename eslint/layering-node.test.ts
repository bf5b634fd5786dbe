import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'local/layering').map((m) => m.message);
}

const USES_COMMON_NODE = "import { verifyCertificateCode } from '__/common/node/certificate-verify.js';\nexport const v = verifyCertificateCode;\n";

describe('layering of common/node (Node code shared by the kiosk and the portal)', () => {
  it('lets common/node use Node built-ins and common/, nothing else', async () => {
    expect(
      await layeringErrors(
        'common/node/allowed.ts',
        "import { verify } from 'node:crypto';\nimport { z } from 'zod';\nimport { x } from '../domain/certificate-code.js';\nexport const a = [verify, z, x];\n",
      ),
    ).toEqual([]);
    expect((await layeringErrors('common/node/forbidden.ts', "import { x } from '../../portal/http/portal-error.js';\nexport const y = x;\n"))[0]).toContain(
      "'common/node' may not import from 'portal'",
    );
    expect((await layeringErrors('common/node/forbidden.ts', "import { x } from '../../offline-queue/kiosk-store.js';\nexport const y = x;\n"))[0]).toContain(
      "'common/node' may not import from 'offline-queue'",
    );
    expect((await layeringErrors('common/node/forbidden.ts', "import pg from 'pg';\nexport const y = pg;\n"))[0]).toContain("may not use the package 'pg'");
  });

  it('is importable from the portal, the kiosk core, its store, devices and the browser shell', async () => {
    for (const file of ['portal/cases/a.ts', 'main/core/a.ts', 'offline-queue/a.ts', 'devices/a.ts', 'main/browser-host/a.ts', 'main/electron/a.ts']) {
      const depth = file.split('/').length - 1;
      const code = USES_COMMON_NODE.replace('__/', '../'.repeat(depth));
      expect(await layeringErrors(file, code), file).toEqual([]);
    }
  });

  it('stays out of the browser runtimes and out of pure common/', async () => {
    for (const file of ['renderer/src/a.ts', 'portal/web/shared/a.ts', 'common/browser/a.ts', 'common/domain/a.ts']) {
      const depth = file.split('/').length - 1;
      const code = USES_COMMON_NODE.replace('__/', '../'.repeat(depth));
      const errors = await layeringErrors(file, code);
      expect(errors[0], file).toMatch(/may not import from 'common\/node'/);
    }
  });
});
