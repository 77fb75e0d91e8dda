import type { Principal } from './auth/types';
import { AppError } from './errors';

/**
 * The user whose own data (watchlists, portfolios) a caller works on: a signed-in user, or the owner of an
 * API token. A token without an owner has no such data.
 */
export function ownerIdOf(p: Principal): string {
  if (p.kind === 'session') return p.userId;
  if (p.kind === 'token' && p.ownerId) return p.ownerId;
  throw new AppError(
    'FORBIDDEN',
    'watchlists and portfolios belong to a user: sign in, or use a token that has an owner',
  );
}
