// deploy/kubernetes: every overlay renders with `kubectl kustomize`, every rendered object is valid
// against the Kubernetes API schema (kubernetes-models), and the properties a safe rollout depends
// on are in place: hardened pods, probes on /health and /readyz, a preStop pause with a termination
// grace period above the gateway's drain, measured resources, scrape annotations; for `ha` also
// Redis sessions, a PodDisruptionBudget, a CPU HorizontalPodAutoscaler and spreading.
import { before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IIoK8sApiCoreV1Container } from 'kubernetes-models/v1/Container';
import type { IIoK8sApiCoreV1PodSpec } from 'kubernetes-models/v1/PodSpec';
import { DEFAULTS } from '../../src/config/defaults.js';
import { parseDuration } from '../../src/config/duration.js';
import { ROOT } from '../helpers/gateway.js';

const run = promisify(execFile);
const KUSTOMIZE = join(ROOT, 'deploy/kubernetes');
const MODELS = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
} as const;
type Kind = keyof typeof MODELS;
type Instance<K extends Kind> = InstanceType<(typeof MODELS)[K]>;
type Manifest = { apiVersion: string; kind: string; metadata: { name: string } };

async function kustomize(dir: string): Promise<Manifest[]> {
  let stdout: string;
  try {
    ({ stdout } = await run('kubectl', ['kustomize', dir], { timeout: 60_000, maxBuffer: 16 << 20 }));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    assert.fail(
      'kubectl is not on PATH: these tests render the manifests with `kubectl kustomize`; install kubectl ≥ 1.27 (it bundles Kustomize 5)',
    );
  }
  return parseAllDocuments(stdout).map((doc) => doc.toJS() as Manifest);
}

class Rendered {
  constructor(readonly objects: readonly Manifest[]) {}
  all<K extends Kind>(kind: K): Instance<K>[] {
    const Model = MODELS[kind];
    return this.objects.filter((o) => `${o.apiVersion}/${o.kind}` === kind).map((o) => new Model(o as never) as Instance<K>);
  }
  one<K extends Kind>(kind: K, name: string): Instance<K> {
    const found = this.all(kind).find((o) => o.metadata?.name === name || o.metadata?.name?.startsWith(`${name}-`));
    assert.ok(found, `no ${kind} named ${name}`);
    return found;
  }
  /** The gateway's config file, as the ConfigMap carries it. */
  config(): { text: string; parsed: Record<string, unknown> } {
    const text = this.one('v1/ConfigMap', 'vmcp-config').data?.['vmcp.yaml'];
    assert.ok(text, 'the ConfigMap has vmcp.yaml');
    return { text, parsed: parse(text) as Record<string, unknown> };
  }
}

function podSpec(deployment: Deployment): IIoK8sApiCoreV1PodSpec {
  const spec = deployment.spec?.template.spec;
  assert.ok(spec, `${deployment.metadata?.name} has a pod spec`);
  return spec;
}

function gateway(rendered: Rendered): { pod: IIoK8sApiCoreV1PodSpec; container: IIoK8sApiCoreV1Container; deployment: Deployment } {
  const deployment = rendered.one('apps/v1/Deployment', 'vmcp');
  const pod = podSpec(deployment);
  const container = pod.containers.find((c) => c.name === 'vmcp');
  assert.ok(container, 'a container named vmcp');
  return { pod, container, deployment };
}

async function validateWithCli(text: string): Promise<{ code: number; output: string }> {
  const file = join(mkdtempSync(join(tmpdir(), 'vmcp-k8s-')), 'vmcp.yaml');
  writeFileSync(file, text);
  const cli = run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/run.ts'), 'validate', file], { cwd: ROOT, timeout: 60_000 });
  return cli.then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
  );
}

test('the overlays are single and ha', () => {
  assert.deepEqual(readdirSync(join(KUSTOMIZE, 'overlays')).sort(), ['ha', 'single']);
});

function schemaValid(rendered: Rendered): void {
  for (const object of rendered.objects) {
    const kind = `${object.apiVersion}/${object.kind}`;
    assert.ok(kind in MODELS, `unexpected ${kind} ${object.metadata.name}`);
    const Model = MODELS[kind as Kind];
    assert.doesNotThrow(() => new Model(object as never).validate(), `${kind} ${object.metadata.name}`);
  }
}

function hardened(rendered: Rendered): void {
  for (const deployment of rendered.all('apps/v1/Deployment')) {
    const pod = podSpec(deployment);
    const name = deployment.metadata?.name;
    assert.equal(pod.securityContext?.runAsNonRoot, true, `${name}: runAsNonRoot`);
    assert.equal(pod.securityContext?.seccompProfile?.type, 'RuntimeDefault', `${name}: seccomp`);
    assert.equal(pod.automountServiceAccountToken, false, `${name}: no API token`);
    for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
      assert.equal(c.securityContext?.readOnlyRootFilesystem, true, `${name}/${c.name}: readOnlyRootFilesystem`);
      assert.equal(c.securityContext?.allowPrivilegeEscalation, false, `${name}/${c.name}: allowPrivilegeEscalation`);
      assert.deepEqual(c.securityContext?.capabilities?.drop, ['ALL'], `${name}/${c.name}: drop ALL`);
      assert.ok(c.resources?.requests?.cpu && c.resources.requests.memory && c.resources.limits?.memory, `${name}/${c.name}: resources`);
    }
  }
}

function probesAndDrain(rendered: Rendered): void {
  const { pod, container } = gateway(rendered);
  assert.equal(container.livenessProbe?.httpGet?.path, '/health');
  assert.equal(container.readinessProbe?.httpGet?.path, '/readyz');
  assert.equal(container.startupProbe?.httpGet?.path, '/health');
  for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
    assert.ok(
      container.ports?.some((p) => p.name === probe?.httpGet?.port && p.containerPort === 4483),
      'probes use the http port',
    );
  }
  const pause = container.lifecycle?.preStop?.sleep?.seconds;
  assert.ok(pause !== undefined && pause > 0, 'preStop sleeps so endpoints drop the pod before SIGTERM');
  const server = rendered.config().parsed.server as { shutdownGracePeriod?: string } | undefined;
  const drainMs = parseDuration(server?.shutdownGracePeriod ?? DEFAULTS.shutdownGracePeriod);
  const budget = (pod.terminationGracePeriodSeconds ?? 30) * 1000;
  assert.ok(budget > pause * 1000 + drainMs, `terminationGracePeriodSeconds (${budget}ms) > preStop (${pause}s) + drain (${drainMs}ms)`);
}

function configAndSecrets(r: Rendered): void {
  const { pod, container } = gateway(r);
  assert.deepEqual(container.args, ['serve', '--config', '/etc/vmcp/vmcp.yaml', '--host', '0.0.0.0']);
  const mounts = new Map(container.volumeMounts?.map((m) => [m.mountPath, m.name]));
  const volumes = new Map(pod.volumes?.map((v) => [v.name, v]));
  assert.equal(volumes.get(mounts.get('/etc/vmcp') ?? '')?.configMap?.name, r.one('v1/ConfigMap', 'vmcp-config').metadata?.name);
  assert.ok(volumes.get(mounts.get('/tmp') ?? '')?.emptyDir, '/tmp is an emptyDir');
  assert.deepEqual(container.envFrom, [{ secretRef: { name: 'vmcp-secrets', optional: true } }]);
  assert.equal(pod.enableServiceLinks, false, 'no service-link variables shadow ${VAR}s');
  assert.equal(pod.serviceAccountName, r.one('v1/ServiceAccount', 'vmcp').metadata?.name);
}

function scrapeAndService(r: Rendered): void {
  const { deployment } = gateway(r);
  const template = deployment.spec?.template.metadata;
  assert.deepEqual(
    ['prometheus.io/scrape', 'prometheus.io/port', 'prometheus.io/path'].map((k) => template?.annotations?.[k]),
    ['true', '4483', '/metrics'],
  );
  const service = r.one('v1/Service', 'vmcp');
  for (const [key, value] of Object.entries(service.spec?.selector ?? {})) assert.equal(template?.labels?.[key], value);
  assert.deepEqual(
    service.spec?.ports?.map((p) => [p.port, p.targetPort]),
    [[4483, 'http']],
  );
}

const COMMON_CHECKS: readonly [string, (rendered: Rendered) => void][] = [
  ['every rendered object is a kind we check, and valid against the Kubernetes API schema', schemaValid],
  ['every pod runs non-root with a read-only root filesystem, no capabilities and the default seccomp profile', hardened],
  ['the gateway is probed on /health and /readyz and drains before the kubelet kills it', probesAndDrain],
  ['the gateway reads its config from the ConfigMap, writes only to an emptyDir /tmp, and takes secrets from a Secret', configAndSecrets],
  ['Prometheus scrape annotations and a Service that selects the gateway pods', scrapeAndService],
];

function commonChecks(rendered: () => Rendered): void {
  for (const [title, check] of COMMON_CHECKS) it(title, () => check(rendered()));
}

describe('kubernetes overlay: single', () => {
  let rendered: Rendered;
  before(async () => void (rendered = new Rendered(await kustomize(join(KUSTOMIZE, 'overlays/single')))));
  commonChecks(() => rendered);

  it('runs one replica with sessions in memory: no Redis, PDB or HPA', () => {
    assert.equal(gateway(rendered).deployment.spec?.replicas, 1);
    assert.deepEqual(
      rendered.objects.map((o) => o.kind),
      ['ServiceAccount', 'ConfigMap', 'Service', 'Deployment'],
    );
    assert.equal(rendered.config().parsed.sessionStorage, undefined);
  });

  it('its config passes `vmcp validate`', async () => {
    const { code, output } = await validateWithCli(rendered.config().text);
    assert.equal(code, 0, output);
  });
});

describe('kubernetes overlay: ha', () => {
  let rendered: Rendered;
  before(async () => void (rendered = new Rendered(await kustomize(join(KUSTOMIZE, 'overlays/ha')))));
  commonChecks(() => rendered);

  it('runs three replicas spread over nodes and zones, with a PDB and a CPU HPA', () => {
    const { deployment, pod } = gateway(rendered);
    const labels = deployment.spec?.selector.matchLabels;
    assert.equal(deployment.spec?.replicas, 3);
    const anti = pod.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0]?.podAffinityTerm;
    assert.equal(anti?.topologyKey, 'kubernetes.io/hostname');
    assert.deepEqual(anti?.labelSelector?.matchLabels, labels);
    const spread = pod.topologySpreadConstraints ?? [];
    assert.deepEqual(spread.map((s) => s.topologyKey).sort(), ['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    for (const s of spread) assert.deepEqual(s.labelSelector?.matchLabels, labels);

    const pdb = rendered.one('policy/v1/PodDisruptionBudget', 'vmcp');
    assert.deepEqual(pdb.spec?.selector?.matchLabels, labels);
    assert.equal(pdb.spec?.maxUnavailable, 1);
    const hpa = rendered.one('autoscaling/v2/HorizontalPodAutoscaler', 'vmcp');
    assert.deepEqual(hpa.spec?.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'vmcp' });
    assert.equal(hpa.spec?.minReplicas, 3);
    assert.ok((hpa.spec?.maxReplicas ?? 0) > 3);
    assert.equal(hpa.spec?.metrics?.[0]?.resource?.name, 'cpu');
    assert.equal(hpa.spec?.metrics?.[0]?.resource?.target.type, 'Utilization');
  });

  it('keeps sessions in Redis, password from the Secret vmcp-redis on both sides', () => {
    assert.deepEqual(rendered.config().parsed.sessionStorage, { provider: 'redis', address: 'redis:6379', keyPrefix: 'thv:vmcp:session:' });
    assert.deepEqual(
      rendered.one('v1/Service', 'redis').spec?.ports?.map((p) => p.port),
      [6379],
    );
    const { container } = gateway(rendered);
    const password = container.env?.find((e) => e.name === 'THV_SESSION_REDIS_PASSWORD');
    assert.deepEqual(password?.valueFrom?.secretKeyRef, { name: 'vmcp-redis', key: 'password' });
    const redis = podSpec(rendered.one('apps/v1/Deployment', 'redis')).containers[0];
    assert.deepEqual(redis?.env?.find((e) => e.name === 'REDIS_PASSWORD')?.valueFrom?.secretKeyRef, {
      name: 'vmcp-redis',
      key: 'password',
    });
    assert.ok(!JSON.stringify(rendered.objects).includes('"kind":"Secret"'), 'no Secret is shipped: it is created out of band');
    const policy = rendered.one('networking.k8s.io/v1/NetworkPolicy', 'redis');
    assert.deepEqual(policy.spec?.ingress?.[0]?.from?.[0]?.podSelector?.matchLabels, { 'app.kubernetes.io/name': 'vmcp' });
  });

  it('its config is the base config plus sessionStorage', () => {
    const base = parse(readFileSync(join(KUSTOMIZE, 'base/vmcp.yaml'), 'utf8')) as Record<string, unknown>;
    const { sessionStorage, ...rest } = rendered.config().parsed;
    assert.ok(sessionStorage);
    assert.deepEqual(rest, base);
  });

  it('its config passes `vmcp validate`', async () => {
    const { code, output } = await validateWithCli(rendered.config().text);
    assert.equal(code, 0, output);
  });
});
