import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../errors';

/** Past the limit, a body is still read and thrown away up to this many bytes so the client sees the 413. */
export const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
/** …and for at most this long; after that the 413 goes out with `Connection: close`. */
export const DRAIN_MAX_MS = 10_000;

/**
 * Reads a request body of at most `limit` bytes. Over the limit it answers 413 — but first keeps reading
 * (and discarding) what the client is still sending, bounded in bytes and time, because closing a socket
 * with unread data makes the kernel send a reset, and the client then sees a broken connection instead of
 * the documented 413. (Breaking out of `for await (… of req)` destroys the socket; this never does.)
 * When the drain bound is hit, the 413 carries `Connection: close`.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const tooLarge = () =>
      new AppError(
        'PAYLOAD_TOO_LARGE',
        Number.isFinite(declared) && declared > limit
          ? `request body of ${declared} bytes exceeds the limit of ${limit} bytes`
          : `request body exceeds the limit of ${limit} bytes`,
        { details: { limit } },
      );
    const finish = (err: Error | null, body?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (err) reject(err);
      else resolve(body!);
    };
    const giveUp = () => {
      // too much or too slow to drain: answer now and let the server close the connection after the answer
      if (!res.headersSent) res.setHeader('connection', 'close');
      finish(tooLarge());
    };
    const startDraining = () => {
      over = true;
      chunks.length = 0;
      timer = setTimeout(giveUp, DRAIN_MAX_MS);
      timer.unref();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (!over && size > limit) startDraining();
      if (!over) chunks.push(chunk);
      else if (size > DRAIN_MAX_BYTES) giveUp();
    };
    const onEnd = () => finish(over ? tooLarge() : null, over ? undefined : Buffer.concat(chunks));
    const onError = (err: Error) => finish(new AppError('BAD_REQUEST', `request body: ${err.message}`));
    if (Number.isFinite(declared) && declared > limit) {
      if (declared > DRAIN_MAX_BYTES) return giveUp();
      startDraining();
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    if (req.readableEnded) onEnd();
  });
}

/** `readBody`, then JSON: a body that does not parse is a 400 (`body: not valid JSON`). */
export async function readJsonBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
): Promise<unknown> {
  const raw = await readBody(req, res, limit);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('BAD_REQUEST', 'body: not valid JSON');
  }
}
