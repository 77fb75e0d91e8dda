import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { e2eDataDir } from '../playwright.config';

export function adminToken(): string {
  return readFileSync(path.join(e2eDataDir, 'e2e-token'), 'utf8').trim();
}

export async function collector(request: APIRequestContext, action: 'pause' | 'resume'): Promise<void> {
  const res = await request.post(`/api/trpc/collector.${action}`, {
    headers: { authorization: `Bearer ${adminToken()}`, 'content-type': 'application/json' },
    data: {},
  });
  if (!res.ok()) throw new Error(`collector.${action} failed: ${res.status()} ${await res.text()}`);
}
