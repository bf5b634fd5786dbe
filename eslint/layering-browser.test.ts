import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'local/layering').map((m) => m.message);
}

describe('layering of the browser code (portal/web, common/browser)', () => {
  it('keeps Node out of the portal’s web pages and of common/browser', async () => {
    expect((await layeringErrors('portal/web/shared/forbidden.ts', "import fs from 'node:fs';\nexport const f = fs;\n"))[0]).toContain('runs without Node');
    expect((await layeringErrors('common/browser/forbidden.ts', "import fs from 'node:fs';\nexport const f = fs;\n"))[0]).toContain('runs without Node');
  });

  it('lets the web pages import common/ and common/browser, never the portal server', async () => {
    expect(
      await layeringErrors(
        'portal/web/shared/allowed.ts',
        "import { z } from 'zod';\nimport { x } from '../../../common/contract/errors.js';\nimport { y } from '../../../common/browser/sse-client.js';\nexport const a = [z, x, y];\n",
      ),
    ).toEqual([]);
    const errors = await layeringErrors('portal/web/shared/forbidden.ts', "import { x } from '../../http/portal-error.js';\nexport const y = x;\n");
    expect(errors[0]).toContain("'portal/web' may not import from 'portal'");
    expect((await layeringErrors('portal/web/shared/forbidden.ts', "import f from 'fastify';\nexport const y = f;\n"))[0]).toContain("may not use the package 'fastify'");
  });

  it('keeps the portal server out of the pages, and common/ out of common/browser', async () => {
    expect((await layeringErrors('portal/pages/forbidden.ts', "import { x } from '../web/shared/api/portal-client.js';\nexport const y = x;\n"))[0]).toContain(
      "'portal' may not import from 'portal/web'",
    );
    expect((await layeringErrors('common/contract/forbidden.ts', "import { x } from '../browser/sse-client.js';\nexport const y = x;\n"))[0]).toContain(
      "'common' may not import from 'common/browser'",
    );
  });

  it('lets the kiosk renderer use common/browser (the voice player)', async () => {
    expect(await layeringErrors('renderer/src/allowed.ts', "import { x } from '../../common/browser/voice/announcement-queue.js';\nexport const y = x;\n")).toEqual([]);
  });
});
