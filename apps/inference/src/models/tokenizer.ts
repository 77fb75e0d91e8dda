import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';

/** Token ids of one text after truncation, ready to pad. */
export interface EncodedText {
  ids: number[];
  typeIds: number[];
}

export interface TextTokenizer {
  encode(text: string, maxLength: number): EncodedText;
  padId: number;
  vocabSize: number;
}

async function readJsonIfPresent(path: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}

/**
 * A tokenizer.json for a BERT-style WordPiece vocabulary (what `BertTokenizerFast` writes), so a
 * model that ships only `vocab.txt` goes through the same library as one that ships tokenizer.json.
 */
export function bertTokenizerJson(
  vocab: readonly string[],
  opts: { lowercase: boolean },
): Record<string, unknown> {
  const ids = new Map(vocab.map((t, i) => [t, i]));
  const special = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  for (const s of special.slice(1, 4)) if (!ids.has(s)) throw new Error(`vocabulary lacks ${s}`);
  const idOf = (t: string) => ids.get(t) as number;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special
      .filter((t) => ids.has(t))
      .map((t) => ({
        id: idOf(t),
        content: t,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: opts.lowercase,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [idOf('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [idOf('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
}

/** Wraps a Hugging Face tokenizer (WordPiece, BPE or Unigram, as @huggingface/tokenizers supports). */
export function tokenizerFromJson(json: object, config: object = {}): TextTokenizer {
  const tok = new Tokenizer(json, config);
  const specialIds = new Set<number>(
    [...tok.get_added_tokens_decoder()].filter(([, t]) => t.special).map(([id]) => id),
  );
  const cfg = config as { pad_token?: unknown };
  const padToken = typeof cfg.pad_token === 'string' ? cfg.pad_token : undefined;
  const padId =
    (padToken !== undefined ? tok.token_to_id(padToken) : undefined) ??
    tok.token_to_id('[PAD]') ??
    tok.token_to_id('<pad>') ??
    0;
  const vocabSize = tok.get_vocab(true).size;
  return {
    padId,
    vocabSize,
    encode(text, maxLength) {
      const enc = tok.encode(text, { add_special_tokens: true, return_token_type_ids: true });
      let ids = enc.ids;
      let typeIds = enc.token_type_ids ?? ids.map(() => 0);
      if (ids.length > maxLength) {
        // Keep the closing special token ([SEP] / </s>) when truncating, as HF truncation does.
        const last = ids.length - 1;
        const keepLast = specialIds.has(ids[last] as number);
        ids = keepLast ? [...ids.slice(0, maxLength - 1), ids[last] as number] : ids.slice(0, maxLength);
        typeIds = keepLast
          ? [...typeIds.slice(0, maxLength - 1), typeIds[last] as number]
          : typeIds.slice(0, maxLength);
      }
      return { ids, typeIds };
    },
  };
}

/** Loads the tokenizer a model directory names in its config. */
export async function loadTokenizer(
  dir: string,
  kind: 'tokenizer.json' | 'vocab',
  opts: { lowercase: boolean },
): Promise<TextTokenizer> {
  const config = await readJsonIfPresent(join(dir, 'tokenizer_config.json'));
  if (kind === 'tokenizer.json') {
    const json = JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8')) as object;
    return tokenizerFromJson(json, config);
  }
  const vocab = (await readFile(join(dir, 'vocab.txt'), 'utf8'))
    .split(/\r?\n/)
    .filter((l, i, a) => l !== '' || i < a.length - 1);
  return tokenizerFromJson(bertTokenizerJson(vocab, opts), config);
}
