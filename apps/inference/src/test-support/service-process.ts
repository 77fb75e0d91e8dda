import { type ChildProcess, spawn } from 'node:child_process';
import type { ServiceName } from '../config';
import { APP_DIR } from '../env';

const PORT_VARIABLE: Record<ServiceName, string> = {
  llm: 'LLM_PORT',
  sentiment: 'SENTIMENT_PORT',
  timeseries: 'TIMESERIES_PORT',
  'cpu-timeseries': 'CPU_TIMESERIES_PORT',
};

export interface ServiceProcess {
  name: ServiceName;
  url: string;
  pid: number;
  child: ChildProcess;
  /** Everything the process wrote (stdout + stderr). */
  output(): string;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<number | string | null>;
  /** kill -9, then wait until it is gone. */
  killHard(): Promise<void>;
  /** SIGTERM (graceful), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts one inference service as its own OS process (`node --import tsx src/main.ts --service <name>`) on a
 * free port, with the given token, and resolves once it listens and its /health answers 200 (model loaded).
 * For fault tests that kill a service for real; `env` adds or overrides variables.
 */
export async function startServiceProcess(
  name: ServiceName,
  opts: { token: string; env?: Record<string, string>; readyTimeoutMs?: number },
): Promise<ServiceProcess> {
  // node itself (not the tsx wrapper, which forks) so the pid is the process that listens
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--service', name], {
    cwd: APP_DIR,
    env: {
      ...process.env,
      [PORT_VARIABLE[name]]: '0',
      INFERENCE_HOST: '127.0.0.1',
      INFERENCE_TOKEN: opts.token,
      LOG_LEVEL: 'info',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  let url: string | undefined;
  try {
    for (;;) {
      if (gone) throw new Error(`${name} exited during start-up:\n${out.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`${name} did not become ready:\n${out.slice(-2000)}`);
      url ??= /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url) {
        const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) }).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ok) break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const pid = child.pid as number;
  return {
    name,
    url: url as string,
    pid,
    child,
    output: () => out,
    exited,
    async killHard() {
      if (!gone) process.kill(pid, 'SIGKILL');
      await exited;
    },
    async stop(graceMs = 10_000) {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
