import type { DatabaseHandle } from '@investiq/db';
import { SInferenceEndpoints } from '../settings/keys';
import { getSettingWithVersion } from '../settings/service';
import type { InferenceGateway } from './inference-gateway';

/**
 * Follows the admin setting `inference.endpoints`: once an admin has stored a version, its URLs and timeouts
 * replace the environment's (INFERENCE_*_URL / _TIMEOUT_MS) without a restart; before that, the environment
 * wins. Cheap: the settings service caches the current value and follows changes by LISTEN/NOTIFY.
 */
export async function syncInferenceEndpoints(db: DatabaseHandle, gateway: InferenceGateway): Promise<void> {
  let current: { value: typeof SInferenceEndpoints.default; version: number };
  try {
    current = await getSettingWithVersion(db, SInferenceEndpoints);
  } catch {
    return; // settings unreadable: keep what we have
  }
  if (current.version === 0) {
    gateway.configure(null);
    return;
  }
  gateway.configure(current.value);
}
