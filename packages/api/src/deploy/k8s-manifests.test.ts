import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as coreV1 from 'kubernetes-models/v1';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

// deploy/k8s: the kustomize base and the GPU overlay are rendered by the real kustomize (`kustomize build`, or
// the one built into `kubectl kustomize`; offline, no cluster), and every rendered object is validated against
// the Kubernetes 1.27 OpenAPI schemas compiled into the `kubernetes-models` package (types, required fields,
// enums, formats). Those validators, like kubeconform without -strict, accept unknown fields, so the wiring
// that a typo would break is checked here by hand: selectors, ports, probes, HPA/PDB targets, Secret keys,
// ConfigMap keys against .env.example, the inference Host allow-list against the URLs the web calls.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const k8s = path.join(root, 'deploy/k8s');

// biome-ignore lint/suspicious/noExplicitAny: rendered YAML, checked by the schemas and the tests below
type Loose = any;
type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [k: string]: Loose;
};

const MODELS: Record<string, { new (data: Loose): { validate(): void } }> = {
  'v1/Namespace': coreV1.Namespace,
  'v1/ConfigMap': coreV1.ConfigMap,
  'v1/Secret': coreV1.Secret,
  'v1/Service': coreV1.Service,
  'v1/PersistentVolumeClaim': coreV1.PersistentVolumeClaim,
  'apps/v1/Deployment': appsV1.Deployment,
  'batch/v1/Job': batchV1.Job,
  'autoscaling/v2/HorizontalPodAutoscaler': autoscalingV2.HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': policyV1.PodDisruptionBudget,
};

/** Throws with every schema violation of one object, or when no schema is known for its kind. */
function validateObject(o: Obj): void {
  const Model = MODELS[`${o.apiVersion}/${o.kind}`];
  if (!Model) throw new Error(`${o.kind}/${o.metadata?.name}: no schema for ${o.apiVersion} ${o.kind}`);
  try {
    new Model(o).validate();
  } catch (err) {
    throw new Error(`${o.kind}/${o.metadata.name}: ${(err as Error).message}`);
  }
}

function findRenderer(): { cmd: string; args: string[] } | null {
  const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  if (ok('kustomize', ['version'])) return { cmd: 'kustomize', args: ['build'] };
  if (ok('kubectl', ['kustomize', '--help'])) return { cmd: 'kubectl', args: ['kustomize'] };
  return null;
}

function render(dir: string): Obj[] {
  const r = renderer as NonNullable<typeof renderer>;
  const text = execFileSync(r.cmd, [...r.args, path.join(k8s, dir)], { encoding: 'utf8', stdio: 'pipe' });
  return parseAllDocuments(text).map((d) => d.toJS() as Obj);
}

const renderer = findRenderer();
if (!renderer)
  console.warn(
    'deploy/k8s: neither `kustomize` nor `kubectl` is on PATH, so the rendered base and GPU overlay are not checked (only the base files one by one)',
  );

const byKind = (objs: Obj[], kind: string) => objs.filter((o) => o.kind === kind);
const named = (objs: Obj[], kind: string, name: string) => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind}/${name} not rendered`);
  return o;
};
const podSpec = (o: Obj) => o.spec.template.spec;
const container = (o: Obj) => podSpec(o).containers[0];
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const envKeys = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(l)?.[1])
    .filter((k): k is string => k !== undefined);

describe('deploy/k8s base files, each validated on its own (no renderer needed)', () => {
  it('every resource listed in the kustomization is a valid Kubernetes object', () => {
    const kustomization = parse(readFileSync(path.join(k8s, 'base/kustomization.yaml'), 'utf8'));
    const objs = (kustomization.resources as string[]).flatMap((f) =>
      parseAllDocuments(readFileSync(path.join(k8s, 'base', f), 'utf8')).map((d) => d.toJS() as Obj),
    );
    expect(objs.length).toBeGreaterThan(15);
    for (const o of objs) validateObject(o);
  });

  it('the validator rejects a wrong type and a missing required field (the check can fail)', () => {
    const web = parseAllDocuments(readFileSync(path.join(k8s, 'base/web.yaml'), 'utf8'))[0]?.toJS() as Obj;
    const badPort = structuredClone(web);
    container(badPort).ports[0].containerPort = '3000';
    expect(() => validateObject(badPort)).toThrow(/containerPort must be integer/);
    const noSelector = structuredClone(web);
    delete noSelector.spec.selector;
    expect(() => validateObject(noSelector)).toThrow(/selector/);
    expect(() => validateObject({ ...web, apiVersion: 'apps/v1beta9' })).toThrow(/no schema/);
  });
});

describe.skipIf(!renderer)('deploy/k8s base, rendered by kustomize', () => {
  let objs: Obj[] = [];
  beforeAll(() => {
    objs = render('base');
  });

  it('renders valid objects of the expected kinds, all in the investiq namespace', () => {
    for (const o of objs) validateObject(o);
    const kinds = new Set(objs.map((o) => o.kind));
    for (const k of [
      'Deployment',
      'Service',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'Job',
      'ConfigMap',
    ])
      expect(kinds, k).toContain(k);
    for (const o of objs.filter((x) => x.kind !== 'Namespace'))
      expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe('investiq');
    expect(byKind(objs, 'Deployment').map((d) => d.metadata.name)).toEqual(
      expect.arrayContaining([
        'investiq-web',
        'investiq-collector',
        'investiq-llm-proxy',
        'investiq-sentiment',
        'investiq-timeseries',
        'investiq-cpu-timeseries',
      ]),
    );
  });

  it('web: several replicas, probes on /api/health, HPA and PDB, no collector inside', () => {
    const web = named(objs, 'Deployment', 'investiq-web');
    expect(web.spec.replicas).toBeGreaterThanOrEqual(2);
    const c = container(web);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(c[probe]?.httpGet?.path, probe).toBe('/api/health');
      expect(c.ports.map((p: { name: string }) => p.name)).toContain(c[probe].httpGet.port);
    }
    expect(c.env).toContainEqual({ name: 'COLLECTOR_MODE', value: 'off' });
    const hpa = named(objs, 'HorizontalPodAutoscaler', 'investiq-web');
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
    const pdb = named(objs, 'PodDisruptionBudget', 'investiq-web');
    expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
  });

  it('inference: one Deployment per service, /health probes, ports matching their *_PORT variable', () => {
    const ports = { 'llm-proxy': 8001, sentiment: 8002, timeseries: 8003, 'cpu-timeseries': 8004 };
    for (const [svc, port] of Object.entries(ports)) {
      const d = named(objs, 'Deployment', `investiq-${svc}`);
      const c = container(d);
      expect(c.image).toMatch(/^investiq\/inference:[\w.-]+$/);
      expect(c.ports[0].containerPort).toBe(port);
      expect(c.env.find((e: { name: string }) => e.name.endsWith('_PORT'))?.value).toBe(String(port));
      expect(c.readinessProbe.httpGet.path).toBe('/health');
      expect(c.livenessProbe.httpGet.path).toBe('/health');
      expect(
        c.env.find((e: { name: string }) => e.name === 'INFERENCE_TOKEN')?.valueFrom?.secretKeyRef,
      ).toBeTruthy();
      expect(JSON.stringify(c.resources)).not.toContain('nvidia.com/gpu');
    }
  });

  it('collector: its own Deployment running the collector CLI with metrics; migrations run as a Job', () => {
    const col = named(objs, 'Deployment', 'investiq-collector');
    expect(container(col).command).toEqual(['npx', '--no-install', 'tsx', 'src/cli/collector.ts']);
    expect(container(col).env).toContainEqual({ name: 'COLLECTOR_METRICS_HOST', value: '0.0.0.0' });
    expect(container(col).livenessProbe.exec.command.join(' ')).toContain("s.role==='standby'");
    named(objs, 'PodDisruptionBudget', 'investiq-collector');
    const job = named(objs, 'Job', 'investiq-migrate');
    expect(container(job).command).toEqual(['npx', '--no-install', 'tsx', 'src/cli/migrate.ts']);
    expect(podSpec(job).restartPolicy).toBe('OnFailure');
  });

  it('every Service selects pods and targets a named container port; every HPA and PDB a Deployment', () => {
    const deployments = byKind(objs, 'Deployment');
    for (const svc of byKind(objs, 'Service')) {
      const pods = deployments.filter((d) => matches(svc.spec.selector, d.spec.template.metadata.labels));
      expect(pods.length, `Service ${svc.metadata.name} selects nothing`).toBe(1);
      const portNames = container(pods[0] as Obj).ports.map((p: { name: string }) => p.name);
      for (const p of svc.spec.ports) expect(portNames, svc.metadata.name).toContain(p.targetPort);
    }
    for (const hpa of byKind(objs, 'HorizontalPodAutoscaler'))
      named(objs, hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name);
    for (const d of deployments) {
      expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels), d.metadata.name).toBe(
        true,
      );
      const pdbs = byKind(objs, 'PodDisruptionBudget').filter((p) =>
        matches(p.spec.selector.matchLabels, d.spec.template.metadata.labels),
      );
      expect(pdbs.length, `${d.metadata.name} has no PodDisruptionBudget`).toBe(1);
    }
  });

  it('environment: Secret keys are documented, ConfigMap keys are real variables, URLs match Services', () => {
    const secretKeys = new Set(envKeys(path.join(k8s, 'secrets.env.example')));
    const documented = new Set([...envKeys(path.join(root, '.env.example'))]);
    const configMaps = byKind(objs, 'ConfigMap');
    for (const workload of [...byKind(objs, 'Deployment'), ...byKind(objs, 'Job')]) {
      const c = container(workload);
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) {
          expect(ref.name).toBe('investiq-secrets');
          expect(secretKeys, `${workload.metadata.name}: ${ref.key}`).toContain(ref.key);
        }
        expect(documented, `${workload.metadata.name}: ${e.name}`).toContain(e.name);
      }
      for (const from of c.envFrom ?? [])
        expect(configMaps.map((m) => m.metadata.name)).toContain(from.configMapRef.name);
    }
    for (const m of configMaps)
      for (const key of Object.keys(m.data)) expect(documented, `${m.metadata.name}: ${key}`).toContain(key);

    const web = configMaps.find((m) => m.metadata.name.startsWith('investiq-web-config'))?.data ?? {};
    const inference =
      configMaps.find((m) => m.metadata.name.startsWith('investiq-inference-config'))?.data ?? {};
    const allowed = String(inference.INFERENCE_ALLOWED_HOSTS).split(',');
    for (const key of [
      'INFERENCE_LLM_URL',
      'INFERENCE_SENTIMENT_URL',
      'INFERENCE_TIMESERIES_URL',
      'INFERENCE_CPU_URL',
    ]) {
      const url = new URL(web[key]);
      const svc = named(objs, 'Service', url.hostname);
      expect(
        svc.spec.ports.map((p: { port: number }) => p.port),
        key,
      ).toContain(Number(url.port));
      expect(allowed, `${url.hostname} missing from INFERENCE_ALLOWED_HOSTS`).toContain(url.hostname);
    }
  });
});

describe.skipIf(!renderer)('deploy/k8s GPU overlay, rendered by kustomize', () => {
  let objs: Obj[] = [];
  beforeAll(() => {
    objs = render('overlays/gpu');
  });

  it('renders valid objects', () => {
    for (const o of objs) validateObject(o);
  });

  it('puts sentiment, timeseries and the llama.cpp server on GPU nodes, and nothing else', () => {
    const gpu = ['investiq-sentiment', 'investiq-timeseries', 'investiq-llm-server'];
    for (const d of byKind(objs, 'Deployment')) {
      const spec = podSpec(d);
      const c = container(d);
      if (gpu.includes(d.metadata.name)) {
        expect(spec.nodeSelector, d.metadata.name).toEqual({ 'nvidia.com/gpu.present': 'true' });
        expect(spec.tolerations, d.metadata.name).toContainEqual({
          key: 'nvidia.com/gpu',
          operator: 'Exists',
          effect: 'NoSchedule',
        });
        expect(c.resources.limits['nvidia.com/gpu'], d.metadata.name).toBe(1);
      } else {
        expect(spec.nodeSelector, d.metadata.name).toBeUndefined();
        expect(JSON.stringify(c.resources ?? {}), d.metadata.name).not.toContain('nvidia.com/gpu');
      }
    }
    for (const name of ['investiq-sentiment', 'investiq-timeseries']) {
      const c = container(named(objs, 'Deployment', name));
      expect(c.image).toMatch(/^investiq\/inference-gpu:[\w.-]+$/);
      expect(c.env).toContainEqual({ name: 'ORT_EXECUTION_PROVIDER', value: 'cuda' });
      // the patch adds to the base's env, it does not replace it
      expect(c.env.map((e: { name: string }) => e.name)).toEqual(
        expect.arrayContaining(['SERVICE', 'INFERENCE_TOKEN']),
      );
    }
    expect(container(named(objs, 'Deployment', 'investiq-cpu-timeseries')).image).toMatch(
      /^investiq\/inference:[\w.-]+$/,
    );
  });

  it('points the LLM proxy at the in-cluster llama.cpp server', () => {
    const cm = byKind(objs, 'ConfigMap').find((m) => m.metadata.name.startsWith('investiq-inference-config'));
    const url = new URL(cm?.data.LLM_UPSTREAM_URL);
    const svc = named(objs, 'Service', url.hostname);
    expect(svc.spec.ports[0].port).toBe(Number(url.port));
    named(objs, 'PersistentVolumeClaim', 'investiq-llm-models');
  });
});
