/**
 * Self time of a V8 CPU profile (`node --cpu-prof`) by package and by function — to compare two profiles of
 * the same workload (e.g. bench/tracing.ts with BENCH_CPU_PROF=DIR: tracing off vs on).
 * Run: npx tsx bench/cpuprofile-summary.ts DIR/off/*.cpuprofile DIR/on/*.cpuprofile
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** `@scope/name` or `name` from a node_modules path; our own packages by workspace folder; else the url kind. */
function packageOf(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const ws = /\/(packages|apps|bench)\/([^/]+)/.exec(url);
  if (ws) return `${ws[1]}/${ws[2]}`;
  if (url.startsWith('node:')) return url;
  return url === '' ? '(native/VM)' : url;
}

function summarise(file: string, top: number, only: RegExp | null): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (const [i, id] of p.samples.entries()) self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)');
  const busy = total - idle.reduce((a, [, t]) => a + t, 0);
  const pkgs = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const pkg = packageOf(url);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + t);
    if (only && !only.test(pkg)) continue;
    const fn = `${functionName || '(anonymous)'} ${pkg}${url ? `:${lineNumber + 1}` : ''}`;
    fns.set(fn, (fns.get(fn) ?? 0) + t);
  }
  const pct = (t: number) => `${((t / busy) * 100).toFixed(1).padStart(5)} %`;
  console.log(`${file}: busy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s`);
  console.log('  by package:');
  for (const [k, t] of [...pkgs].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`    ${pct(t)}  ${k}`);
  console.log('  by function:');
  for (const [k, t] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`    ${pct(t)}  ${k}`);
}

// --top=N rows per list (25); --filter=REGEX lists only functions of matching packages
// (e.g. --filter='opentelemetry|async_hooks')
const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) {
  console.error(
    'usage: npx tsx bench/cpuprofile-summary.ts [--top=N] [--filter=REGEX] FILE.cpuprofile [...]',
  );
  process.exit(2);
}
const filter = flag('filter');
for (const f of files) summarise(f, Number(flag('top') ?? 25), filter ? new RegExp(filter) : null);
