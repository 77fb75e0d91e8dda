import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
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
 * once and reuse it. The directory is created 0700; the file is created exclusively (O_EXCL, so two
 * processes starting together cannot overwrite each other's key) with mode 0600, and never through a
 * symlink (O_NOFOLLOW): a planted link could otherwise make us write the key elsewhere or read a foreign
 * one. With DATABASE_URL set, SECRETS_KEY must come from the environment.
 */
export function loadOrCreateKeyFile(file: string): Buffer {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    return readKeyFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(32);
  let fd: number;
  try {
    fd = openSync(
      file,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o600,
    );
  } catch (err) {
    // another process created it between our read and our create: use theirs
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file);
    throw err;
  }
  try {
    writeSync(fd, `${key.toString('base64')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return key;
}

function readKeyFile(file: string): Buffer {
  const st = lstatSync(file); // ENOENT goes to the caller
  if (st.isSymbolicLink())
    throw new Error(`${file} is a symbolic link; refusing to use it as the secrets key file`);
  if (!st.isFile()) throw new Error(`${file} is not a regular file`);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP')
      throw new Error(`${file} is a symbolic link; refusing to use it as the secrets key file`);
    throw err;
  }
  try {
    const mode = fstatSync(fd).mode & 0o777;
    if (mode & 0o077)
      throw new Error(
        `${file} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${file}`,
      );
    return parseSecretsKey(readFileSync(fd, 'utf8'), file);
  } finally {
    closeSync(fd);
  }
}

/** What an admin sees instead of a secret: enough to recognise it, not to use it. */
export function maskSecret(s: string): string {
  if (!s) return '';
  return s.length >= 12 ? `••••••${s.slice(-4)}` : '••••••';
}
