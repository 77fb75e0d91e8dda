import { describe, expect, it } from 'vitest';
import { configFromEnv, resolveConfig } from './config';
import { parseEnv } from './env';
import { DEFAULT_SESSION_TUNING, sessionOptions } from './models/session';

describe('ONNX Runtime session options from the environment', () => {
  it('defaults to the small-machine tuning', () => {
    expect(configFromEnv(parseEnv({})).session).toEqual(DEFAULT_SESSION_TUNING);
    expect(DEFAULT_SESSION_TUNING).toEqual({
      intraOpThreads: 1,
      interOpThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      enableCpuMemArena: true,
      allowSpinning: true,
    });
  });

  it('reads every variable', () => {
    const config = configFromEnv(
      parseEnv({
        INFERENCE_INTRA_OP_THREADS: '0',
        INFERENCE_INTER_OP_THREADS: '2',
        INFERENCE_GRAPH_OPT_LEVEL: 'extended',
        INFERENCE_EXECUTION_MODE: 'parallel',
        INFERENCE_CPU_MEM_ARENA: 'false',
        INFERENCE_ALLOW_SPINNING: '0',
      }),
    );
    expect(config.session).toEqual({
      intraOpThreads: 0,
      interOpThreads: 2,
      graphOptimizationLevel: 'extended',
      executionMode: 'parallel',
      enableCpuMemArena: false,
      allowSpinning: false,
    });
  });

  it('rejects bad values naming the variable', () => {
    expect(() => parseEnv({ INFERENCE_INTRA_OP_THREADS: '-1' })).toThrow('INFERENCE_INTRA_OP_THREADS');
    expect(() => parseEnv({ INFERENCE_INTRA_OP_THREADS: 'many' })).toThrow('INFERENCE_INTRA_OP_THREADS');
    expect(() => parseEnv({ INFERENCE_INTER_OP_THREADS: '1.5' })).toThrow('INFERENCE_INTER_OP_THREADS');
    expect(() => parseEnv({ INFERENCE_GRAPH_OPT_LEVEL: '99' })).toThrow('INFERENCE_GRAPH_OPT_LEVEL');
    expect(() => parseEnv({ INFERENCE_EXECUTION_MODE: 'async' })).toThrow('INFERENCE_EXECUTION_MODE');
    expect(() => parseEnv({ INFERENCE_CPU_MEM_ARENA: 'yes' })).toThrow('INFERENCE_CPU_MEM_ARENA');
    expect(() => parseEnv({ INFERENCE_ALLOW_SPINNING: 'maybe' })).toThrow('INFERENCE_ALLOW_SPINNING');
  });

  it('lets startService options override single fields', () => {
    const config = resolveConfig({ session: { intraOpThreads: 4 } });
    expect(config.session).toEqual({ ...DEFAULT_SESSION_TUNING, intraOpThreads: 4 });
  });

  it('maps to onnxruntime-node SessionOptions, spinning as a session config entry', () => {
    expect(sessionOptions({ intraOpThreads: 2, allowSpinning: false })).toEqual({
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
      intraOpNumThreads: 2,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      enableCpuMemArena: true,
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
  });
});
