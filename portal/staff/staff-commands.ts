import { parseArgs } from 'node:util';
import type pg from 'pg';
import { z } from 'zod';
import { StaffRole } from '../../common/contract/route-spec.js';
import { issueDisplayToken, revokeDisplayToken } from './display-tokens.js';
import { createStaffAccount, disableStaff, setStaffPassword, unlockStaff } from './staff-accounts.js';

/**
 * `npm run staff -- <command> …`: staff accounts and display tokens of a hall, for whoever runs the
 * portal's server. A password never comes from the command line (other users of the machine see
 * it in `ps`): it comes from STAFF_PASSWORD or the first line of standard input.
 */
export const STAFF_USAGE = `usage: npm run staff -- <command> --hall <hallId> …
  add            --staff-id <id> --username <name> --name <display name> [--role clerk|manager|admin]   (password: STAFF_PASSWORD or stdin)
  password       --staff-id <id>                                                                      (password: STAFF_PASSWORD or stdin)
  unlock         --staff-id <id>
  disable        --staff-id <id>
  display-token  --display-id <id> [--name <name>]      prints the display's new token (its old one is revoked)
  revoke-display --display-id <id>`;

const Command = z.enum(['add', 'password', 'unlock', 'disable', 'display-token', 'revoke-display']);

export interface StaffCommandIo {
  /** STAFF_PASSWORD, or the first line of stdin. */
  readPassword: () => Promise<string>;
  print: (line: string) => void;
}

export async function runStaffCommand(pool: pg.Pool, argv: readonly string[], io: StaffCommandIo): Promise<void> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      hall: { type: 'string' },
      'staff-id': { type: 'string' },
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      'display-id': { type: 'string' },
    },
  });
  const command = Command.parse(positionals[0]);
  const hallId = z.string({ error: '--hall is required' }).min(1).parse(values.hall);
  const staffId = (): string => z.string({ error: '--staff-id is required' }).min(1).parse(values['staff-id']);
  const displayId = (): string => z.string({ error: '--display-id is required' }).min(1).parse(values['display-id']);
  switch (command) {
    case 'add': {
      const username = z.string({ error: '--username is required' }).parse(values.username);
      await createStaffAccount(pool, {
        hallId,
        staffId: staffId(),
        username,
        displayName: values.name ?? username,
        role: z.enum(StaffRole).parse(values.role ?? StaffRole.Clerk),
        password: await io.readPassword(),
      });
      io.print(`account ${staffId()} (${username}) set in ${hallId}`);
      return;
    }
    case 'password':
      await setStaffPassword(pool, hallId, staffId(), await io.readPassword());
      io.print(`password of ${staffId()} set; its sessions ended`);
      return;
    case 'unlock':
      await unlockStaff(pool, hallId, staffId());
      io.print(`${staffId()} unlocked`);
      return;
    case 'disable':
      await disableStaff(pool, hallId, staffId());
      io.print(`${staffId()} disabled; its sessions ended and its API keys stopped`);
      return;
    case 'display-token': {
      const token = await issueDisplayToken(pool, { hallId, displayId: displayId(), name: values.name ?? displayId() });
      // The one time the token is shown: the display's configuration needs it.
      io.print(token);
      return;
    }
    case 'revoke-display':
      io.print((await revokeDisplayToken(pool, hallId, displayId())) ? `token of ${displayId()} revoked` : `${displayId()} had no active token`);
      return;
  }
}
