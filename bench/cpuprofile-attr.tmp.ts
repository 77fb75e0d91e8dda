import { readFileSync } from 'node:fs';
interface N { id: number; callFrame: { functionName: string; url: string }; children?: number[] }
interface P { nodes: N[]; samples: number[]; timeDeltas: number[] }
function pkg(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) { const r = url.slice(nm + 13).split('/'); return r[0]!.startsWith('@') ? `${r[0]}/${r[1]}` : r[0]!; }
  const ws = /\/(packages|apps|bench)\/([^/]+)/.exec(url); if (ws) return `${ws[1]}/${ws[2]}`;
  if (url.startsWith('node:')) return url; return url === '' ? '(native/VM)' : url;
}
const APP = /^(@trpc\/server|zod)$/;
for (const f of process.argv.slice(2)) {
  const p = JSON.parse(readFileSync(f, 'utf8')) as P;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  // start after the first app sample + 3 s (warm-up)
  let t = 0; let start = -1;
  const times: number[] = [];
  for (const [i, id] of p.samples.entries()) { t += p.timeDeltas[i] ?? 0; times.push(t);
    if (start < 0 && APP.test(pkg(byId.get(id)!.callFrame.url))) start = t + 3e6; }
  const self = new Map<string, number>(); let busy = 0; let app = 0;
  for (const [i, id] of p.samples.entries()) {
    if (times[i]! < start) continue;
    const n = byId.get(id)!; if (n.callFrame.functionName === '(idle)') continue;
    const d = p.timeDeltas[i + 1] ?? 0; const k = pkg(n.callFrame.url) + (n.callFrame.url ? '' : ` ${n.callFrame.functionName}`);
    self.set(k, (self.get(k) ?? 0) + d); busy += d; if (APP.test(pkg(n.callFrame.url))) app += d;
  }
  console.log(`${f.split('/').slice(-2, -1)[0]}: busy/app ${(busy / app).toFixed(3)}  (busy ${(busy / 1e6).toFixed(1)} s)`);
  const otel = [...self].filter(([k]) => /opentelemetry|async_hooks|forwarded/.test(k)).reduce((a, [, v]) => a + v, 0);
  console.log(`   otel+async_hooks/app ${(otel / app).toFixed(3)}`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`   ${(v / app).toFixed(3)} ${k}`);
}
