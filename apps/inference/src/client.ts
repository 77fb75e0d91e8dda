// The typed client lives in @investiq/inference-client so that libraries (packages/api) need not import
// this app; re-exported here for callers of the inference workspace.
export * from '@investiq/inference-client';
