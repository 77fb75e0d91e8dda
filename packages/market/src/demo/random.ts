import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

type Rng = ReturnType<typeof xoroshiro128plus>;

/** FNV-1a 32-bit hash: turns (seed, symbol, day) into an integer seed for an independent stream. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/**
 * Seeded random stream. pure-rand supplies the generator and uniform draws; the normal (Box–Muller) and
 * Student-t (normal / sqrt(chi²/ν)) transforms are the textbook ones, a few lines each.
 */
export class RandomStream {
  private readonly rng: Rng;
  private spare: number | null = null;
  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }
  uniform(): number {
    return uniformFloat64(this.rng);
  }
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  /** Student-t with `nu` degrees of freedom, scaled to unit variance (fat tails, as real returns have). */
  studentT(nu: number): number {
    let chi2 = 0;
    for (let i = 0; i < nu; i++) {
      const n = this.normal();
      chi2 += n * n;
    }
    const t = this.normal() / Math.sqrt(chi2 / nu);
    return t * Math.sqrt((nu - 2) / nu);
  }
}
