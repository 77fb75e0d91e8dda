import {
  type BulkheadPolicy,
  bulkhead,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleAll,
  type IPolicy,
  retry,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';

export interface PolicyOptions {
  timeoutMs: number;
  /** Retries for idempotent calls (0 for non-idempotent ones). */
  retries: number;
  breakerThreshold: number;
  halfOpenAfterMs: number;
  maxConcurrent: number;
  maxQueue: number;
}

export interface NamedPolicy {
  name: string;
  policy: IPolicy;
  breakerState(): 'closed' | 'open' | 'half-open' | 'isolated';
}

const STATE_NAME: Record<CircuitState, 'closed' | 'open' | 'half-open' | 'isolated'> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/** The latest policy of each name in this process, for the `investiq_breaker_state` gauge. */
const LIVE = new Map<string, NamedPolicy>();

/** Breaker state per policy name (the most recently created policy of that name). */
export function breakerStates(): { name: string; state: ReturnType<NamedPolicy['breakerState']> }[] {
  return [...LIVE.values()].map((p) => ({ name: p.name, state: p.breakerState() }));
}

/**
 * Bulkhead → circuit breaker → retry (jittered exponential backoff) → per-attempt timeout, from cockatiel.
 * The breaker sits outside the retries so one failing dependency trips it after `breakerThreshold`
 * failed calls, not attempts.
 */
export function createPolicy(name: string, o: PolicyOptions): NamedPolicy {
  const breaker = circuitBreaker(handleAll, {
    halfOpenAfter: o.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(o.breakerThreshold),
  });
  const retryPolicy = retry(handleAll, {
    maxAttempts: o.retries,
    backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }),
  });
  const timeoutPolicy = timeout(o.timeoutMs, TimeoutStrategy.Aggressive);
  const bh: BulkheadPolicy = bulkhead(o.maxConcurrent, o.maxQueue);
  const named: NamedPolicy = {
    name,
    policy: wrap(bh, breaker, retryPolicy, timeoutPolicy),
    breakerState: () => STATE_NAME[breaker.state],
  };
  LIVE.set(name, named);
  return named;
}
