import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Service, ConfigMap, Namespace } from 'kubernetes-models/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';

const DIR = path.resolve(import.meta.dirname, '..', '..', 'deploy', 'k8s');
type Doc = { kind: string; apiVersion: string; metadata: { name: string }; spec?: Record<string, unknown> } & Record<string, unknown>;
const docs: Doc[] = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
  .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(DIR, f), 'utf8')).map((d) => d.toJS() as Doc));

const MODELS: Record<string, new (o: never) => { validate(): void }> = {
  Deployment: Deployment as never,
  Service: Service as never,
  ConfigMap: ConfigMap as never,
  Namespace: Namespace as never,
  Ingress: Ingress as never,
  Job: Job as never,
  HorizontalPodAutoscaler: HorizontalPodAutoscaler as never,
};

describe('Kubernetes manifests', () => {
  it('every document validates against the Kubernetes API schema', () => {
    expect(docs.length).toBeGreaterThanOrEqual(9);
    for (const d of docs) {
      const Model = MODELS[d.kind];
      expect(Model, `no schema for ${d.kind}`).toBeDefined();
      expect(() => new Model!(d as never).validate(), `${d.kind}/${d.metadata.name}`).not.toThrow();
    }
  });

  it('selectors match pod labels, services point at named container ports, probes and resources are set', () => {
    const deployments = docs.filter((d) => d.kind === 'Deployment') as unknown as Deployment[];
    for (const dep of deployments) {
      const labels = dep.spec!.template.metadata!.labels!;
      for (const [k, v] of Object.entries(dep.spec!.selector.matchLabels!)) expect(labels[k]).toBe(v);
      for (const c of dep.spec!.template.spec!.containers) {
        expect(c.readinessProbe, `${dep.metadata!.name} readiness`).toBeDefined();
        expect(c.livenessProbe, `${dep.metadata!.name} liveness`).toBeDefined();
        expect(c.resources?.requests && c.resources?.limits).toBeTruthy();
        expect(c.securityContext?.allowPrivilegeEscalation).toBe(false);
      }
      expect(dep.spec!.template.spec!.securityContext?.runAsNonRoot).toBe(true);
    }
    for (const svc of docs.filter((d) => d.kind === 'Service') as unknown as Service[]) {
      const target = deployments.find((dep) => Object.entries(svc.spec!.selector!).every(([k, v]) => dep.spec!.template.metadata!.labels![k] === v));
      expect(target, `service ${svc.metadata!.name} selects a deployment`).toBeDefined();
      const portNames = target!.spec!.template.spec!.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name));
      for (const p of svc.spec!.ports!) expect(portNames).toContain(p.targetPort);
    }
  });

  it('migrations run as a Job, and no web or worker container runs them', () => {
    const job = docs.find((d) => d.kind === 'Job') as unknown as Job;
    expect(job.spec!.template.spec!.containers[0]!.command).toEqual(['npx', 'prisma', 'migrate', 'deploy']);
    for (const dep of docs.filter((d) => d.kind === 'Deployment') as unknown as Deployment[]) {
      for (const c of dep.spec!.template.spec!.containers) expect((c.command ?? []).join(' ')).not.toMatch(/migrate/);
    }
  });

  it('the worker scales on queue depth', () => {
    const hpa = docs.find((d) => d.kind === 'HorizontalPodAutoscaler' && d.metadata.name === 'lms-worker') as unknown as HorizontalPodAutoscaler;
    expect(hpa.spec!.metrics![0]!.external!.metric.name).toBe('lms_queue_depth');
  });
});
