/**
 * Page weight and LCP (issue "Scale and speed"): the production build's JavaScript per page, gzipped (aim
 * ≤ 200 KB on every page), and the dashboard's Largest Contentful Paint, in Debian's Chromium.
 *
 * Needs a production build first: `(cd apps/web && npx next build)` (≈ 30 s here). Then:
 *   npx tsx bench/page-weight.ts
 * JS per page is read from the build output (no server needed for it): for every route, the root main files
 * plus the client chunks of the page and of the layouts/boundaries above it (the route's client reference
 * manifest) — Next's "First Load JS" — each gzipped here with node:zlib (level 6), `js gzip KB`. Baseline in
 * the same run: Next's not-found page (framework + root layout, no page code).
 * LCP: starts apps/web/server.ts (NODE_ENV=production) on a throwaway PGlite directory with an admin user,
 * inference pointed at a closed port (the dashboard still renders), signs in through the login page, and
 * reads PerformanceObserver('largest-contentful-paint', buffered) on the dashboard in /usr/bin/chromium —
 * median of 3 cold loads (fresh context each). The scripts Chromium fetched for the dashboard are printed
 * beside the build-output figure as a cross-check.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium, type Page } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'apps/web');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const AIM_KB = 200;
const USER = { username: 'bench-admin', password: 'bench-admin-password-1', role: 'admin' };
/** Next's not-found page: framework + root layout, no page code. */
const BASELINE = '/_not-found';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function waitReady(url: string, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`web server not ready at ${url} after ${ms} ms`);
}

async function login(page: Page, base: string) {
  await page.goto(`${base}/login?next=%2F`);
  await page.getByTestId('login-username').fill(USER.username);
  await page.getByTestId('login-password').fill(USER.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => u.pathname === '/', { timeout: 30_000 });
}

const NEXT = path.join(web, '.next');
const gzipCache = new Map<string, { raw: number; gzip: number }>();
/** Raw and gzipped size of one built file (node:zlib, level 6 — what a typical server sends). */
function sizes(file: string) {
  let s = gzipCache.get(file);
  if (!s) {
    const body = readFileSync(path.join(NEXT, file));
    s = { raw: body.length, gzip: gzipSync(body, { level: 6 }).length };
    gzipCache.set(file, s);
  }
  return s;
}

/**
 * The JavaScript a page loads on first visit, from the build output (what `next build` calls First Load JS):
 * the root main files (framework, router, runtime) plus the client chunks of the page and of every layout,
 * template, loading, error and not-found boundary above it (the route's client reference manifest). The
 * `nomodule` polyfills are not counted (modern browsers skip them).
 */
function routeWeights() {
  const build = JSON.parse(readFileSync(path.join(NEXT, 'build-manifest.json'), 'utf8')) as {
    rootMainFiles: string[];
  };
  const out: { route: string; files: string[]; raw: number; gzip: number }[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name === 'page_client-reference-manifest.js') {
        const sandbox: { self: Record<string, unknown>; globalThis?: unknown } = { self: {} };
        sandbox.globalThis = sandbox.self;
        runInNewContext(readFileSync(full, 'utf8'), sandbox);
        const manifests = (
          sandbox.self as { __RSC_MANIFEST: Record<string, { entryJSFiles: Record<string, string[]> }> }
        ).__RSC_MANIFEST;
        for (const [key, m] of Object.entries(manifests)) {
          const routeDir = key.replace(/\/page$/, ''); // "/symbol/[market]/[symbol]" or ""
          const files = new Set(build.rootMainFiles);
          for (const [entry, chunks] of Object.entries(m.entryJSFiles)) {
            const inApp = /\/apps\/web\/src\/app(\/.*)?\/([^/]+)$/.exec(entry);
            // framework built-ins (global-error, default not-found) and boundaries on the route's own path
            const onPath = inApp ? routeDir.startsWith(inApp[1] ?? '') : true;
            if (onPath) for (const c of chunks) files.add(c);
          }
          const list = [...files].filter((f) => f.endsWith('.js'));
          const raw = list.reduce((n, f) => n + sizes(f).raw, 0);
          const gzip = list.reduce((n, f) => n + sizes(f).gzip, 0);
          out.push({ route: routeDir === '' ? '/' : routeDir, files: list, raw, gzip });
        }
      }
    }
  };
  walk(path.join(NEXT, 'server/app'));
  return out.sort((a, b) => a.route.localeCompare(b.route));
}

/** What Chromium fetched for scripts while loading the dashboard (cross-check of the build-output figure). */
async function browserScripts(browser: Browser, base: string, storage: string) {
  const context = await browser.newContext({ storageState: JSON.parse(storage) });
  const page = await context.newPage();
  await page.goto(`${base}/`, { waitUntil: 'load', timeout: 60_000 });
  await page.waitForTimeout(1_000);
  const finalPath = new URL(page.url()).pathname;
  const scripts = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e as PerformanceResourceTiming)
      .filter((r) => r.initiatorType === 'script')
      .map((r) => ({ name: r.name, transferSize: r.transferSize, encodedBodySize: r.encodedBodySize })),
  );
  await context.close();
  if (finalPath !== '/') throw new Error(`dashboard: landed on ${finalPath} (not signed in?)`);
  return {
    names: scripts.map((s) => new URL(s.name).pathname.replace(/^\/_next\//, '')),
    count: scripts.length,
    transfer: scripts.reduce((n, s) => n + s.transferSize, 0),
    encoded: scripts.reduce((n, s) => n + s.encodedBodySize, 0),
  };
}

/** One cold load of the dashboard: its LCP time and which element it was (to know what to speed up). */
async function lcp(
  browser: Browser,
  base: string,
  storage: string,
): Promise<{ ms: number; element: string }> {
  const context = await browser.newContext({ storageState: JSON.parse(storage) });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { __lcp: number; __lcpEl: string };
    w.__lcp = 0;
    w.__lcpEl = '';
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        w.__lcp = e.startTime;
        const el = (e as PerformanceEntry & { element?: Element | null }).element;
        const id = el?.getAttribute('data-testid') ?? el?.className;
        w.__lcpEl = el ? `<${el.tagName.toLowerCase()}${id ? ` ${id}` : ''}>` : '(removed element)';
      }
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  await page.goto(`${base}/`, { waitUntil: 'networkidle', timeout: 60_000 });
  await page.waitForTimeout(1_000);
  const v = await page.evaluate(() => {
    const w = window as unknown as { __lcp: number; __lcpEl: string };
    return { ms: w.__lcp, element: w.__lcpEl };
  });
  await context.close();
  return v;
}

async function main() {
  if (!existsSync(path.join(web, '.next/BUILD_ID')))
    throw new Error('no production build: run `(cd apps/web && npx next build)` first');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'investiq-page-weight-'));
  const port = await freePort();
  const closed = await freePort(); // nothing listens there: inference unreachable
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    COLLECTOR_SESSIONS: 'always',
    INFERENCE_LLM_URL: `http://127.0.0.1:${closed}`,
    INFERENCE_SENTIMENT_URL: `http://127.0.0.1:${closed}`,
    INFERENCE_TIMESERIES_URL: `http://127.0.0.1:${closed}`,
    INFERENCE_CPU_URL: `http://127.0.0.1:${closed}`,
  };
  const made = spawnSync(tsx, ['src/cli/admin-create.ts', '--users-json-stdin'], {
    cwd: web,
    input: JSON.stringify([USER]),
    stdio: ['pipe', 'ignore', 'inherit'],
    env,
  });
  if (made.status !== 0) throw new Error(`admin-create failed (${made.status})`);
  const server = spawn(tsx, ['server.ts'], { cwd: web, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  let browser: Browser | null = null;
  try {
    await waitReady(base, 90_000);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
      ],
    });
    const ctx = await browser.newContext();
    await login(await ctx.newPage(), base);
    const storage = JSON.stringify(await ctx.storageState());
    await ctx.close();
    console.log(
      `production build of apps/web (${base}); Chromium ${browser.version()}; Node ${process.version}`,
    );

    const kb = (b: number) => (b / 1024).toFixed(1);
    const weights = routeWeights();
    const baseline = weights.find((w) => w.route === BASELINE);
    if (!baseline) throw new Error(`no ${BASELINE} route in the build output`);
    console.log(
      `\n${'page'.padEnd(30)} ${'files'.padStart(5)} ${'raw KB'.padStart(8)} ${'js gzip KB'.padStart(10)}  ratio to ${BASELINE}`,
    );
    for (const w of weights)
      console.log(
        `${w.route.padEnd(30)} ${String(w.files.length).padStart(5)} ${kb(w.raw).padStart(8)} ${kb(w.gzip).padStart(10)}  ${(w.gzip / baseline.gzip).toFixed(2)}${w.gzip / 1024 > AIM_KB ? `  over ${AIM_KB} KB` : ''}`,
      );
    const heaviest = weights.reduce((a, b) => (b.gzip > a.gzip ? b : a));
    const dash = weights.find((w) => w.route === '/')!;
    const seen = await browserScripts(browser, base, storage);
    const lcps: { ms: number; element: string }[] = [];
    for (let i = 0; i < 3; i++) lcps.push(await lcp(browser, base, storage));
    lcps.sort((a, b) => a.ms - b.ms);
    console.log(
      `\ndashboard in Chromium: ${seen.count} scripts, ${kb(seen.transfer)} KB received (${kb(seen.encoded)} KB bodies as sent by the server; build-output figure ${kb(dash.gzip)} KB gzip)`,
    );
    const extra = seen.names.filter((n) => !dash.files.includes(n));
    if (extra.length)
      console.log(
        `  loaded after start-up (not in First Load JS): ${extra.map((n) => `${n} ${kb(sizes(n).gzip)} KB gzip`).join(', ')}`,
      );
    console.log(
      `heaviest page: ${heaviest.route} ${kb(heaviest.gzip)} KB gzip (aim ≤ ${AIM_KB} KB); pages over the aim: ${weights.filter((w) => w.gzip / 1024 > AIM_KB).length}/${weights.length}`,
    );
    console.log(`ratio heaviest/${BASELINE}: ${(heaviest.gzip / baseline.gzip).toFixed(2)}`);
    console.log(
      `dashboard LCP ms: ${lcps[1]!.ms.toFixed(0)} (median of 3 cold loads: ${lcps.map((v) => `${v.ms.toFixed(0)} ${v.element}`).join(', ')})`,
    );
  } finally {
    await browser?.close();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
