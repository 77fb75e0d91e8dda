import type { TMarket } from '@investiq/contracts';
import { pinyin } from 'pinyin-pro';

/**
 * Pinyin initials of a Chinese name, lower case, Latin letters and digits kept (`贵州茅台` → `gzmt`,
 * `TCL科技` → `tclkj`, `*ST华微` → `sthw`). pinyin-pro picks readings by word (重庆 → chong qing).
 */
export function pinyinInitials(nameZh: string): string {
  const norm = nameZh.normalize('NFKC');
  if (!/\p{Script=Han}/u.test(norm)) return '';
  return pinyin(norm, { pattern: 'first', toneType: 'none', type: 'array' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Full pinyin without spaces (`guizhoumaotai`): lets a typo-tolerant match find a spelled-out name. */
export function pinyinFull(nameZh: string): string {
  const norm = nameZh.normalize('NFKC');
  if (!/\p{Script=Han}/u.test(norm)) return '';
  return pinyin(norm, { toneType: 'none', type: 'array' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Code forms a user types for a symbol: `600519.SH` → 600519.sh, 600519; `0700.HK` → 0700.hk, 0700, 700. */
export function codeForms(market: TMarket, symbol: string): string[] {
  const s = symbol.toLowerCase();
  const bare = s.split('.')[0]!;
  const forms = new Set([s, bare]);
  if (market === 'HK') forms.add(bare.replace(/^0+(?=\d)/, ''));
  if (market === 'US') forms.add(s.replace('.', '-')).add(s.replace('.', ''));
  return [...forms];
}

/** The normalised text search matches on: code forms, names, pinyin initials and full pinyin. */
export function searchText(s: { market: TMarket; symbol: string; name: string; nameZh: string }): {
  pinyin: string;
  searchText: string;
} {
  const initials = pinyinInitials(s.nameZh);
  const parts = [
    ...codeForms(s.market, s.symbol),
    s.name.normalize('NFKC').toLowerCase(),
    s.nameZh.normalize('NFKC').toLowerCase(),
    initials,
    pinyinFull(s.nameZh),
  ].filter((p) => p.length > 0);
  return { pinyin: initials, searchText: [...new Set(parts)].join(' ') };
}
