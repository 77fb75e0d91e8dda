import { type TChatCompletionChunk, ZChatCompletionChunk } from '@investiq/contracts/inference';
import { createParser } from 'eventsource-parser';

/** Why a `data:` payload of a chat stream was not a chunk. */
export type ChatStreamProblem = 'not_json' | 'contract';

export interface ChatStreamHandlers {
  /** One chunk that matches the contract; `json` is the whole object (e.g. its `model`). */
  onChunk(chunk: TChatCompletionChunk, json: Record<string, unknown>): void;
  /** A payload that is not JSON or not a chunk. Default: skipped; throw to stop reading (feed rethrows). */
  onInvalid?(problem: ChatStreamProblem, data: string): void;
}

/**
 * The one reader of an OpenAI-style chat-completions stream (server-sent events, `data: {chunk}` … `data:
 * [DONE]`), for the web's inference gateway and the llm service's relay alike. Feed it the body's bytes as
 * they arrive; `done` turns true at `[DONE]` (later events are ignored). Framing is eventsource-parser's.
 */
export function createChatStreamReader(handlers: ChatStreamHandlers) {
  const decoder = new TextDecoder();
  let done = false;
  const parser = createParser({
    onEvent(event) {
      if (done) return;
      const data = event.data.trim();
      if (data === '') return;
      if (data === '[DONE]') {
        done = true;
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(data);
      } catch {
        handlers.onInvalid?.('not_json', data);
        return;
      }
      const parsed = ZChatCompletionChunk.safeParse(json);
      if (!parsed.success) {
        handlers.onInvalid?.('contract', data);
        return;
      }
      handlers.onChunk(parsed.data, json as Record<string, unknown>);
    },
  });
  return {
    feed(bytes: Uint8Array): void {
      parser.feed(decoder.decode(bytes, { stream: true }));
    },
    /** The body ended: an event left without its closing blank line still counts. */
    end(): void {
      parser.feed(`${decoder.decode()}\n\n`);
    },
    get done(): boolean {
      return done;
    },
  };
}
