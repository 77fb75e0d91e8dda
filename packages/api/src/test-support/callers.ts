import type { Role } from '../auth/roles';
import { createSession, SESSION_COOKIE } from '../auth/sessions';
import { createUser } from '../auth/users';
import { createCaller } from '../root';
import type { Runtime } from '../runtime';
import { createContext } from '../trpc';

/** A signed-in user (real user row, real session cookie) and a tRPC caller acting as them. */
export async function signedInCaller(rt: Runtime, username: string, role: Role = 'viewer') {
  const user = await createUser(rt.db, { username, password: `${username}-password-1`, role });
  const { token } = await createSession(rt.db, user.id, { now: rt.now(), ttlSeconds: 3600 });
  const ctx = await createContext(rt, { cookie: `${SESSION_COOKIE}=${token}` }, { ip: '127.0.0.1' });
  return { user, caller: createCaller(ctx) };
}
