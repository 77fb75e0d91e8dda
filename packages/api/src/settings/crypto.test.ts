import { lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateKeyFile } from './crypto';

describe('secrets key file (embedded default)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'iq-key-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates the data directory 0700 and the key file 0600, then reuses the same key', () => {
    const file = path.join(root, 'data', 'secrets.key');
    const key = loadOrCreateKeyFile(file);
    expect(key).toHaveLength(32);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKeyFile(file).equals(key)).toBe(true);
  });

  it('refuses a symlink planted where the key file goes, and writes nothing through it', () => {
    const dir = path.join(root, 'planted');
    const target = path.join(root, 'victim.txt');
    writeFileSync(target, 'do not touch\n');
    loadOrCreateKeyFile(path.join(dir, 'unused.key')); // creates dir
    const link = path.join(dir, 'secrets.key');
    symlinkSync(target, link);
    expect(() => loadOrCreateKeyFile(link)).toThrow(/symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('do not touch\n');
    // a dangling link (target does not exist yet) must not be followed to create the file either
    const dangling = path.join(dir, 'dangling.key');
    const nowhere = path.join(root, 'created-through-link.key');
    symlinkSync(nowhere, dangling);
    expect(() => loadOrCreateKeyFile(dangling)).toThrow(/symbolic link/);
    expect(() => lstatSync(nowhere)).toThrow(/ENOENT/);
  });

  it('refuses a key file other users can read', () => {
    const file = path.join(root, 'loose.key');
    writeFileSync(file, `${Buffer.alloc(32, 7).toString('base64')}\n`, { mode: 0o644 });
    expect(() => loadOrCreateKeyFile(file)).toThrow(/chmod 600/);
  });
});
