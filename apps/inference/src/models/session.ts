import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InferenceSession } from 'onnxruntime-node';

export type ExecutionProviderName = 'cpu' | 'cuda' | 'tensorrt';

export interface ModelInfo {
  name: string;
  version: string;
  /** sha256 of model.onnx: the model's identity in report lineage. */
  sha256: string;
  /** The provider the session actually runs on. */
  executionProvider: ExecutionProviderName;
  /** The provider that was asked for. */
  requestedProvider: ExecutionProviderName;
  /** Why `executionProvider` differs from `requestedProvider`, if it does. */
  fallbackReason?: string;
  /** From config.json `note`: a caveat shown in /health (e.g. a random-weight throughput model). */
  note?: string;
  dir: string;
}

export interface CreatedSession {
  session: InferenceSession;
  executionProvider: ExecutionProviderName;
  fallbackReason?: string;
}

function providerConfig(
  provider: ExecutionProviderName,
  dlaCore: number | undefined,
): InferenceSession.ExecutionProviderConfig[] {
  if (provider === 'cpu') return ['cpu'];
  if (provider === 'cuda') return [{ name: 'cuda', deviceId: 0 }, 'cpu'];
  // The Node binding passes only deviceId to TensorRT; DLA is configured through the TensorRT
  // execution provider's documented environment variables, which it reads at session creation.
  if (dlaCore !== undefined) {
    process.env.ORT_TENSORRT_DLA_ENABLE = '1';
    process.env.ORT_TENSORRT_DLA_CORE = String(dlaCore);
  }
  return [{ name: 'tensorrt', deviceId: 0 }, { name: 'cuda', deviceId: 0 }, 'cpu'];
}

function errorMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]?.slice(0, 300) ?? msg;
}

/** ONNX Runtime session options the services expose (env INFERENCE_*; see docs/models.md → Session options). */
export interface SessionTuning {
  /** Threads inside one operator (GEMM etc.); 0 = one per core (ORT's default). */
  intraOpThreads: number;
  /** Threads running independent operators (only used by executionMode 'parallel'). */
  interOpThreads: number;
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  executionMode: 'sequential' | 'parallel';
  enableCpuMemArena: boolean;
  /**
   * Let idle intra-op threads spin before sleeping (ORT's `session.intra_op.allow_spinning`). Spinning cuts
   * latency on a dedicated machine; on a shared or small one it burns the cores other work needs.
   */
  allowSpinning: boolean;
}

/**
 * Defaults for small machines. One intra-op thread: the default models are small, and ORT's thread pool
 * competing with Node's event loop for the cores made a batch 2x slower under load (BENCHMARKS.md, "Inference
 * micro-batching"); batching gives the parallelism that matters there. A transformer encoder wants
 * intraOpThreads = cores instead (INFERENCE_INTRA_OP_THREADS=0; BENCHMARKS.md, "Encoder batching").
 */
export const DEFAULT_SESSION_TUNING: SessionTuning = {
  intraOpThreads: 1,
  interOpThreads: 1,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
  enableCpuMemArena: true,
  allowSpinning: true,
};

export function sessionOptions(tuning: Partial<SessionTuning> = {}): InferenceSession.SessionOptions {
  const t = { ...DEFAULT_SESSION_TUNING, ...tuning };
  return {
    graphOptimizationLevel: t.graphOptimizationLevel,
    logSeverityLevel: 3,
    // ORT reads 0 as "its default" (one thread per physical core)
    intraOpNumThreads: t.intraOpThreads,
    interOpNumThreads: t.interOpThreads,
    executionMode: t.executionMode,
    enableCpuMemArena: t.enableCpuMemArena,
    // session config entry (onnxruntime_session_options_config_keys.h); the Node binding takes strings
    extra: { session: { intra_op: { allow_spinning: t.allowSpinning ? '1' : '0' } } },
  };
}

/**
 * Opens an ONNX Runtime session on the requested provider. When a GPU provider cannot be
 * initialised (no CUDA libraries, no GPU — e.g. any CPU-only machine) the session is created on the
 * CPU instead and `fallbackReason` says why, so /health can report it rather than hide it.
 */
export async function createSession(
  modelPath: string,
  opts: { provider: ExecutionProviderName; dlaCore?: number; session?: Partial<SessionTuning> },
): Promise<CreatedSession> {
  const base = sessionOptions(opts.session);
  if (opts.provider === 'cpu') {
    const session = await InferenceSession.create(modelPath, { ...base, executionProviders: ['cpu'] });
    return { session, executionProvider: 'cpu' };
  }
  const attempts: string[] = [];
  // Try the requested provider alone first so a silent per-node fallback cannot mask a failure.
  const chain: ExecutionProviderName[] = opts.provider === 'tensorrt' ? ['tensorrt', 'cuda'] : ['cuda'];
  for (const provider of chain) {
    try {
      const session = await InferenceSession.create(modelPath, {
        ...base,
        executionProviders: providerConfig(provider, opts.dlaCore).slice(0, 1),
      });
      const result: CreatedSession = { session, executionProvider: provider };
      if (provider !== opts.provider)
        result.fallbackReason = `${opts.provider} unavailable: ${attempts.join('; ')}`;
      return result;
    } catch (err) {
      attempts.push(`${provider}: ${errorMessage(err)}`);
    }
  }
  const session = await InferenceSession.create(modelPath, { ...base, executionProviders: ['cpu'] });
  return {
    session,
    executionProvider: 'cpu',
    fallbackReason: `${opts.provider} unavailable, running on cpu (${attempts.join('; ')})`,
  };
}

export async function sha256File(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/**
 * Opens `dir/model.onnx` (hash and session in parallel), checks that the graph has the inputs and outputs
 * the config names, and describes it for /health.
 */
export async function openModel(
  dir: string,
  config: { name: string; version: string; note?: string | undefined },
  opts: { provider: ExecutionProviderName; dlaCore?: number; session?: Partial<SessionTuning> },
  names: { inputs: (string | undefined)[]; outputs: string[] },
): Promise<{ session: InferenceSession; info: ModelInfo; modelPath: string }> {
  const modelPath = join(dir, 'model.onnx');
  const [sha256, created] = await Promise.all([sha256File(modelPath), createSession(modelPath, opts)]);
  const { session } = created;
  for (const name of names.inputs) {
    if (name !== undefined && !session.inputNames.includes(name)) {
      throw new Error(`${modelPath} has no input '${name}' (inputs: ${session.inputNames.join(', ')})`);
    }
  }
  for (const name of names.outputs) {
    if (!session.outputNames.includes(name)) {
      throw new Error(`${modelPath} has no output '${name}' (outputs: ${session.outputNames.join(', ')})`);
    }
  }
  const info: ModelInfo = {
    name: config.name,
    version: config.version,
    sha256,
    executionProvider: created.executionProvider,
    requestedProvider: opts.provider,
    dir,
  };
  if (created.fallbackReason !== undefined) info.fallbackReason = created.fallbackReason;
  if (config.note !== undefined) info.note = config.note;
  return { session, info, modelPath };
}
