import { Counter, Histogram, type Registry } from 'prom-client';

/** Report metrics, registered on the process registry (served at /api/metrics). */
export function createReportMetrics(registry?: Registry) {
  const registers = registry ? [registry] : [];
  return {
    reportDuration: new Histogram({
      name: 'investiq_report_duration_seconds',
      help: 'Report end-to-end duration by final status',
      labelNames: ['status'] as const,
      buckets: [0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 120],
      registers,
    }),
    sections: new Counter({
      name: 'investiq_report_sections_total',
      help: 'Report sections by module and final status (ok, unavailable, skipped, failed)',
      labelNames: ['module', 'status'] as const,
      registers,
    }),
    ungrounded: new Counter({
      name: 'investiq_report_ungrounded_numbers_total',
      help: 'Numbers stated by narratives that match no input number',
      registers,
    }),
  };
}

export type ReportMetrics = ReturnType<typeof createReportMetrics>;
