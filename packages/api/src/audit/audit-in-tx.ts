import type { Transaction } from '@investiq/db';
import { auditLog } from '@investiq/db/schema';
import type { AuditEntry } from './audit-log';

/** The audit row of a write, inside the drizzle transaction that makes the write. */
export async function auditInTx(tx: Transaction, e: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actor: e.actor,
    action: e.action,
    target: e.target,
    oldValue: e.oldValue ?? null,
    newValue: e.newValue ?? null,
    ip: e.ip ?? null,
  });
}
