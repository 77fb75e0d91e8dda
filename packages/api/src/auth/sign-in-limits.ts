import type { DatabaseHandle } from '@investiq/db';
import { AppError } from '../errors';
import { assertNotLimited, consumeRateLimit, resetRateLimit } from '../security/rate-limits';

/** How far back a successful sign-in from an IP makes it "known" for that user. */
const KNOWN_IP_DAYS = 30;

const pairKey = (username: string, ip: string) => `${username}|${ip}`;

/**
 * Before checking a password. Failures are counted per (username, IP): a guesser locks only themselves
 * out, never the account's owner elsewhere. A distributed guesser (many IPs) runs into the slower
 * per-username limit; past it, only IPs this user signed in from within 30 days still get a password check,
 * so the owner keeps signing in from their usual places while the guessers get 429.
 */
export async function assertSignInAllowed(
  db: DatabaseHandle,
  input: { username: string; ip: string; now: Date },
): Promise<void> {
  await assertNotLimited(db, 'loginUsernameIp', pairKey(input.username, input.ip));
  try {
    await assertNotLimited(db, 'loginUsername', input.username);
  } catch (err) {
    if (err instanceof AppError && err.code === 'TOO_MANY_REQUESTS' && (await knownIp(db, input))) return;
    throw err;
  }
}

export async function recordSignInFailure(db: DatabaseHandle, input: { username: string; ip: string }) {
  // a failed count must not turn a wrong password into a 503 or 429 answer: the next attempt is checked
  await consumeRateLimit(db, 'loginUsernameIp', pairKey(input.username, input.ip)).catch(() => {});
  await consumeRateLimit(db, 'loginUsername', input.username).catch(() => {});
}

/** The per-username counter is not reset: the owner signing in must not re-open the door for guessers. */
export async function recordSignInSuccess(db: DatabaseHandle, input: { username: string; ip: string }) {
  await resetRateLimit(db, 'loginUsernameIp', pairKey(input.username, input.ip));
}

async function knownIp(db: DatabaseHandle, input: { username: string; ip: string; now: Date }) {
  const rows = await db.query(
    `SELECT 1 FROM audit_log WHERE action = 'auth.login' AND target = $1 AND ip = $2 AND at > $3 LIMIT 1`,
    [
      `user:${input.username}`,
      input.ip,
      new Date(input.now.getTime() - KNOWN_IP_DAYS * 86_400_000).toISOString(),
    ],
  );
  return rows.length > 0;
}
