// `npm run models:build [-- --out DIR] [--force]`: builds the default ONNX models (see docs/models.md).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDefaultModels, DEFAULT_MODELS_DIR } from '../src/models/build.js';

const { values } = parseArgs({
  options: { out: { type: 'string' }, force: { type: 'boolean', default: false } },
});
const outDir = values.out ? resolve(values.out) : DEFAULT_MODELS_DIR;
const t0 = Date.now();
const result = await buildDefaultModels({
  outDir,
  force: values.force,
  onProgress: (m) => console.log(`[models] ${m}`),
});
console.log(
  `[models] done in ${((Date.now() - t0) / 1000).toFixed(1)} s: built [${result.built.join(', ')}], skipped [${result.skipped.join(', ')}] -> ${outDir}`,
);
