import type { Role } from './roles';

/** Who is calling: resolved once per request (auth/principal.ts) and handed to the domain functions. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'token'; id: string; name: string; role: Role; ownerId: string | null }
  | { kind: 'session'; userId: string; username: string; role: Role };

/** A caller that signed in or sent a valid API token. */
export type AuthedPrincipal = Exclude<Principal, { kind: 'anonymous' }>;
