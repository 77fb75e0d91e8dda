export { BatcherClosedError, MicroBatcher, QueueFullError } from './batching/micro-batcher';
export type { InferenceConfig, ServiceName, StartOptions } from './config';
export { configFromEnv, defaultConfig, resolveConfig } from './config';
export type { RunningService, RunningServices } from './server';
export { SERVICE_NAMES, startAll, startService } from './server';
