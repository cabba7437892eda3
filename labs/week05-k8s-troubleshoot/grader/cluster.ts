/**
 * The staging cluster as the incident found it: what the learner's manifests meet when they are applied. The
 * instructions show the same facts as command output (kubectl get nodes/secrets, the registry's tag list, the
 * pipeline's push log); the grader needs them to play the manifests forward. Objects the manifests themselves
 * describe (the ConfigMap, the Deployments, the Services) are not here: their live versions are the starter's files,
 * in data/live/, which `kubectl apply -f` leaves in place when a manifest is refused or left out.
 */
import { parseQuantity, type Quantity } from '../../../grader-kit/k8s-quantity';

export const NAMESPACE = 'shop';
export const REGISTRY = 'registry.example.com';

export interface ImageRepo {
  /** Tags the pipeline pushed, and the digest of each. */
  tags: Record<string, string>;
  /** The tag this rollout ships: the release under way. */
  release: string;
}

/** registry.example.com (private: every pull needs credentials). */
export const IMAGES: Record<string, ImageRepo> = {
  'registry.example.com/shop/checkout': {
    release: '1.4.1',
    tags: {
      '1.3.2': 'sha256:2c5f0e8a9b1d4c7e6f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e',
      '1.4.0': 'sha256:7d4e1f0a2b3c5d6e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e',
      '1.4.1': 'sha256:91b3f6a8c2d4e7f0a1b5c9d3e6f2a8b4c0d7e1f5a9b3c6d0e4f8a2b5c9d3e7f1',
    },
  },
  'registry.example.com/shop/frontend': {
    release: '1.4.1',
    tags: {
      '1.3.2': 'sha256:0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b',
      '1.4.0': 'sha256:5e2d8c4b0a6f9e3d7c1b5a8f2e6d0c4b9a3f7e1d5c8b2a6f0e4d9c3b7a1f5e8d',
      '1.4.1': 'sha256:c4a7e2f9b1d6c3a8e5f0b7d2c9a4e1f6b3d8c5a0e7f2b9d4c1a6e3f8b5d0c7a2',
    },
  },
};

/** The port each image's program listens on, whatever the manifest declares. */
export const LISTENS: Record<string, number> = { 'registry.example.com/shop/checkout': 8080, 'registry.example.com/shop/frontend': 8080 };

/** HTTP paths each program answers with 2xx (probe paths). */
export const ANSWERS: Record<string, string[]> = {
  'registry.example.com/shop/checkout': ['/healthz', '/readyz', '/metrics'],
  'registry.example.com/shop/frontend': ['/', '/index.html'],
};

/** Secrets in namespace shop (created by hand, not in the manifests): type and keys. */
export const SECRETS: Record<string, { type: string; keys: string[]; registry?: string }> = {
  'shop-db': { type: 'Opaque', keys: ['password'] },
  regcred: { type: 'kubernetes.io/dockerconfigjson', keys: ['.dockerconfigjson'], registry: REGISTRY },
};

/** ServiceAccounts that exist in namespace shop before the manifests are applied, with their imagePullSecrets. */
export const SERVICE_ACCOUNTS: Record<string, string[]> = { default: [] };

export interface Node {
  name: string;
  labels: Record<string, string>;
  /** What is left for new pods: allocatable minus what the node already runs (system DaemonSets). */
  free: { cpu: Quantity; memory: Quantity };
}

const q = (s: string) => parseQuantity(s)!;
const zone = (z: string) => ({
  'kubernetes.io/os': 'linux',
  'kubernetes.io/arch': 'amd64',
  'node.kubernetes.io/instance-type': 'm7i.large',
  'topology.kubernetes.io/zone': z,
});

/** Three workers: allocatable cpu 1930m and memory 7135468Ki each, of which the DaemonSets hold 350m and 410Mi. */
export const NODES: Node[] = [
  {
    name: 'shop-staging-worker',
    labels: { 'kubernetes.io/hostname': 'shop-staging-worker', ...zone('zone-a') },
    free: { cpu: q('1580m'), memory: q('6715628Ki') },
  },
  {
    name: 'shop-staging-worker2',
    labels: { 'kubernetes.io/hostname': 'shop-staging-worker2', ...zone('zone-b') },
    free: { cpu: q('1580m'), memory: q('6715628Ki') },
  },
  {
    name: 'shop-staging-worker3',
    labels: { 'kubernetes.io/hostname': 'shop-staging-worker3', ...zone('zone-c') },
    free: { cpu: q('1580m'), memory: q('6715628Ki') },
  },
];

/** What checkout 1.4.1 reads at start-up: each setting it refuses to start without, and the value this cluster needs. */
export const CHECKOUT_SETTINGS: Record<string, string> = { DB_HOST: 'db', DB_NAME: 'shop', DB_USER: 'shop' };
