import { existsSync } from 'node:fs';
import path from 'node:path';
import { defaultConfig } from '../config';

/**
 * The service tests run the real default models. `npm test` at the root builds them first
 * (`npm run models:build`); when a model directory is still missing (a bare `vitest run`), build it here
 * with helper B's idempotent builder rather than fail on a missing file.
 */
export default async function setup(): Promise<void> {
  const config = defaultConfig();
  const dirs = [config.sentimentModelDir, config.timeseriesModelDir];
  if (dirs.every((d) => existsSync(path.join(d, 'model.onnx')))) return;
  const started = Date.now();
  const { buildDefaultModels } = await import('../models/build');
  try {
    await buildDefaultModels({ outDir: path.dirname(config.sentimentModelDir) });
  } catch (err) {
    throw new Error(
      `the default models are missing and could not be built; run \`npm run models:build\` (${(err as Error).message})`,
      { cause: err },
    );
  }
  console.log(`[inference tests] built default models in ${Date.now() - started} ms`);
}
