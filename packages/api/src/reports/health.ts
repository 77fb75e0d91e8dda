import type { DatabaseHandle } from '@investiq/db';
import { syncInferenceEndpoints } from './endpoints';
import { type InferenceGateway, SERVICES, type ServiceHealthView } from './inference-gateway';

/**
 * Each inference service's /health (asked concurrently, 1.5 s each) with its breaker state. `ok` is false
 * when a service is unreachable or reports itself degraded; an LLM without upstream is fine (`unconfigured`:
 * reports use the deterministic writer).
 */
export async function inferenceHealth(
  gateway: InferenceGateway,
  db?: DatabaseHandle,
): Promise<{ ok: boolean; services: Record<string, ServiceHealthView> }> {
  if (db) await syncInferenceEndpoints(db, gateway);
  const all = await Promise.all(SERVICES.map((s) => gateway.health(s)));
  return {
    ok: all.every((h) => h.reachable && h.status !== 'degraded'),
    services: Object.fromEntries(all.map((h) => [h.service, h])),
  };
}
