import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';

/** A secret at rest: `{"$enc": "v1:<key id>:<iv>:<tag>:<ciphertext>"}` (AES-256-GCM, base64url parts). */
export interface Envelope {
  $enc: string;
}

export interface SecretsKeyring {
  current: Buffer;
  /** Older keys still accepted for decryption during a rotation. */
  previous: Buffer[];
}

export function isEnvelope(v: unknown): v is Envelope {
  return typeof v === 'object' && v !== null && typeof (v as Envelope).$enc === 'string';
}

/** Parse `SECRETS_KEY`: 32 bytes, base64 (or base64url). Throws a message naming the problem. */
export function parseSecretsKey(raw: string, name = 'SECRETS_KEY'): Buffer {
  const key = Buffer.from(raw.trim(), 'base64');
  if (key.length !== 32)
    throw new Error(
      `${name} must be 32 random bytes in base64 (got ${key.length} bytes); try: openssl rand -base64 32`,
    );
  return key;
}

export const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

/** Encrypt a JSON value; `aad` (the setting key) binds the envelope to where it is stored. */
export function encryptValue(keyring: SecretsKeyring, value: unknown, aad: string): Envelope {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyring.current, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const b = (x: Buffer) => x.toString('base64url');
  return { $enc: `v1:${keyId(keyring.current)}:${b(iv)}:${b(cipher.getAuthTag())}:${b(ct)}` };
}

export function decryptValue(keyring: SecretsKeyring, env: Envelope, aad: string): unknown {
  const [v, kid, iv, tag, ct] = env.$enc.split(':');
  if (v !== 'v1' || !kid || !iv || !tag || ct === undefined)
    throw new AppError('INTERNAL_SERVER_ERROR', 'unreadable secret envelope');
  const key = [keyring.current, ...keyring.previous].find((k) => keyId(k) === kid);
  if (!key)
    throw new AppError(
      'SERVICE_UNAVAILABLE',
      'a stored secret was encrypted with a different SECRETS_KEY (set SECRETS_KEY_PREVIOUS to rotate)',
    );
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  const pt = Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]);
  return JSON.parse(pt.toString('utf8'));
}

export function needsReencryption(keyring: SecretsKeyring, env: Envelope): boolean {
  return env.$enc.split(':')[1] !== keyId(keyring.current);
}

/**
 * The embedded default has no one to set SECRETS_KEY: create a random key file beside the data directory
 * once (mode 0600) and reuse it. With DATABASE_URL set, SECRETS_KEY must come from the environment.
 */
export function loadOrCreateKeyFile(file: string): Buffer {
  if (existsSync(file)) return parseSecretsKey(readFileSync(file, 'utf8'), file);
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

/** What an admin sees instead of a secret: enough to recognise it, not to use it. */
export function maskSecret(s: string): string {
  if (!s) return '';
  return s.length >= 12 ? `••••••${s.slice(-4)}` : '••••••';
}
