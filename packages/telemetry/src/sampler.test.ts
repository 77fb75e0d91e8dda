import { context, ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-node';
import { describe, expect, it } from 'vitest';
import { defaultSampler, startsReportRun } from './sampler';

const sampled = SamplingDecision.RECORD_AND_SAMPLED;
const dropped = SamplingDecision.NOT_RECORD;
const traceId = (i: number) => i.toString(16).padStart(32, '0');

describe('default sampler', () => {
  it('keeps every report run at the root, whatever the ratio', () => {
    const none = defaultSampler(0);
    const decide = (name: string, path?: string) =>
      none.shouldSample(ROOT_CONTEXT, traceId(1), name, SpanKind.SERVER, path ? { 'url.path': path } : {}, [])
        .decision;
    expect(decide('POST', '/api/trpc/reports.create')).toBe(sampled);
    expect(decide('POST', '/api/trpc/quotes.latest,reports.create')).toBe(sampled);
    expect(decide('trpc reports.create')).toBe(sampled);
    expect(decide('report.run')).toBe(sampled);
    expect(decide('GET', '/api/trpc/quotes.latest')).toBe(dropped);
    expect(decide('GET', '/api/trpc/reports.createdBy')).toBe(dropped);
    expect(decide('collector.tick')).toBe(dropped);
    expect(startsReportRun('GET', { 'url.path': '/api/trpc/reports.get' })).toBe(false);
  });

  it('samples other root traces at the ratio, by trace id', () => {
    const tenth = defaultSampler(0.1);
    let kept = 0;
    // the SDK's ratio sampler XORs the id's four 32-bit words and keeps values < floor(0.1 × 0xffffffff):
    // 2000 ids whose XOR spreads evenly over 0…0xffffffff (words 1 and 2 cancel out, word 3 is zero) → ids
    // 0…199 kept, 200
    for (let i = 0; i < 2000; i++) {
      const word = Math.floor((i * 0xffffffff) / 2000);
      const hex = `${'f'.repeat(16)}${'0'.repeat(8)}${word.toString(16).padStart(8, '0')}`;
      if (tenth.shouldSample(ROOT_CONTEXT, hex, 'GET', SpanKind.SERVER, {}, []).decision === sampled) kept++;
    }
    expect(kept).toBe(200);
  });

  it("follows the caller's decision (W3C traceparent sampled flag), even for a report", () => {
    const all = defaultSampler(1);
    const under = (flags: TraceFlags) =>
      trace.setSpan(
        context.active(),
        trace.wrapSpanContext({
          traceId: traceId(2),
          spanId: '1'.repeat(16),
          traceFlags: flags,
          isRemote: true,
        }),
      );
    const path = { 'url.path': '/api/trpc/reports.create' };
    expect(
      all.shouldSample(under(TraceFlags.NONE), traceId(2), 'POST', SpanKind.SERVER, path, []).decision,
    ).toBe(dropped);
    expect(
      defaultSampler(0).shouldSample(under(TraceFlags.SAMPLED), traceId(2), 'GET', SpanKind.SERVER, {}, [])
        .decision,
    ).toBe(sampled);
  });
});
