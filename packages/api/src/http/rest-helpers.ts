import type { ServerResponse } from 'node:http';
import type { Principal } from '../auth/types';
import { AppError } from '../errors';

/** A signed-in caller: a session or an API token. */
export type Authed = Exclude<Principal, { kind: 'anonymous' }>;

/** A JSON answer (or an empty one) that no cache keeps: the REST routes for alerts, channels and schedules. */
export function sendJson(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status, { 'cache-control': 'no-store' });
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The user a per-user resource belongs to: the session's user or the API token's owner (403 without one). */
export function ownerUserId(p: Authed, what: string): string {
  const userId = p.kind === 'session' ? p.userId : p.ownerId;
  if (!userId)
    throw new AppError('FORBIDDEN', `${what} belong to a user: use an API token that has an owner (user)`);
  return userId;
}
