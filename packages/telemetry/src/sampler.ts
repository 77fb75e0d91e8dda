// The default head sampler when tracing is on and OTEL_TRACES_SAMPLER is not set. Built from the SDK's own
// samplers (ParentBased, TraceIdRatioBased) behind the standard `Sampler` interface — the rule-based sampling
// the OpenTelemetry specification describes (ComposableRuleBased), without its experimental package.
import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import {
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';

// tRPC over HTTP: /api/trpc/reports.create, or a batch naming it (/api/trpc/quotes.latest,reports.create)
const REPORT_CREATE_PATH = /^\/api\/trpc\/(?:[^/?]*,)?reports\.create(?:,|$)/;

/**
 * A root span that starts a report run: the tRPC call `reports.create` (the web process's server span), the
 * HTTP request of it where instrumentation-http's server spans are on (it passes `url.path` to the sampler;
 * TRACE_HTTP_SERVER_SPANS=true), or a `report.run` without a parent.
 * Report runs are rare, and a report's lineage names its trace id — that trace must exist.
 */
export function startsReportRun(name: string, attributes: Attributes): boolean {
  if (name === 'report.run' || name === 'trpc reports.create') return true;
  const path = attributes['url.path'];
  return typeof path === 'string' && REPORT_CREATE_PATH.test(path);
}

/** Root decision: report runs always, anything else by trace id at the ratio (consistent across services). */
class ReportRunsOrRatio implements Sampler {
  private readonly ratio: TraceIdRatioBasedSampler;
  constructor(ratio: number) {
    this.ratio = new TraceIdRatioBasedSampler(ratio);
  }
  shouldSample(
    context: Context,
    traceId: string,
    name: string,
    _kind: SpanKind,
    attributes: Attributes,
    _links: Link[],
  ): SamplingResult {
    if (startsReportRun(name, attributes)) return { decision: SamplingDecision.RECORD_AND_SAMPLED };
    return this.ratio.shouldSample(context, traceId);
  }
  toString(): string {
    return `ReportRunsOr{${this.ratio.toString()}}`;
  }
}

/**
 * Follows the caller's decision (W3C `traceparent` sampled flag) like `parentbased_traceidratio`; at the root
 * keeps every report run and `ratio` of everything else. Unsampled requests still carry a trace id (logs,
 * propagation) but record and export nothing.
 */
export function defaultSampler(ratio: number): Sampler {
  return new ParentBasedSampler({ root: new ReportRunsOrRatio(ratio) });
}
