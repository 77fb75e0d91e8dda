import { z } from 'zod';
import { actorOf, writeAudit } from '../audit/audit-log';
import { ROLES } from '../auth/roles';
import { createUser, deleteUser, listUsers, updateUser, ZUsername } from '../auth/users';
import { adminProcedure, createTRPCRouter } from '../trpc';

const ZPassword = z.string().min(1, 'password is required').max(256);

export const usersRouter = createTRPCRouter({
  list: adminProcedure.input(z.object({}).optional()).query(({ ctx }) => listUsers(ctx.rt.db)),
  create: adminProcedure
    .input(z.object({ username: ZUsername, password: ZPassword, role: z.enum(ROLES) }))
    .mutation(async ({ ctx, input }) => {
      const user = await createUser(ctx.rt.db, input);
      await writeAudit(ctx.rt.db, {
        actor: actorOf(ctx.principal),
        action: 'user.create',
        target: `user:${user.username}`,
        newValue: { username: user.username, role: user.role },
        ip: ctx.ip,
      });
      return user;
    }),
  update: adminProcedure
    .input(
      z.object({
        id: z.uuid(),
        role: z.enum(ROLES).optional(),
        disabled: z.boolean().optional(),
        password: ZPassword.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { before, after } = await updateUser(ctx.rt.db, input.id, input);
      const view = (u: typeof before) => ({ role: u.role, disabled: u.disabled });
      await writeAudit(ctx.rt.db, {
        actor: actorOf(ctx.principal),
        action: input.password ? 'user.update+password' : 'user.update',
        target: `user:${after.username}`,
        oldValue: view(before),
        newValue: view(after),
        ip: ctx.ip,
      });
      return after;
    }),
  delete: adminProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    const user = await deleteUser(ctx.rt.db, input.id);
    await writeAudit(ctx.rt.db, {
      actor: actorOf(ctx.principal),
      action: 'user.delete',
      target: `user:${user.username}`,
      oldValue: { username: user.username, role: user.role },
      ip: ctx.ip,
    });
    return { deleted: true };
  }),
});
