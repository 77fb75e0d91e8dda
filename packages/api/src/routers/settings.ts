import { z } from 'zod';
import { actorOf } from '../audit/audit-log';
import { AppError } from '../errors';
import { SUiDefaults } from '../settings/keys';
import { listSettingDefs, settingDef } from '../settings/registry';
import '../all-settings';
import {
  defaultOf,
  getSetting,
  getSettingWithVersion,
  publicValue,
  rollbackSetting,
  setSetting,
  settingHistory,
} from '../settings/service';
import { adminProcedure, createTRPCRouter, publicProcedure } from '../trpc';

const ZKey = z.string().min(1).max(100);

function def(key: string) {
  const d = settingDef(key);
  if (!d) throw new AppError('NOT_FOUND', `unknown setting '${key}'`);
  return d;
}

export const settingsRouter = createTRPCRouter({
  /** Every registered setting with its current value (secrets masked) and JSON Schema for the form. */
  list: adminProcedure.input(z.object({}).optional()).query(async ({ ctx }) =>
    Promise.all(
      listSettingDefs().map(async (d) => {
        let current: { value: unknown; version: number; error?: string };
        try {
          const cur = await getSettingWithVersion(ctx.rt.db, d);
          current = { value: publicValue(d, cur.value), version: cur.version };
        } catch (err) {
          current = {
            value: publicValue(d, defaultOf(ctx.rt.db, d)),
            version: -1,
            error: (err as Error).message,
          };
        }
        return {
          key: d.key,
          section: d.section ?? 'other',
          description: d.description ?? '',
          secret: d.secret === true,
          ...current,
          default: publicValue(d, defaultOf(ctx.rt.db, d)),
          jsonSchema: z.toJSONSchema(d.schema, { unrepresentable: 'any' }) as unknown,
        };
      }),
    ),
  ),
  history: adminProcedure
    .input(z.object({ key: ZKey, limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => settingHistory(ctx.rt.db, def(input.key), input.limit)),
  set: adminProcedure
    .input(z.object({ key: ZKey, value: z.unknown(), expectedVersion: z.number().int().min(0).optional() }))
    .mutation(({ ctx, input }) =>
      setSetting(ctx.rt.db, def(input.key), input.value, actorOf(ctx.principal), {
        expectedVersion: input.expectedVersion,
        ip: ctx.ip,
      }),
    ),
  rollback: adminProcedure
    .input(z.object({ key: ZKey, version: z.number().int().min(1) }))
    .mutation(({ ctx, input }) =>
      rollbackSetting(ctx.rt.db, def(input.key), input.version, actorOf(ctx.principal), { ip: ctx.ip }),
    ),
  /** Language and colour defaults; public so the sign-in page can use them. */
  uiDefaults: publicProcedure
    .input(z.object({}).optional())
    .query(({ ctx }) => getSetting(ctx.rt.db, SUiDefaults)),
});
