import { firstRunSetupToken } from '../auth/setup';
import type { Runtime } from '../runtime';

/** The one-time link that creates the first admin, or null when users exist. */
export async function firstRunSetupLink(rt: Runtime, baseUrl: string): Promise<string | null> {
  const token = await firstRunSetupToken(rt.db);
  return token ? `${baseUrl.replace(/\/$/, '')}/setup?token=${token}` : null;
}
