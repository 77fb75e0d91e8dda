import { z } from 'zod';
import { countUsers } from '../auth/users';
import { createTRPCRouter, publicProcedure } from '../trpc';

/** Once a user exists there always is one (the last admin cannot be removed): remember it per database. */
const usersExist = new WeakSet<object>();

export const authRouter = createTRPCRouter({
  /** Who am I? Anonymous callers learn only whether first-run setup is still open. */
  me: publicProcedure.input(z.object({}).optional()).query(async ({ ctx }) => {
    const p = ctx.principal;
    if (!usersExist.has(ctx.rt.db) && (await countUsers(ctx.rt.db)) > 0) usersExist.add(ctx.rt.db);
    if (p.kind === 'session')
      return { kind: 'session' as const, username: p.username, role: p.role, setupNeeded: false };
    if (p.kind === 'token')
      return { kind: 'token' as const, username: p.name, role: p.role, setupNeeded: false };
    return {
      kind: 'anonymous' as const,
      username: null,
      role: null,
      setupNeeded: !usersExist.has(ctx.rt.db),
    };
  }),
});
