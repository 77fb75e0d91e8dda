import { z } from 'zod';
import { actorOf } from '../audit/audit-log';
import { ROLES } from '../auth/roles';
import { createUser, deleteUser, listUsers, updateUser, ZUsername } from '../auth/users';
import { adminProcedure, type Context, createTRPCRouter } from '../trpc';

const ZPassword = z.string().min(1, 'password is required').max(256);
/** The audit row is written by the domain function, in the change's transaction. */
const by = (ctx: Context) => ({ actor: actorOf(ctx.principal), ip: ctx.ip });

export const usersRouter = createTRPCRouter({
  list: adminProcedure.input(z.object({}).optional()).query(({ ctx }) => listUsers(ctx.rt.db)),
  create: adminProcedure
    .input(z.object({ username: ZUsername, password: ZPassword, role: z.enum(ROLES) }))
    .mutation(({ ctx, input }) => createUser(ctx.rt.db, input, by(ctx))),
  update: adminProcedure
    .input(
      z.object({
        id: z.uuid(),
        role: z.enum(ROLES).optional(),
        disabled: z.boolean().optional(),
        password: ZPassword.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => (await updateUser(ctx.rt.db, input.id, input, by(ctx))).after),
  delete: adminProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    await deleteUser(ctx.rt.db, input.id, by(ctx));
    return { deleted: true };
  }),
});
