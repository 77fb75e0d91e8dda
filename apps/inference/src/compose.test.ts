import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module without types (scripts/validate-compose.mjs)
import { validateCompose } from '../../../scripts/validate-compose.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const COMPOSE = path.join(ROOT, 'docker-compose.jetson.yml');
const ENV = {
  POSTGRES_PASSWORD: 'pw',
  SECRETS_KEY: 'c2VjcmV0',
  INFERENCE_TOKEN: 'compose-test-token-0123456789',
};

interface Result {
  config: { services: Record<string, Record<string, unknown>>; volumes?: Record<string, unknown> };
  errors: string[];
  variables: string[];
}
const check = (file: string, env: Record<string, string> = ENV) => validateCompose(file, env) as Result;

describe('docker-compose.jetson.yml', () => {
  const { config, errors, variables } = check(COMPOSE);

  it('is valid against the Compose Specification schema', () => {
    expect(errors).toEqual([]);
  });

  it('runs one container per service, each with a restart policy and a health check', () => {
    expect(Object.keys(config.services).sort()).toEqual(
      [
        'collector',
        'cpu-timeseries',
        'llm',
        'llm-proxy',
        'postgres',
        'sentiment',
        'timeseries',
        'web',
      ].sort(),
    );
    for (const [name, svc] of Object.entries(config.services)) {
      expect(svc.restart, name).toBe('unless-stopped');
      expect(svc.healthcheck, name).toBeTruthy();
    }
    expect(String(config.services.postgres?.image)).toContain('timescaledb');
    expect(String(config.services.llm?.image)).toContain('llama_cpp');
  });

  it('puts GPU services on the NVIDIA runtime and passes DLA cores through the environment', () => {
    for (const name of ['llm', 'sentiment', 'timeseries'])
      expect(config.services[name]?.runtime, name).toBe('nvidia');
    expect(config.services['cpu-timeseries']?.runtime).toBeUndefined();
    const dla = check(COMPOSE, { ...ENV, SENTIMENT_DLA_CORE: '0', TIMESERIES_DLA_CORE: '1' }).config.services;
    const envOf = (name: string) => (dla[name]?.environment ?? {}) as Record<string, string>;
    expect(envOf('sentiment').ORT_TRT_DLA_CORE).toBe('0');
    expect(envOf('timeseries').ORT_TRT_DLA_CORE).toBe('1');
    expect(envOf('sentiment').SERVICE).toBe('sentiment');
  });

  it('keeps the inference services internal: no published ports, one shared token, allow-listed names', () => {
    const envOf = (name: string) => (config.services[name]?.environment ?? {}) as Record<string, string>;
    for (const name of ['llm-proxy', 'sentiment', 'timeseries', 'cpu-timeseries']) {
      expect(config.services[name]?.ports, name).toBeUndefined();
      expect(envOf(name).INFERENCE_TOKEN, name).toBe(ENV.INFERENCE_TOKEN);
      const allowed = envOf(name).INFERENCE_ALLOWED_HOSTS?.split(',') ?? [];
      expect(allowed, name).toContain(name);
    }
    expect(envOf('web').INFERENCE_TOKEN).toBe(ENV.INFERENCE_TOKEN);
    expect(check(COMPOSE, { POSTGRES_PASSWORD: 'pw', SECRETS_KEY: 'k' }).errors.join('\n')).toContain(
      'INFERENCE_TOKEN',
    );
  });

  it('keeps data and models in volumes', () => {
    expect(Object.keys(config.volumes ?? {})).toEqual(expect.arrayContaining(['pgdata', 'inference-models']));
  });

  it('documents every variable it reads in .env.example', () => {
    const documented = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    const missing = variables.filter((v) => !new RegExp(`^#?\\s*${v}=`, 'm').test(documented));
    expect(missing).toEqual([]);
  });

  it('reports missing required secrets', () => {
    const r = check(COMPOSE, {});
    expect(r.errors.join('\n')).toContain('POSTGRES_PASSWORD');
  });

  // Optional second opinion from docker-compose v1 (apt `docker-compose`; works without an engine).
  const composeV1 = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find((p) => existsSync(p));
  it.skipIf(!composeV1)('is accepted by `docker-compose config` when it is installed', () => {
    const out = execFileSync(composeV1!, ['-f', COMPOSE, 'config', '--services'], {
      env: { ...process.env, ...ENV },
      encoding: 'utf8',
    });
    expect(out.split('\n').filter(Boolean).sort()).toEqual(Object.keys(config.services).sort());
  });

  it('the validator rejects a broken file (so the checks above can fail)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'compose-'));
    const file = path.join(dir, 'bad.yml');
    writeFileSync(
      file,
      'services:\n  web:\n    image: x\n    ports: {a: 1}\n    healthcheck:\n      interval: soon\n',
    );
    const r = check(file);
    expect(r.errors.some((e) => e.includes('/services/web/ports'))).toBe(true);
    expect(r.errors.some((e) => e.includes('/services/web/healthcheck/interval'))).toBe(true);
  });
});
