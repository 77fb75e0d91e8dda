/**
 * Reads a quote, follows three live updates, then generates a report and waits for it to finish.
 *
 *   INVESTIQ_URL=http://localhost:3000 INVESTIQ_TOKEN=iq_… npx tsx packages/client/examples/quote-and-report.ts
 *
 * INVESTIQ_SYMBOL (default CN:600519.SH) picks the symbol; the token needs the analyst role to create reports.
 */
import { createInvestIQClient, streamQuotes, type TLatestQuote, type TMarket } from '@investiq/client';

const url = process.env.INVESTIQ_URL;
const token = process.env.INVESTIQ_TOKEN;
if (!url || !token) {
  console.error('set INVESTIQ_URL (e.g. http://localhost:3000) and INVESTIQ_TOKEN (npm run token:create)');
  process.exit(2);
}
const [market, symbol] = (process.env.INVESTIQ_SYMBOL ?? 'CN:600519.SH').split(':') as [TMarket, string];

const client = createInvestIQClient({ baseUrl: url, token });

function describe(q: TLatestQuote): string {
  if (q.status === 'missing') return 'no quote yet';
  if (q.status === 'stale') return `last seen ${q.lastSeenAt}, no current price`;
  return `${q.quote.price} ${q.quote.currency} at ${q.quote.ts} (source ${q.quote.source})`;
}

// 1. one quote, under the server's freshness contract
const latest = await client.quotes.latest.query({ market, symbol });
console.log(`quote ${market}:${symbol} status=${latest.status} ${describe(latest)}`);

// 2. live updates over SSE (the server's shared quote stream): stop after three
await new Promise<void>((resolve, reject) => {
  let seen = 0;
  const stream = streamQuotes({
    baseUrl: url,
    token,
    symbols: [{ market, symbol }],
    onAnswers(answers) {
      for (const a of answers) {
        if (seen === 3) return;
        seen += 1;
        console.log(`live ${seen}: ${a.market}:${a.symbol} ${describe(a)}`);
        if (seen === 3) {
          stream.close();
          resolve();
        }
      }
    },
    onError: reject,
  });
});

// 3. a report: start it (or join the one already running), follow its progress, print the outcome
const { id, joined } = await client.reports.create.mutate({ market, symbol, language: 'en' });
console.log(`report ${id} ${joined ? 'joined' : 'started'}`);
const finished = await new Promise<string>((resolve, reject) => {
  const done = new Set<string>();
  const sub = client.reports.progress.subscribe(
    { id },
    {
      onData(view) {
        for (const s of view.sections) {
          if (s.status !== 'pending' && s.status !== 'running' && !done.has(s.module)) {
            done.add(s.module);
            console.log(`  section ${s.module}: ${s.status}`);
          }
        }
        if (view.status !== 'running') {
          sub.unsubscribe();
          resolve(view.status);
        }
      },
      onError: reject,
    },
  );
});
const report = await client.reports.get.query({ id });
console.log(
  `report ${report.id} finished status=${finished} sections=${report.sections.length} degraded=${report.degradedSections}`,
);
