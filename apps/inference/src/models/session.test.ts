import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSession } from './session.js';
import { builtDefaultModels } from './test-models.js';

describe('createSession', () => {
  it('runs on cpu when cpu is requested, with no fallback reason', async () => {
    const { sentimentDir } = await builtDefaultModels();
    const s = await createSession(join(sentimentDir, 'model.onnx'), { provider: 'cpu' });
    expect(s.executionProvider).toBe('cpu');
    expect(s.fallbackReason).toBeUndefined();
    await s.session.release();
  });

  // This machine (and CI) has no GPU and the CUDA libraries are not installed
  // (ONNXRUNTIME_NODE_INSTALL=skip), so both GPU providers must fall back and say why.
  it.each(['cuda', 'tensorrt'] as const)('falls back from %s to cpu and reports why', async (provider) => {
    const { timeseriesDir } = await builtDefaultModels();
    const s = await createSession(join(timeseriesDir, 'model.onnx'), { provider, dlaCore: 0 });
    expect(s.executionProvider).toBe('cpu');
    expect(s.fallbackReason).toMatch(new RegExp(`^${provider} unavailable`));
    expect(s.fallbackReason).toContain(`${provider}:`);
    expect(s.session.inputNames).toEqual(['past_values']);
    await s.session.release();
  });

  it('rejects a missing model file with the path in the message', async () => {
    await expect(createSession('/nonexistent/model.onnx', { provider: 'cpu' })).rejects.toThrow(
      /nonexistent/,
    );
  });
});
