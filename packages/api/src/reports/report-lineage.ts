import type { TBar, TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { oneBarPerDay } from '../market/bars-sql';
import { readCloseChecks } from '../providers/cross-check';
import { SProviderCrossCheck } from '../providers/settings';
import { getSetting } from '../settings/service';
import type { TAnalysisSettings } from './analysis-settings';
import type { ServiceHealthView } from './inference-gateway';
import { MODULE_LIST, moduleDef } from './modules';
import type { Lineage, ReportView } from './types';

const sectionOutput = (view: ReportView, m: string) =>
  view.sections.find((s) => s.module === m)?.output ?? null;

/** Where the report's inputs came from: as-of times, the models of the services its modules called, params. */
export function buildLineage(
  provider: string,
  view: ReportView,
  bars: TBar[],
  health: Record<string, ServiceHealthView>,
  asOf: string | null,
): Lineage {
  const dataAsOf: Record<string, string | null> = { dailyBars: bars.at(-1)?.time ?? null };
  for (const s of view.sections)
    for (const [k, v] of Object.entries(s.inputsAsOf ?? {})) if (v) dataAsOf[k] = v;
  const profile = sectionOutput(view, 'profile') as { quote?: { status: string } | null } | null;
  const models: Lineage['models'] = {};
  for (const m of view.modules)
    for (const svc of moduleDef(m).services) {
      const h = health[svc];
      models[svc] =
        h?.reachable && h.model
          ? {
              name: h.model.name,
              version: h.model.version,
              sha256: h.model.sha256,
              executionProvider: h.model.executionProvider,
              url: h.url,
            }
          : null;
    }
  const narrative = sectionOutput(view, 'narrative') as { template?: Lineage['template'] } | null;
  return {
    provider,
    dataAsOf,
    quoteStatus: asOf ? 'historical' : ((profile?.quote?.status as Lineage['quoteStatus']) ?? null),
    models,
    template: narrative?.template ?? null,
    params: view.params as TAnalysisSettings,
    backtestAsOf: asOf,
  };
}

/**
 * The provider of each input (the stored bars', then each module's `sources`), and the daily-close
 * cross-check of two sources (when configured).
 */
export async function lineageSources(
  db: DatabaseHandle,
  view: ReportView,
  asOf: string | null,
): Promise<Pick<Lineage, 'sources' | 'closeCheck'>> {
  const [bar] = await db.query<{ source: string }>(
    `SELECT source FROM ${oneBarPerDay('$1', '$2')} one WHERE ($3::date IS NULL OR date <= $3::date)
      ORDER BY date DESC LIMIT 1`,
    [view.market, view.symbol, asOf],
  );
  const sources: Record<string, string | null> = { dailyBars: bar?.source ?? null };
  for (const def of MODULE_LIST) {
    if (!def.sources) continue;
    // every input is named, null when its module was not run or did not deliver
    for (const k of def.sources.inputs) sources[k] = null;
    const output = sectionOutput(view, def.name);
    if (output) Object.assign(sources, def.sources.of(output));
  }
  const { thresholdPercent } = await getSetting(db, SProviderCrossCheck);
  const [check] = await readCloseChecks(db, {
    thresholdPercent,
    ref: { market: view.market as TMarket, symbol: view.symbol },
  });
  return {
    sources,
    closeCheck: check
      ? {
          date: check.date,
          closes: check.closes,
          diffPercent: check.diffPercent,
          thresholdPercent,
          flagged: check.flagged,
        }
      : null,
  };
}
