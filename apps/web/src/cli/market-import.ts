/**
 * `npm run market:import -- --file bars.csv [--kind bars|fundamentals]` — offline CSV import
 * (format: docs/csv-import.md). Validates the whole file first; on any bad row prints the row report
 * and exits 1 with nothing written. Stop the web server first on the embedded default (PGlite is
 * single-process).
 */
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type CsvImportErrorDetails, importCsv, isAppError, MAX_IMPORT_BYTES } from '@investiq/api';
import { createDatabase } from '@investiq/db';
import { loadEnv, runtimeConfigFromEnv } from '../env';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      kind: { type: 'string', default: 'bars' },
    },
  });
  if (!values.file) throw new Error('--file is required');
  const kind = values.kind;
  if (kind !== 'bars' && kind !== 'fundamentals') throw new Error('--kind must be bars or fundamentals');
  const file = path.resolve(values.file);
  const size = statSync(file).size;
  if (size > MAX_IMPORT_BYTES) throw new Error(`${file} is ${size} bytes; the limit is ${MAX_IMPORT_BYTES}`);
  const cfg = runtimeConfigFromEnv(loadEnv());
  const db = await createDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, ...cfg.database });
  try {
    console.log(`importing ${kind} from ${file} (${size} bytes)`);
    const result = await importCsv(db, createReadStream(file), {
      kind,
      actor: 'system',
      fileName: path.basename(file),
      onProgress: (p) =>
        console.log(p.phase === 'parsing' ? `  read ${p.rows} rows` : `  wrote ${p.written}/${p.total} rows`),
    });
    console.log(
      `imported ${result.rows} rows: ${result.inserted} new, ${result.updated} updated, ${result.symbolsRegistered} symbols registered`,
    );
    return 0;
  } catch (err) {
    if (isAppError(err) && err.details && 'errors' in err.details) {
      const d = err.details as CsvImportErrorDetails;
      console.error(
        `${file}: ${d.errorCount} problem${d.errorCount === 1 ? '' : 's'} in ${d.rowCount} rows; nothing was imported`,
      );
      console.error('row\tfield\tmessage');
      for (const e of d.errors) console.error(`${e.row}\t${e.field || '-'}\t${e.message}`);
      if (d.errorCount > d.errors.length) console.error(`… and ${d.errorCount - d.errors.length} more`);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`market:import failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
