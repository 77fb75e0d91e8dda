// Test support: the default models built once into a temp dir shared by the test files of a run
// (the build is idempotent and safe when several processes race on the same directory).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDefaultModels } from './build.js';

let built: Promise<{ sentimentDir: string; timeseriesDir: string }> | undefined;

export function builtDefaultModels(): Promise<{ sentimentDir: string; timeseriesDir: string }> {
  built ??= buildDefaultModels({ outDir: join(tmpdir(), 'investiq-test-models') });
  return built;
}
