/**
 * `npm run admin:create -- --username alice [--role admin|analyst|viewer]` — asks for the password.
 * Non-interactive: `--password-stdin` (one line), or `--users-json-stdin` with
 * `[{"username": …, "password": …, "role": …}, …]` (used by the e2e server).
 * Stop the web server first on the embedded default (PGlite is single-process).
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createUser, ROLES, type Role, writeAudit } from '@investiq/api';
import { createDatabase } from '@investiq/db';
import { loadEnv, runtimeConfigFromEnv } from '../env';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
    let muted = false;
    out._writeToOutput = (s: string) => {
      if (!muted) process.stdout.write(s);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      role: { type: 'string', default: 'admin' },
      'password-stdin': { type: 'boolean', default: false },
      'users-json-stdin': { type: 'boolean', default: false },
    },
  });
  let users: { username: string; password: string; role: Role }[];
  if (values['users-json-stdin']) {
    users = JSON.parse(await readStdin());
  } else {
    if (!values.username) throw new Error('--username is required');
    if (!ROLES.includes(values.role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    let password: string;
    if (values['password-stdin']) password = (await readStdin()).split('\n')[0] ?? '';
    else {
      password = await askHidden(`password for ${values.username}: `);
      if ((await askHidden('again: ')) !== password) throw new Error('the passwords differ');
    }
    users = [{ username: values.username, password, role: values.role as Role }];
  }
  const cfg = runtimeConfigFromEnv(loadEnv());
  const db = await createDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, ...cfg.database });
  try {
    for (const u of users) {
      const made = await createUser(db, u);
      await writeAudit(db, {
        actor: 'system',
        action: 'user.create',
        target: `user:${made.username}`,
        newValue: { username: made.username, role: made.role, via: 'admin:create' },
      });
      console.log(`created ${made.role} '${made.username}'`);
    }
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(`admin:create failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
