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

/**
 * Opens an ONNX Runtime session on the requested provider. When a GPU provider cannot be
 * initialised (no CUDA libraries, no GPU — e.g. any CPU-only machine) the session is created on the
 * CPU instead and `fallbackReason` says why, so /health can report it rather than hide it.
 */
export async function createSession(
  modelPath: string,
  opts: { provider: ExecutionProviderName; dlaCore?: number; intraOpThreads?: number },
): Promise<CreatedSession> {
  // One intra-op thread: the default models are small, and ORT's thread pool competing with Node's event
  // loop for the cores made a batch 2x slower under load (BENCHMARKS.md, "Inference micro-batching"). Batching gives the
  // parallelism that matters here.
  const base: InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    intraOpNumThreads: opts.intraOpThreads ?? 1,
    interOpNumThreads: 1,
  };
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
  config: { name: string; version: string },
  opts: { provider: ExecutionProviderName; dlaCore?: number },
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
  return { session, info, modelPath };
}
