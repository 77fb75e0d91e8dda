import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseHandle } from '@investiq/db';
import { AUTH_CHANNEL, credentialCacheOf, forgetCredentials } from './credential-cache';
import type { Role } from './roles';

export const SESSION_COOKIE = 'iq_session';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface SessionPrincipal {
  sessionId: string;
  userId: string;
  username: string;
  role: Role;
  expiresAt: Date;
}

/** Start a session; returns the cookie token (shown to nobody else, only its hash is stored). */
export async function createSession(
  db: DatabaseHandle,
  userId: string,
  opts: { now: Date; ttlSeconds: number },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(opts.now.getTime() + opts.ttlSeconds * 1000);
  await db.query('INSERT INTO sessions (id, user_id, expires_at, last_seen_at) VALUES ($1, $2, $3, $4)', [
    hashToken(token),
    userId,
    expiresAt.toISOString(),
    opts.now.toISOString(),
  ]);
  // opportunistic clean-up of long-expired sessions
  await db.query('DELETE FROM sessions WHERE expires_at < $1', [
    new Date(opts.now.getTime() - 86_400_000).toISOString(),
  ]);
  return { token, expiresAt };
}

/**
 * The signed-in user behind a cookie token, or null when unknown, expired or the user is disabled. Answered
 * from the process's credential cache when one is attached (emptied by NOTIFY on sign-out and user changes).
 */
export async function resolveSession(
  db: DatabaseHandle,
  token: string,
  now: Date,
): Promise<SessionPrincipal | null> {
  if (token.length < 20 || token.length > 128) return null;
  const hash = hashToken(token);
  const cache = credentialCacheOf(db);
  const hit = cache?.get<SessionPrincipal>('session', hash, now);
  if (hit) return hit;
  const generation = cache?.generation() ?? 0;
  const rows = await db.query<{
    id: string;
    user_id: string;
    username: string;
    role: Role;
    expires_at: Date | string;
  }>(
    `SELECT s.id, s.user_id, u.username, u.role, s.expires_at
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`,
    [hash, now.toISOString()],
  );
  const r = rows[0];
  if (!r) return null;
  const session = {
    sessionId: r.id,
    userId: r.user_id,
    username: r.username,
    role: r.role,
    expiresAt: new Date(r.expires_at),
  };
  cache?.set('session', hash, session, session.expiresAt.getTime(), generation);
  return session;
}

/** Sign-out: the session ends in every process once the NOTIFY arrives (this one at once). */
export async function deleteSession(db: DatabaseHandle, token: string): Promise<void> {
  await db.query(
    `WITH d AS (DELETE FROM sessions WHERE id = $1 RETURNING 1)
     SELECT pg_notify($2, 'session') FROM d`,
    [hashToken(token), AUTH_CHANNEL],
  );
  forgetCredentials(db);
}

export function parseCookies(header: string | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    if (!k || k in out) continue;
    try {
      out[k] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // a malformed cookie is ignored, not an error
    }
  }
  return out;
}

/** `Set-Cookie` for the session: httpOnly, SameSite=Lax, Secure when the request came over HTTPS. */
export function sessionCookie(
  token: string | null,
  opts: { secure: boolean; maxAgeSeconds: number },
): string {
  const parts = [
    `${SESSION_COOKIE}=${token ?? ''}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${token ? Math.max(0, Math.floor(opts.maxAgeSeconds)) : 0}`,
  ];
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}
