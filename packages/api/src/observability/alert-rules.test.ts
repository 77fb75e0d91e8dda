import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningService, startService } from '@investiq/inference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROVIDER_METRICS } from '../operations/read-provider-budgets';
import { createReportMetrics } from '../reports/metrics';
import { waitFor } from '../test-support/runtime';
import { createMetrics } from './metrics';

// The operator's monitoring shipped in deploy/: Prometheus rules (promtool check + unit tests, one or more
// per rule in rules.test.yml), the Alertmanager routing (amtool, and a real Alertmanager process that must
// send one notification per outage), and Grafana dashboards that only read metrics our processes export.
// promtool/amtool/alertmanager come from Debian's prometheus and prometheus-alertmanager packages, which
// scripts/test.sh installs.
const deploy = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../deploy');
const rulesFile = path.join(deploy, 'prometheus/rules.yml');
const alertmanagerFile = path.join(deploy, 'alertmanager/alertmanager.yml');
const dashboards = readdirSync(path.join(deploy, 'grafana')).filter((f) => f.endsWith('.json'));

const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { cwd: path.join(deploy, 'prometheus'), encoding: 'utf8', stdio: 'pipe' });

describe('Prometheus alert rules', () => {
  it('pass promtool check rules', () => {
    expect(run('promtool', ['check', 'rules', rulesFile])).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('pass their promtool unit tests, which cover every rule', () => {
    expect(run('promtool', ['test', 'rules', 'rules.test.yml'])).toContain('SUCCESS');
    const rules = alertNames();
    const tested = readFileSync(path.join(deploy, 'prometheus/rules.test.yml'), 'utf8');
    for (const name of rules)
      expect(tested, `${name} has no promtool test`).toContain(`alertname: ${name}\n`);
  });

  it('each carry severity, component, a summary and a runbook line', () => {
    for (const rule of allRules()) {
      expect(rule.labels?.severity, rule.alert).toMatch(/^(critical|warning)$/);
      expect(rule.labels?.component, rule.alert).toBeTruthy();
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      expect(rule.annotations?.runbook, rule.alert).toBeTruthy();
    }
  });
});

describe('metrics read by rules and dashboards exist', () => {
  let inference: RunningService;
  const known = new Set<string>(['up']);

  beforeAll(async () => {
    const web = createMetrics();
    createReportMetrics(web.registry);
    const exposed = await web.registry.metrics();
    addExposed(known, exposed);
    // The provider metrics are declared by the provider layer (PROVIDER_METRICS is the contract); where a
    // process already exports one, its type must match the contract.
    for (const { name, type } of Object.values(PROVIDER_METRICS)) {
      const declared = new RegExp(`^# TYPE ${name} (\\w+)$`, 'm').exec(exposed)?.[1];
      if (declared) expect(declared, name).toBe(type);
      addExposed(known, `# TYPE ${name} ${type}\n`);
    }
    inference = await startService('cpu-timeseries', { port: 0, logLevel: 'silent' });
    addExposed(known, await (await fetch(`${inference.url}/metrics`)).text());
  });
  afterAll(async () => {
    await inference?.close();
  });

  it('in the alert rules', () => {
    for (const rule of allRules()) {
      for (const m of metricNames(rule.expr))
        expect(known.has(m), `${rule.alert}: unknown metric ${m}`).toBe(true);
    }
  });

  it.each(dashboards)('in the Grafana dashboard %s', (file) => {
    const d = JSON.parse(readFileSync(path.join(deploy, 'grafana', file), 'utf8')) as {
      uid: string;
      panels: { title: string; targets: { expr: string }[] }[];
    };
    expect(d.uid).toMatch(/^investiq-/);
    expect(d.panels.length).toBeGreaterThan(5);
    for (const p of d.panels) {
      expect(p.targets.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets)
        for (const m of metricNames(t.expr))
          expect(known.has(m), `${file} "${p.title}": unknown metric ${m}`).toBe(true);
    }
  });

  it('finds a metric that does not exist (the check itself works)', () => {
    expect([...metricNames('sum(rate(investiq_no_such_total{a="b"}[5m])) by (x)')]).toEqual([
      'investiq_no_such_total',
    ]);
  });
});

describe('Alertmanager routing: one outage, one alert', () => {
  let am: ChildProcess | undefined;
  let hook: Server;
  let dir: string;
  let amUrl: string;
  const notified: { alerts: { labels: Record<string, string> }[] }[] = [];

  beforeAll(async () => {
    expect(run('amtool', ['check-config', alertmanagerFile])).toContain('SUCCESS');
    hook = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => {
        raw += c.toString();
      });
      req.on('end', () => {
        notified.push(JSON.parse(raw));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`;
    dir = mkdtempSync(path.join(tmpdir(), 'investiq-am-'));
    // the shipped file, with our receiver and short waits so the test takes seconds
    const config = readFileSync(alertmanagerFile, 'utf8')
      .replace('http://127.0.0.1:9099/investiq-alerts', hookUrl)
      .replace('group_wait: 30s', 'group_wait: 1s')
      .replace('group_interval: 5m', 'group_interval: 1s');
    writeFileSync(path.join(dir, 'am.yml'), config);
    const port = await freePort();
    amUrl = `http://127.0.0.1:${port}`;
    am = spawn(
      'prometheus-alertmanager',
      [
        `--config.file=${path.join(dir, 'am.yml')}`,
        `--storage.path=${dir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      async () => (await fetch(`${amUrl}/-/ready`).catch(() => null))?.ok,
      20_000,
      'alertmanager ready',
    );
  }, 30_000);

  afterAll(async () => {
    // wait for alertmanager to exit: it writes its data directory until then (rm would race it)
    if (am && am.exitCode === null && am.signalCode === null) {
      const exited = new Promise((r) => am?.once('exit', r));
      am.kill('SIGTERM');
      await exited;
    }
    await new Promise((r) => hook?.close(r));
    if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
  });

  it('sends the cause and holds back what it causes', async () => {
    const alert = (labels: Record<string, string>) => ({
      labels: { severity: 'warning', ...labels },
      annotations: { summary: labels.alertname },
      startsAt: new Date().toISOString(),
    });
    const sent = await fetch(`${amUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        alert({ alertname: 'InvestIQWebDown', component: 'web', instance: 'web:3000' }),
        alert({ alertname: 'InvestIQMarketStale', component: 'collector', market: 'US' }),
        alert({ alertname: 'InvestIQMarketStale', component: 'collector', market: 'HK' }),
        alert({ alertname: 'InvestIQWebLatencyP99', component: 'web' }),
        alert({ alertname: 'InvestIQInferenceServiceDown', component: 'inference', service: 'timeseries' }),
        alert({ alertname: 'InvestIQInferenceLatencyP99', component: 'inference', service: 'timeseries' }),
        alert({ alertname: 'InvestIQInferenceLatencyP99', component: 'inference', service: 'sentiment' }),
      ]),
    });
    expect(sent.status).toBe(200);
    // inhibited alerts are marked once their group has been through the pipeline
    type AmAlert = { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } };
    const state = await waitFor(
      async () => {
        const all = (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as AmAlert[];
        const done = all.length === 7 && all.filter((a) => a.status.state === 'suppressed').length === 4;
        return done ? all : null;
      },
      20_000,
      'inhibitions applied',
    );
    const key = (a: { labels: Record<string, string> }) =>
      [a.labels.alertname, a.labels.market ?? a.labels.service ?? ''].join(':');
    expect(
      state
        .filter((a) => a.status.inhibitedBy.length > 0)
        .map(key)
        .sort(),
    ).toEqual([
      'InvestIQInferenceLatencyP99:timeseries',
      'InvestIQMarketStale:HK',
      'InvestIQMarketStale:US',
      'InvestIQWebLatencyP99:',
    ]);
    await waitFor(() => notified.length >= 3, 20_000, 'three notifications');
    const delivered = notified.flatMap((n) => n.alerts.map(key)).sort();
    expect(delivered).toEqual([
      'InvestIQInferenceLatencyP99:sentiment',
      'InvestIQInferenceServiceDown:timeseries',
      'InvestIQWebDown:',
    ]);
  }, 60_000);

  it('raises one alert per provider problem, and none while the collector is down', async () => {
    const post = (alerts: Record<string, string>[]) =>
      fetch(`${amUrl}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          alerts.map((labels) => ({
            labels: { severity: 'warning', component: 'providers', ...labels },
            annotations: { summary: labels.alertname },
            startsAt: new Date().toISOString(),
          })),
        ),
      });
    type AmAlert = { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } };
    const key = (a: { labels: Record<string, string> }) => `${a.labels.alertname}:${a.labels.provider}`;
    const providerAlerts = async () =>
      ((await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as AmAlert[]).filter((a) =>
        a.labels.alertname?.startsWith('Provider'),
      );
    expect(
      (
        await post([
          { alertname: 'ProviderBudgetExhausted', provider: 'tushare', severity: 'critical' },
          { alertname: 'ProviderBudgetNearlySpent', provider: 'tushare' },
          { alertname: 'ProviderErrorRatio', provider: 'tushare' },
          { alertname: 'ProviderBreakerOpen', provider: 'finnhub' },
          { alertname: 'ProviderErrorRatio', provider: 'finnhub' },
          { alertname: 'ProviderBudgetNearlySpent', provider: 'finnhub' },
          { alertname: 'ProviderErrorRatio', provider: 'yahoo' },
        ])
      ).status,
    ).toBe(200);
    const state = await waitFor(
      async () => {
        const all = await providerAlerts();
        const done = all.length === 7 && all.filter((a) => a.status.state === 'suppressed').length === 3;
        return done ? all : null;
      },
      20_000,
      'provider inhibitions applied',
    );
    // the same provider's consequences are held back; other providers' alerts are not
    expect(
      state
        .filter((a) => a.status.inhibitedBy.length > 0)
        .map(key)
        .sort(),
    ).toEqual([
      'ProviderBudgetNearlySpent:tushare',
      'ProviderErrorRatio:finnhub',
      'ProviderErrorRatio:tushare',
    ]);
    const expected = [
      'ProviderBreakerOpen:finnhub',
      'ProviderBudgetExhausted:tushare',
      'ProviderBudgetNearlySpent:finnhub',
      'ProviderErrorRatio:yahoo',
    ];
    const deliveredProviders = () =>
      notified
        .flatMap((n) => n.alerts.map(key))
        .filter((k) => k.startsWith('Provider'))
        .sort();
    await waitFor(() => deliveredProviders().length >= 4, 20_000, 'four provider notifications');
    expect([...new Set(deliveredProviders())]).toEqual(expected);

    // the collector goes down: nothing polls the providers, so their alerts are all held back
    expect(
      (
        await post([
          { alertname: 'InvestIQCollectorDown', component: 'collector', instance: 'collector:9108' },
        ])
      ).status,
    ).toBe(200);
    const held = await waitFor(
      async () => {
        const all = await providerAlerts();
        return all.every((a) => a.status.state === 'suppressed') ? all : null;
      },
      20_000,
      'provider alerts held back while the collector is down',
    );
    expect(held).toHaveLength(7);
    for (const a of held) expect(a.status.inhibitedBy.length, key(a)).toBeGreaterThan(0);
  }, 60_000);
});

type Rule = {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
};

function allRules(): Rule[] {
  const doc = parse(readFileSync(rulesFile, 'utf8')) as { groups: { rules: Rule[] }[] };
  return doc.groups.flatMap((g) => g.rules);
}

function alertNames(): string[] {
  return allRules().map((r) => r.alert);
}

/** Metric names a PromQL expression reads (label matchers, grouping clauses, strings and functions removed). */
function metricNames(expr: string): Set<string> {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  const words = stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  const promql = new Set([
    'sum',
    'max',
    'min',
    'avg',
    'count',
    'rate',
    'increase',
    'irate',
    'histogram_quantile',
    'label_replace',
    'time',
    'vector',
    'and',
    'or',
    'unless',
    'by',
    'on',
    'bool',
    'offset',
    'abs',
    'clamp_min',
    'delta',
  ]);
  return new Set(words.filter((w) => !promql.has(w)));
}

/** Series names as exposed (histograms also as _bucket/_count/_sum; summaries as _count/_sum). */
function addExposed(into: Set<string>, text: string): void {
  for (const m of text.matchAll(/^# TYPE (\S+) (\w+)$/gm)) {
    const [, name, type] = m as unknown as [string, string, string];
    into.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_count', '_sum']) into.add(name + s);
    if (type === 'summary') for (const s of ['_count', '_sum']) into.add(name + s);
  }
}

async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}
