import { describe, expect, it } from 'vitest';
import { type ChatStreamProblem, createChatStreamReader } from './chat-stream';

const enc = new TextEncoder();
const chunk = (content: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ choices: [{ index: 0, delta: { content } }], ...extra });

function read(parts: string[], end = true) {
  const pieces: string[] = [];
  const models: unknown[] = [];
  const invalid: ChatStreamProblem[] = [];
  const r = createChatStreamReader({
    onChunk(c, json) {
      pieces.push(c.choices[0]?.delta?.content ?? '');
      models.push(json.model);
    },
    onInvalid: (p) => invalid.push(p),
  });
  for (const p of parts) r.feed(enc.encode(p));
  if (end) r.end();
  return { pieces, models, invalid, done: r.done };
}

describe('createChatStreamReader', () => {
  it('joins events split anywhere, also inside a multi-byte character, and stops at [DONE]', () => {
    const body = `data: ${chunk('业绩', { model: 'm1' })}\n\ndata: ${chunk('大增')}\r\n\r\ndata: [DONE]\n\ndata: ${chunk('late')}\n\n`;
    const bytes = enc.encode(body);
    const r = createChatStreamReader({ onChunk: (c) => out.push(c.choices[0]?.delta?.content ?? '') });
    const out: string[] = [];
    // one byte at a time: every boundary, including the middle of 业 (3 bytes in UTF-8)
    for (const b of bytes) r.feed(Uint8Array.of(b));
    expect(out).toEqual(['业绩', '大增']);
    expect(r.done).toBe(true);
  });

  it('hands over the whole object (model) and skips comments and keep-alive lines', () => {
    const res = read([`: ping\n\nevent: message\ndata: ${chunk('a', { model: 'qwen' })}\n\n`]);
    expect(res).toMatchObject({ pieces: ['a'], models: ['qwen'], invalid: [], done: false });
  });

  it('a last event without its blank line still counts once the body ends', () => {
    expect(read([`data: ${chunk('x')}`], false).pieces).toEqual([]);
    expect(read([`data: ${chunk('x')}`]).pieces).toEqual(['x']);
  });

  it('reports payloads that are not JSON or not a chunk; a throwing handler stops the feed', () => {
    expect(read(['data: {oops\n\n', 'data: {"choices":"no"}\n\n']).invalid).toEqual(['not_json', 'contract']);
    const r = createChatStreamReader({
      onChunk: () => {},
      onInvalid: (p) => {
        throw new Error(`bad: ${p}`);
      },
    });
    expect(() => r.feed(enc.encode('data: nope\n\n'))).toThrow('bad: not_json');
  });
});
