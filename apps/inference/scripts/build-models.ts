// `npm run models:build [-- --out DIR] [--force]`: builds the default ONNX models (see docs/models.md).
// `npm run models:build -- --finbert-shaped` (= `npm run models:build:bench`) builds ONLY the opt-in
// FinBERT-shaped random-weight encoder (≈ 350 MB; throughput measurement only) into models/finbert-shaped.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDefaultModels, DEFAULT_MODELS_DIR } from '../src/models/build.js';
import { buildEncoderModelDir } from '../src/models/finbert-shaped.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    force: { type: 'boolean', default: false },
    'finbert-shaped': { type: 'boolean', default: false },
  },
});
const outDir = values.out ? resolve(values.out) : DEFAULT_MODELS_DIR;
const t0 = Date.now();
if (values['finbert-shaped']) {
  const r = await buildEncoderModelDir(join(outDir, 'finbert-shaped'), {
    force: values.force,
    onProgress: (m) => console.log(`[models] ${m}`),
  });
  console.log(
    `[models] done in ${((Date.now() - t0) / 1000).toFixed(1)} s: finbert-shaped ${r.built ? 'built' : 'up to date'} -> ${r.dir} ` +
      '(RANDOM WEIGHTS — for throughput measurement only)',
  );
} else {
  const result = await buildDefaultModels({
    outDir,
    force: values.force,
    onProgress: (m) => console.log(`[models] ${m}`),
  });
  console.log(
    `[models] done in ${((Date.now() - t0) / 1000).toFixed(1)} s: built [${result.built.join(', ')}], skipped [${result.skipped.join(', ')}] -> ${outDir}`,
  );
}
