import type { DatabaseHandle } from '@investiq/db';
import type { Principal } from '../auth/types';
import { consumeRateLimit } from './rate-limits';

/** The per-caller request limit, the same for tRPC and REST: users and tokens by id, anonymous callers by IP. */
export async function consumeCallerLimit(db: DatabaseHandle, p: Principal, ip: string): Promise<void> {
  if (p.kind === 'session') await consumeRateLimit(db, 'user', p.userId);
  else if (p.kind === 'token') await consumeRateLimit(db, 'token', p.id);
  else await consumeRateLimit(db, 'anonymous', ip);
}
