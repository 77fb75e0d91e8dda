/** One `{{ key }}` occurrence in a template body: [start, end) in the body and the trimmed key. */
export interface PlaceholderMatch {
  start: number;
  end: number;
  key: string;
}

/**
 * Finds `{{ key }}` placeholders in one left-to-right pass: a key runs from `{{` to the first brace after it
 * and counts only when that brace starts `}}`. Every character is examined at most twice, so hostile bodies
 * (an unclosed `{{` followed by thousands of spaces) cost linear time — the regex this replaces,
 * /\{\{\s*([^}]+?)\s*\}\}/, backtracked cubically on them. `stats.steps` counts examined characters (tests).
 */
export function scanPlaceholders(body: string, stats?: { steps: number }): PlaceholderMatch[] {
  const out: PlaceholderMatch[] = [];
  let steps = 0;
  let i = 0;
  while (i < body.length) {
    const open = body.indexOf('{{', i);
    steps += (open < 0 ? body.length : open + 2) - i;
    if (open < 0) break;
    let j = open + 2;
    while (j < body.length) {
      const c = body.charCodeAt(j);
      if (c === 0x7b /* { */ || c === 0x7d /* } */) break;
      j++;
    }
    steps += j - (open + 2);
    if (body.charCodeAt(j) === 0x7d && body.charCodeAt(j + 1) === 0x7d) {
      const key = body.slice(open + 2, j).trim();
      if (key !== '') out.push({ start: open, end: j + 2, key });
      i = j + 2;
    } else {
      // `{` may open the next placeholder (`{{{x}}`): resume one back so indexOf sees it; a lone `}` is text
      i = Math.max(j - 1, open + 1);
      if (j >= body.length) break;
    }
  }
  if (stats) stats.steps += steps;
  return out;
}

/** Replaces each placeholder whose key is an own property of `values`; others stay as written. */
export function fillPlaceholders(body: string, values: ReadonlyMap<string, string>): string {
  let out = '';
  let last = 0;
  for (const m of scanPlaceholders(body)) {
    const v = values.get(m.key);
    if (v === undefined) continue;
    out += body.slice(last, m.start) + v;
    last = m.end;
  }
  return out + body.slice(last);
}
