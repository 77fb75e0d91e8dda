import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDefaultModels } from './build.js';
import { sha256File } from './session.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('buildDefaultModels', () => {
  it('is deterministic (same model.onnx sha256 from two fresh builds) and idempotent', async () => {
    const a = await mkdtemp(join(tmpdir(), 'iq-build-a-'));
    const b = await mkdtemp(join(tmpdir(), 'iq-build-b-'));
    dirs.push(a, b);
    const messages: string[] = [];
    const first = await buildDefaultModels({ outDir: a, onProgress: (m) => messages.push(m) });
    expect(first.built).toEqual(['sentiment', 'timeseries']);
    expect(messages.some((m) => m.startsWith('sentiment: wrote'))).toBe(true);
    const second = await buildDefaultModels({ outDir: b });
    for (const kind of ['sentiment', 'timeseries']) {
      expect(await sha256File(join(a, kind, 'model.onnx'))).toBe(
        await sha256File(join(b, kind, 'model.onnx')),
      );
      expect(await readFile(join(a, kind, 'config.json'), 'utf8')).toBe(
        await readFile(join(b, kind, 'config.json'), 'utf8'),
      );
    }
    expect(await readFile(join(a, 'sentiment/tokenizer.json'), 'utf8')).toBe(
      await readFile(join(b, 'sentiment/tokenizer.json'), 'utf8'),
    );
    expect(second.sentimentDir).toBe(join(b, 'sentiment'));
    const again = await buildDefaultModels({ outDir: a });
    expect(again.built).toEqual([]);
    expect(again.skipped).toEqual(['sentiment', 'timeseries']);
  }, 300_000); // two sentiment trainings (≈ 10 s each on a quiet machine, 3–4× that under load) + forecasts
});
