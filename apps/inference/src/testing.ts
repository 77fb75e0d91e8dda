// Test helpers for other workspaces' integration and fault tests (not used by the services themselves).
export { type FakeOpenAi, startFakeOpenAi } from './test-support/fake-openai';
export { type ServiceProcess, startServiceProcess } from './test-support/service-process';
