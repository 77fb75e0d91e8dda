/** Thrown for input that parses but cannot be used (too short, constant, non-positive prices…). Maps to HTTP 400/422. */
export class QuantInputError extends Error {
  override readonly name = 'QuantInputError';
  readonly code = 'QUANT_INPUT' as const;
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function assertFiniteSeries(xs: readonly number[], field: string, minLength: number): void {
  if (!Array.isArray(xs)) throw new QuantInputError(`${field} must be an array of numbers`, field);
  if (xs.length < minLength) {
    throw new QuantInputError(`${field} has ${xs.length} values; at least ${minLength} are needed`, field);
  }
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new QuantInputError(`${field}[${i}] is not a finite number`, field);
    }
  }
}

export function assertNotConstant(xs: readonly number[], field: string): void {
  const first = xs[0] ?? 0;
  const scale = Math.max(1, Math.abs(first));
  if (xs.every((v) => Math.abs(v - first) <= 1e-12 * scale)) {
    throw new QuantInputError(`${field} is constant; there is nothing to model`, field);
  }
}

/** Forecast horizon: an integer in [1, 1000]; an absent one is named as missing. */
export function assertHorizon(h: unknown): void {
  if (h === undefined || h === null) throw new QuantInputError('horizon is required', 'horizon');
  if (!Number.isInteger(h) || (h as number) < 1 || (h as number) > 1000)
    throw new QuantInputError('horizon must be an integer between 1 and 1000', 'horizon');
}
