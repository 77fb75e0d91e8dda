#!/usr/bin/env bash
# `npm run bench`: every benchmark in turn (≈ 10 minutes on 2 cores). Each prints its own ratio against a
# baseline measured in the same run; copy the figures into BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
npm run models:build --silent
echo "== quotes (PostgreSQL) =="; npx tsx bench/quotes.ts
echo "== tracing cost (PostgreSQL) =="; npx tsx bench/tracing.ts
# the production build of the web app (≈ 30 s here): the tracing run below loads it, page weight measures it
(cd apps/web && npx next build >/dev/null)
echo "== tracing cost in the web process (Next.js loaded, one page served first) =="; BENCH_WITH_NEXT=1 npx tsx bench/tracing.ts
echo "== symbol search (PostgreSQL) =="; npx tsx bench/symbol-search.ts
echo "== alert evaluation, 10 000 alerts (PostgreSQL) =="; npx tsx bench/alerts.ts
echo "== providers: failover and budgets (PostgreSQL, ≈ 2 min) =="; npx tsx bench/providers.ts
echo "== live-quote SSE fan-out, 2 000 subscribers (PostgreSQL) =="; npx tsx bench/sse-fanout.ts --subscribers 2000 --seconds 20
echo "== inference batching =="; npx tsx bench/inference-batching.ts --requests 60
# opt-in 351 MB random-weight encoder (≈ 5 s to build, skipped when up to date), then ≈ 30 s of load
npm run models:build:bench --silent
echo "== encoder batching (FinBERT-shaped, random weights) =="; npx tsx bench/encoder-batching.ts
echo "== auto-ARIMA vs statsmodels =="; npx tsx bench/arima.ts
echo "== report latency =="; npx tsx bench/report-latency.ts
echo "== strategy backtests (500 symbols × 10 years) =="; npx tsx bench/backtest.ts
# JS per page from the build output above and the dashboard's LCP
echo "== page weight and LCP (Chromium) =="; npx tsx bench/page-weight.ts
