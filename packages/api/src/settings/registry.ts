import type { z } from 'zod';

/**
 * Every setting the admin area can change, with its schema and default. Register a key from any module:
 *
 *   export const SAnalysisModules = registerSetting({ key: 'analysis.modules', schema, default: {...} });
 *
 * and import that module from `all-settings.ts` so the admin pages list it.
 * `secret: true` stores the value AES-256-GCM encrypted and only ever shows it masked (string leaves).
 */
export interface SettingDef<T = unknown> {
  key: string;
  schema: z.ZodType<T>;
  default: T;
  secret?: boolean;
  /** One line for the admin page. */
  description?: string;
  /** Groups settings into admin pages: 'providers' | 'analysis' | 'inference' | 'quotes' | 'security' | 'ui' … */
  section?: string;
}

const registry = new Map<string, SettingDef>();

export function registerSetting<T>(def: SettingDef<T>): SettingDef<T> {
  if (!/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/.test(def.key))
    throw new Error(`setting key '${def.key}' must look like 'area.name'`);
  const existing = registry.get(def.key);
  if (existing && existing !== def) throw new Error(`setting '${def.key}' is registered twice`);
  const parsed = def.schema.safeParse(def.default);
  if (!parsed.success) throw new Error(`default of setting '${def.key}' does not match its schema`);
  registry.set(def.key, def as SettingDef);
  return def;
}

export function settingDef(key: string): SettingDef | undefined {
  return registry.get(key);
}

export function listSettingDefs(): SettingDef[] {
  return [...registry.values()].sort((a, b) => a.key.localeCompare(b.key));
}
