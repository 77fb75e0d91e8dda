import { actorOf } from '../audit/audit-log';
import { roleAtLeast } from '../auth/roles';
import type { Principal } from '../auth/types';
import type { ChannelScope } from './service';

/** Whose channels a caller sees: a session's user, or the token's owner; admins see all. */
export function channelScope(p: Exclude<Principal, { kind: 'anonymous' }>, ip: string | null): ChannelScope {
  return {
    actor: actorOf(p),
    ownerId: p.kind === 'session' ? p.userId : p.ownerId,
    admin: roleAtLeast(p.role, 'admin'),
    ip,
  };
}
