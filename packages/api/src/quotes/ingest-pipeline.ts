import type { DatabaseHandle } from '@investiq/db';
import { isAppError } from '../errors';
import {
  type IngestParseOptions,
  type IngestRow,
  ingestInputRows,
  ingestWindow,
  parseIngestBatch,
} from './ingest-quotes';
import { dayKeys, type IngestResult, writeChunks } from './write-quotes';

/** Thrown inside the COPY when a chunk is refused: the batch is rolled back, then judged as a whole. */
class ChunkRefused extends Error {}

/**
 * Validates and stores one ingest batch (the collector's, the REST API's), the same contract as
 * `parseIngestBatch` then `ingestQuotes` — every row checked, a bad row rejects its batch with the same
 * error naming it, nothing written — but in one pass: each 1 000-row chunk is validated just before it is
 * sent, while PostgreSQL parses the previous one, instead of the whole batch first and the COPY after.
 * A refused chunk aborts the COPY; the transaction rolls back and `parseIngestBatch` of the whole input
 * throws the error (up to 20 problems, row indexes of the batch), as it would have before any write.
 */
export async function validateAndIngest(
  db: DatabaseHandle,
  input: unknown,
  opts: IngestParseOptions,
): Promise<IngestResult & { rows: readonly IngestRow[] }> {
  const raw = ingestInputRows(input, opts.maxRows); // 400 / 413 before anything else
  const chunkOpts = { ...opts, maxRows: Number.POSITIVE_INFINITY };
  try {
    return await writeChunks(
      db,
      raw.length,
      (start, end) => {
        try {
          return parseIngestBatch(raw.slice(start, end), chunkOpts);
        } catch (err) {
          if (isAppError(err)) throw new ChunkRefused(err.message);
          throw err;
        }
      },
      plausibleDays(raw, opts),
    );
  } catch (err) {
    if (!(err instanceof ChunkRefused)) throw err;
    parseIngestBatch(input, opts); // throws the batch's own error
    throw new Error(`a chunk was refused but the whole batch passed validation: ${err.message}`);
  }
}

/**
 * The partition days the batch's rows fall on, read before validation: `ts` as validation will read it,
 * kept only inside the window a valid row must be in (so a bad row cannot make a partition for year 2999).
 */
function plausibleDays(raw: readonly unknown[], opts: IngestParseOptions): Set<string> {
  const { oldest, newest } = ingestWindow(opts);
  const ms: number[] = [];
  for (const r of raw) {
    const ts = (r as { ts?: unknown } | null)?.ts;
    const t = ts instanceof Date ? ts.getTime() : typeof ts === 'string' ? Date.parse(ts) : Number.NaN;
    if (t >= oldest && t <= newest) ms.push(t);
  }
  return dayKeys(ms);
}
