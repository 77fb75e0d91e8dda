import type { DatabaseHandle } from '@investiq/db';
import { type Leadership, startLeadership } from '../collector/leader';
import type { Logger } from '../observability/logger';
import type { ScheduleRunner } from './runner';

/** The advisory lock of the one process that runs report schedules per database. */
export const SCHEDULES_LOCK = 'investiq_report_schedules';

/** Run `runner` in the one process holding the schedule lock (alone on PGlite). */
export function leadSchedules(
  db: DatabaseHandle,
  runner: ScheduleRunner,
  log: Logger,
  retryMs?: number,
): Leadership {
  return startLeadership(db, {
    lock: SCHEDULES_LOCK,
    name: 'report schedules',
    retryMs,
    log,
    onLead: () => runner.start(),
    onStandby: () => runner.stop(),
  });
}
