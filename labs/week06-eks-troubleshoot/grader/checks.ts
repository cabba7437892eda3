/**
 * Week 6 troubleshooting grader: the shop's EKS cluster config (cluster.yaml, an eksctl ClusterConfig) and the
 * storefront's load-balanced Service (k8s/frontend-service.yaml), which together failed four ways: nodes that never
 * joined, checkout denied by S3, a deploy role locked out, a load balancer that never got an address. Read statically
 * as week 6's build lab reads a ClusterConfig (the kit's eksctl-config.ts, eksctl-schema.ts, iam-policy.ts; the
 * Service with the kit's Kubernetes validation) and played forward against the account (aws.ts): route tables and
 * subnet tags, the node image eksctl would pick, which role a pod ends up with, what an access entry lets the deploy
 * job do, and how the AWS Load Balancer Controller (3.x) chooses subnets.
 *
 * One check per fault, the schema, and rest-intact: what the working configuration had (private nodes, a public and
 * private API endpoint the deploy job and the nodes use, logging, add-ons, the admin's access, the controller's
 * identity, the node group's size, the Service's ports and scheme) is still there, so a "fix" that opens the nodes
 * to the internet or renames the cluster to match a stray tag fails.
 */
import {
  fail,
  msg as m,
  NotGradable,
  partial,
  pass,
  reporter,
  type CheckVerdict,
  type GradeContext,
  type GraderVerdict,
  type Msg,
  type Submission,
} from '../../../grader-kit/index';
import { Config, loadClusterConfig, say, schemaFindings, type Finding } from '../../../grader-kit/eksctl-config';
import { actionMatches, broadManagedPolicy, judgePolicyDocument } from '../../../grader-kit/iam-policy';
import { labelsAt, objectsOf, type K8sObject } from '../../../grader-kit/k8s-objects';
import { validateObject } from '../../../grader-kit/k8s-schema';
import { get, isObj, parseYamlFile, type Json, type Obj, type PathPart } from '../../../grader-kit/yamldocs';
import { ACCESS_POLICY, ACCOUNT, CHECKOUT, CLUSTER, LINUX_FAMILIES, REGION, ROLES, SUBNETS, subnetById, subnetByName, VPC_ID, type Subnet } from './aws';

export const CLUSTER_FILE = 'cluster.yaml';
export const SERVICE_FILE = 'k8s/frontend-service.yaml';
export const CHECK_IDS = ['schema', 'node-image', 'nodes-join', 'pod-identity', 'access-entry', 'load-balancer', 'rest-intact'] as const;

const LBC_CLASS = 'service.k8s.aws/nlb';
const A = 'service.beta.kubernetes.io/';
type B = { ko: string; en: string };
const F = (path: PathPart[], en: string, ko: string): Finding => ({ path, en, ko });

// ---------------------------------------------------------------------------------------------------------------
// Loading

export interface Model {
  c: Config;
  clusterProblems: Finding[];
  /** The Service frontend in namespace shop, when the files have one kubectl accepts. */
  svc: K8sObject | null;
  k8sProblems: Msg[];
}

export function load(sub: Submission): Model {
  for (const f of [CLUSTER_FILE, SERVICE_FILE]) if (!sub.has(f)) throw new NotGradable(m(`${f} 파일이 없습니다.`, `${f} is missing.`));
  const c = loadClusterConfig(sub, CLUSTER_FILE);
  const clusterProblems = schemaFindings(c, ['1.35']);
  const docs = sub
    .paths()
    .filter((p) => p.startsWith('k8s/') && /\.ya?ml$/.test(p))
    .flatMap((f) => parseYamlFile(sub, f));
  if (!docs.some((d) => d.file === SERVICE_FILE)) throw new NotGradable(m(`${SERVICE_FILE}가 비어 있습니다.`, `${SERVICE_FILE} is empty.`));
  const { objects, strays } = objectsOf(docs);
  const k8sProblems: Msg[] = [];
  let svc: K8sObject | null = null;
  for (const o of objects) {
    const problems = validateObject(o.value);
    if (problems.length) {
      k8sProblems.push(m(`${o.where(problems[0]!.path)}: ${problems[0]!.ko}`, `${o.where(problems[0]!.path)}: ${problems[0]!.en}`));
      continue;
    }
    const ns = o.get(['metadata', 'namespace']);
    if (o.kind === 'Service' && o.name === 'frontend' && (ns === 'shop' || ns === undefined)) {
      if (ns === undefined)
        k8sProblems.push(
          m(
            `${o.where(['metadata'])}: 네임스페이스가 없어 default에 만들어집니다. 쇼핑몰은 shop에 있습니다`,
            `${o.where(['metadata'])}: no namespace, so it lands in default; the shop lives in shop`,
          ),
        );
      else svc = o;
    }
  }
  for (const d of strays) k8sProblems.push(m(`${d.file}:${d.line()}: 쿠버네티스 오브젝트가 아닙니다`, `${d.file}:${d.line()}: not a Kubernetes object`));
  return { c, clusterProblems, svc, k8sProblems };
}

const refusedNote = (md: Model): B | null =>
  md.clusterProblems.length
    ? m(
        `eksctl이 ${CLUSTER_FILE}을 거부하므로(schema 항목 참고) 아무것도 만들어지지 않습니다.`,
        `eksctl refuses ${CLUSTER_FILE} (see the schema check), so none of it is created.`,
      )
    : null;
const joinB = (xs: B[]): Msg =>
  m(xs.map((x) => (/[.!?]$/.test(x.ko) ? x.ko : `${x.ko}.`)).join(' '), xs.map((x) => (/[.!?]$/.test(x.en) ? x.en : `${x.en}.`)).join(' '));
const asB = (c: Config, f: Finding[]): B => {
  const s = say(c, f);
  return typeof s === 'string' ? { ko: s, en: s } : s;
};
const part = (ok: boolean, message: Msg) => ({ ok, message: ok ? '' : message });

// ---------------------------------------------------------------------------------------------------------------
// schema

function checkSchema(md: Model): CheckVerdict {
  return partial('schema', 2, [
    part(md.clusterProblems.length === 0, say(md.c, md.clusterProblems)),
    part(md.k8sProblems.length === 0, joinB(md.k8sProblems.map((x) => (typeof x === 'string' ? { ko: x, en: x } : x)).slice(0, 3))),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// node-image and nodes-join: eksctl can build the node group's nodes, and its subnets have a way out.

interface SubnetSpec {
  key: string;
  spec: Obj;
  path: PathPart[];
}

function subnetSpecs(c: Config, kind: 'private' | 'public'): SubnetSpec[] {
  const mp = c.get(['vpc', 'subnets', kind]);
  return isObj(mp) ? Object.entries(mp).map(([key, spec]) => ({ key, spec: isObj(spec) ? spec : {}, path: ['vpc', 'subnets', kind, key] })) : [];
}

/** The VPC subnet a spec names (by id, else by cidr), with what is wrong with the spec itself. */
function resolveSpec(s: SubnetSpec): { subnet: Subnet | null; problem: { en: string; ko: string } | null } {
  const id = typeof s.spec.id === 'string' ? s.spec.id : null;
  const cidr = typeof s.spec.cidr === 'string' ? s.spec.cidr : null;
  const byId = id ? subnetById(id) : undefined;
  const byCidr = cidr ? SUBNETS.find((x) => x.cidr === cidr) : undefined;
  if (id && !byId) return { subnet: null, problem: { en: `there is no subnet ${id} in ${VPC_ID}`, ko: `${VPC_ID}에 서브넷 ${id}가 없습니다` } };
  if (byId && cidr && byId.cidr !== cidr)
    return {
      subnet: byId,
      problem: {
        en: `${id} is ${byId.cidr} (${byId.name}), not ${cidr}: eksctl refuses a subnet whose cidr does not match its id`,
        ko: `${id}의 대역은 ${cidr}가 아니라 ${byId.cidr}(${byId.name})입니다. id와 cidr가 맞지 않으면 eksctl이 거부합니다`,
      },
    };
  const subnet = byId ?? byCidr ?? null;
  if (!subnet)
    return {
      subnet: null,
      problem: { en: `no subnet of ${VPC_ID} matches ${JSON.stringify(s.spec)}`, ko: `${VPC_ID}에 ${JSON.stringify(s.spec)}와 맞는 서브넷이 없습니다` },
    };
  const az = typeof s.spec.az === 'string' ? s.spec.az : /^[a-z]{2}-[a-z]+-\d[a-z]$/.test(s.key) ? s.key : null;
  if (az && az !== subnet.az)
    return { subnet, problem: { en: `${subnet.id} is in ${subnet.az}, not ${az}`, ko: `${subnet.id}는 ${az}가 아니라 ${subnet.az}에 있습니다` } };
  return { subnet, problem: null };
}

interface Group {
  g: Obj;
  base: PathPart[];
  name: string;
}

function groups(c: Config): Group[] {
  return (['managedNodeGroups', 'nodeGroups'] as const).flatMap((kind) => {
    const list = c.get([kind]);
    return Array.isArray(list)
      ? list.flatMap((g, i) => (isObj(g) ? [{ g, base: [kind, i] as PathPart[], name: typeof g.name === 'string' ? g.name : `#${i}` }] : []))
      : [];
  });
}

/** Where a node group's nodes go: the subnets it names, else every private (or public, without privateNetworking) subnet. */
function groupSubnets(c: Config, grp: Group): { spec: SubnetSpec | null; label: string; path: PathPart[] }[] {
  const kinds: ('private' | 'public')[] = grp.g.privateNetworking === true ? ['private'] : ['public'];
  const specs = kinds.flatMap((k) => subnetSpecs(c, k));
  if (Array.isArray(grp.g.subnets) && grp.g.subnets.length) {
    const all = [...subnetSpecs(c, 'private'), ...subnetSpecs(c, 'public')];
    return grp.g.subnets.map((x, j) => {
      const want = String(x);
      const spec = all.find((s) => s.key === want || s.spec.id === want) ?? null;
      return { spec, label: want, path: [...grp.base, 'subnets', j] };
    });
  }
  return specs.map((s) => ({ spec: s, label: s.key, path: s.path }));
}

function checkNodes(md: Model): [CheckVerdict, CheckVerdict] {
  const { c } = md;
  const note = refusedNote(md);
  const gs = groups(c);
  if (!gs.length) {
    const gone = m(
      `${CLUSTER_FILE}에 노드 그룹이 없습니다. 노드 그룹을 지우면 노드는 영영 조인하지 않습니다.`,
      `${CLUSTER_FILE} has no node group any more; with no node group no node ever joins.`,
    );
    return [fail('node-image', gone), fail('nodes-join', gone)];
  }
  const route: Finding[] = [];
  const image: Finding[] = [];
  const noRoute: { grp: Group; path: PathPart[]; s: Subnet }[] = [];
  // A fully private cluster makes eksctl create VPC endpoints for EKS, ECR, S3, STS and EC2: a way out without NAT
  // (rest-intact then says what it costs).
  const endpoints = c.get(['privateCluster', 'enabled']) === true && c.get(['privateCluster', 'skipEndpointCreation']) !== true;
  for (const grp of gs) {
    const placed = groupSubnets(c, grp);
    if (!placed.length) route.push(F(grp.base, `node group "${grp.name}" has no subnet to go to`, `노드 그룹 "${grp.name}"이 놓일 서브넷이 없습니다`));
    for (const p of placed) {
      if (!p.spec) {
        route.push(
          F(
            p.path,
            `node group "${grp.name}" names subnet "${p.label}", which vpc.subnets does not list`,
            `노드 그룹 "${grp.name}"이 vpc.subnets에 없는 서브넷 "${p.label}"을 가리킵니다`,
          ),
        );
        continue;
      }
      const { subnet, problem } = resolveSpec(p.spec);
      if (problem) {
        route.push(F(p.spec.path, problem.en, problem.ko));
        continue;
      }
      const s = subnet!;
      if (s.defaultRoute === null && !endpoints) noRoute.push({ grp, path: p.spec.path, s });
      else if (s.tier === 'public' && grp.g.privateNetworking === true) {
        route.push(
          F(
            p.spec.path,
            `${s.id} (${s.name}) is a public subnet: its route goes to the internet gateway, which a node with privateNetworking (no public IP) cannot use, so it still cannot reach the AWS APIs (EC2, ECR, STS)`,
            `${s.id}(${s.name})는 공개 서브넷입니다. 경로가 인터넷 게이트웨이로 가는데, privateNetworking 노드(공인 IP 없음)는 그것을 쓸 수 없어 여전히 AWS API(EC2, ECR, STS)에 닿지 못합니다`,
          ),
        );
      }
    }
    const fam = grp.g.amiFamily;
    const famPath: PathPart[] = fam === undefined ? grp.base : [...grp.base, 'amiFamily'];
    if (fam === 'AmazonLinux2') {
      image.push(
        F(
          famPath,
          `amiFamily AmazonLinux2: eksctl stops with "AmazonLinux2 is not supported for Kubernetes version 1.35" (EKS publishes no Amazon Linux 2 node images after 1.32). Use AmazonLinux2023, eksctl's default, or Bottlerocket. Until then eksctl creates nothing; the other checks are judged as if this line were fixed`,
          `amiFamily AmazonLinux2: eksctl이 "AmazonLinux2 is not supported for Kubernetes version 1.35"로 멈춥니다(EKS는 1.32 뒤로 Amazon Linux 2 노드 이미지를 내지 않습니다). eksctl의 기본값인 AmazonLinux2023이나 Bottlerocket을 쓰세요. 그때까지 eksctl은 아무것도 만들지 않습니다. 다른 항목은 이 줄을 고쳤다고 보고 채점합니다`,
        ),
      );
    } else if (typeof fam === 'string' && /^Windows/.test(fam)) {
      image.push(
        F(
          famPath,
          `amiFamily ${fam} makes Windows nodes, where the shop's Linux images cannot run; a Windows node group also needs a Linux one beside it`,
          `amiFamily ${fam}는 Windows 노드를 만들어 쇼핑몰의 리눅스 이미지가 돌 수 없습니다`,
        ),
      );
    } else if (fam !== undefined && !LINUX_FAMILIES.includes(String(fam))) {
      image.push(
        F(
          famPath,
          `amiFamily ${JSON.stringify(fam)}: this lab accepts ${LINUX_FAMILIES.join(', ')} for Kubernetes 1.35 nodes`,
          `amiFamily ${JSON.stringify(fam)}: 이 실습은 쿠버네티스 1.35 노드에 ${LINUX_FAMILIES.join(', ')}를 받습니다`,
        ),
      );
    }
    if (typeof grp.g.ami === 'string' && !/^auto(-ssm)?$/.test(grp.g.ami)) {
      image.push(
        F(
          [...grp.base, 'ami'],
          `a pinned custom AMI (${grp.g.ami}) must match amiFamily and be configured by hand; let eksctl resolve the EKS-optimized image for 1.35 (leave ami out)`,
          `고정한 사용자 AMI(${grp.g.ami})는 amiFamily와 맞아야 하고 직접 설정해야 합니다. ami를 빼서 eksctl이 1.35용 EKS 최적화 이미지를 고르게 하세요`,
        ),
      );
    }
    if (grp.g.overrideBootstrapCommand !== undefined && (fam === undefined || fam === 'AmazonLinux2023' || String(fam).startsWith('Bottlerocket'))) {
      image.push(
        F(
          [...grp.base, 'overrideBootstrapCommand'],
          `overrideBootstrapCommand belongs to Amazon Linux 2's bootstrap.sh; ${fam ?? 'AmazonLinux2023'} nodes are configured another way (nodeadm, Bottlerocket settings) and eksctl refuses it`,
          `overrideBootstrapCommand는 Amazon Linux 2의 bootstrap.sh용입니다. ${fam ?? 'AmazonLinux2023'} 노드는 다른 방식(nodeadm, Bottlerocket 설정)으로 설정하며 eksctl이 거부합니다`,
        ),
      );
    }
  }
  // Subnets without a way out, said once for all of them.
  if (noRoute.length) {
    const first = noRoute[0]!;
    const names = [...new Set(noRoute.map((x) => `${x.s.id} (${x.s.name}, ${x.s.cidr})`))].join(', ');
    const data = noRoute.some((x) => x.s.tier === 'data');
    route.unshift(
      F(
        first.path,
        `node group "${first.grp.name}" puts nodes in ${names}, whose route table has only the local route: no NAT gateway and no VPC endpoints, so a new node cannot reach the AWS APIs it bootstraps with (EC2, ECR, STS: nodeadm's dial tcp ...:443: i/o timeout) and never joins (NodeCreationFailure)${data ? '. These are the database subnets of the RDS subnet group' : ''}`,
        `노드 그룹 "${first.grp.name}"이 노드를 ${names}에 두는데, 이 서브넷의 라우팅 테이블에는 로컬 경로뿐입니다. NAT 게이트웨이도 VPC 엔드포인트도 없어 새 노드가 부팅에 필요한 AWS API(EC2, ECR, STS)에 닿지 못하고(nodeadm의 dial tcp ...:443: i/o timeout) 조인하지 못합니다(NodeCreationFailure)${data ? '. 이 서브넷들은 RDS 서브넷 그룹의 데이터베이스 서브넷입니다' : ''}`,
      ),
    );
  }
  const withNote = (f: Finding[]) => (note ? joinB([note, ...(f.length ? [asB(c, f)] : [])]) : say(c, f));
  if (note) return [fail('node-image', withNote(image)), fail('nodes-join', withNote(route))];
  return [image.length ? fail('node-image', say(c, image)) : pass('node-image', 1), route.length ? fail('nodes-join', say(c, route)) : pass('nodes-join', 2)];
}

// ---------------------------------------------------------------------------------------------------------------
// pod-identity: checkout's pods get a role that may read the bucket's objects, and only what they need.

/**
 * What is known of checkout's request (condition keys in lowercase): the AWS SDK calls S3 over HTTPS, in this account,
 * and a Pod Identity session carries EKS's session tags unless the association turns them off. IRSA sessions carry
 * no such tags.
 */
export type RequestContext = Record<string, string>;
export function checkoutContext(via: 'pod-identity' | 'irsa', sessionTags = true): RequestContext {
  const ctx: RequestContext = { 'aws:securetransport': 'true', 'aws:principalaccount': ACCOUNT };
  if (via === 'pod-identity' && sessionTags) {
    const tags: Record<string, string> = {
      'eks-cluster-arn': `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`,
      'eks-cluster-name': CLUSTER,
      'kubernetes-namespace': CHECKOUT.namespace,
      'kubernetes-service-account': CHECKOUT.serviceAccount,
    };
    for (const [k, v] of Object.entries(tags)) ctx[`aws:principaltag/${k}`] = v;
  }
  return ctx;
}

const wildcard = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);
const CONDITION_TESTS: Record<string, (want: string, have: string) => boolean> = {
  Bool: (w, h) => w.toLowerCase() === h.toLowerCase(),
  StringEquals: (w, h) => w === h,
  StringEqualsIgnoreCase: (w, h) => w.toLowerCase() === h.toLowerCase(),
  StringLike: (w, h) => wildcard(w, h),
  ArnEquals: (w, h) => w === h,
  ArnLike: (w, h) => wildcard(w, h),
};

/**
 * Whether a statement's Condition holds for checkout's request: true or false when every key it tests is known
 * (operators Bool, String*, Arn*, their Not forms and IfExists, and Null), null when it tests anything else.
 */
export function conditionHolds(cond: Json | undefined, ctx: RequestContext): boolean | null {
  if (cond === undefined) return true;
  if (!isObj(cond)) return null;
  let unknown = false;
  for (const [op, block] of Object.entries(cond)) {
    if (!isObj(block)) return null;
    const base = op.replace(/IfExists$/, '');
    const negated = /^(String|Arn)Not/.test(base);
    const test = base === 'Null' ? null : CONDITION_TESTS[base.replace(/^(String|Arn)Not/, '$1')];
    if (base !== 'Null' && !test) return null;
    for (const [key, raw] of Object.entries(block)) {
      const wants = (Array.isArray(raw) ? raw : [raw]).filter((v) => ['string', 'boolean', 'number'].includes(typeof v)).map(String);
      const have = ctx[key.toLowerCase()];
      if (have === undefined || wants.length === 0) {
        unknown = true;
        continue;
      }
      const ok =
        base === 'Null' ? wants.some((w) => w.toLowerCase() === 'false') : negated ? !wants.some((w) => test!(w, have)) : wants.some((w) => test!(w, have));
      if (!ok) return false;
    }
  }
  return unknown ? null : true;
}

/**
 * What a policy document does to s3:GetObject on the product image for checkout's request: allowed by an Allow that
 * matches and whose condition is known to hold, with no Deny that matches unless its condition is known not to hold;
 * conditional when the only matching Allow has a Condition not known to hold; denied otherwise.
 */
function getObjectVerdict(doc: Json, ctx: RequestContext): 'allowed' | 'conditional' | 'denied' {
  if (!isObj(doc)) return 'denied';
  const sts = Array.isArray(doc.Statement) ? doc.Statement : isObj(doc.Statement) ? [doc.Statement] : [];
  const list = (v: Json | undefined) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const hit = (s: Obj) => list(s.Action).some((a) => actionMatches(a, 's3:GetObject')) && list(s.Resource).some((r) => actionMatches(r, CHECKOUT.object));
  const matches = sts.filter(isObj);
  if (matches.some((s) => s.Effect === 'Deny' && hit(s) && conditionHolds(s.Condition, ctx) !== false)) return 'denied';
  if (matches.some((s) => s.Effect === 'Allow' && hit(s) && conditionHolds(s.Condition, ctx) === true)) return 'allowed';
  return matches.some((s) => s.Effect === 'Allow' && hit(s)) ? 'conditional' : 'denied';
}

/** What a set of grants lets checkout do: read the object (or unknown: a customer-managed policy or a role), and what is too broad. */
function judgeGrants(
  base: PathPart[],
  spec: Obj,
  arnsField: string,
  inlineField: string,
  roleField: string,
  ctx?: RequestContext,
): { reads: boolean; conditional: boolean; broad: Finding[] } {
  const broad: Finding[] = [];
  let reads = false;
  let conditional = false;
  if (typeof spec[roleField] === 'string') reads = true; // an existing role: its policies are not in the file
  const arns = Array.isArray(spec[arnsField]) ? (spec[arnsField] as Json[]) : [];
  arns.forEach((a, i) => {
    if (typeof a !== 'string') return;
    const b = broadManagedPolicy(a);
    if (b)
      broad.push(
        F(
          [...base, arnsField, i],
          `${a} ${b.en}: checkout needs s3:GetObject on ${CHECKOUT.bucket}'s objects, nothing more`,
          `${a}는 ${b.ko}. checkout에 필요한 것은 ${CHECKOUT.bucket} 객체에 대한 s3:GetObject뿐입니다`,
        ),
      );
    if (/:policy\/AmazonS3(ReadOnly|Full)Access$/.test(a) || /^arn:aws:iam::\d{12}:policy\//.test(a)) reads = true;
  });
  if (spec[inlineField] !== undefined) {
    for (const p of judgePolicyDocument(spec[inlineField]!, [...base, inlineField])) broad.push(F(p.path, p.en, p.ko));
    const verdict = getObjectVerdict(spec[inlineField]!, ctx ?? checkoutContext('irsa'));
    if (verdict === 'allowed') reads = true;
    if (verdict === 'conditional') conditional = true;
  }
  return { reads, conditional, broad };
}

function checkPodIdentity(md: Model): CheckVerdict {
  const { c } = md;
  const note = refusedNote(md);
  if (note) return fail('pod-identity', note);
  const identity: Finding[] = [];
  const grants: Finding[] = [];
  const pias = Array.isArray(c.get(['iam', 'podIdentityAssociations'])) ? (c.get(['iam', 'podIdentityAssociations']) as Json[]) : [];
  const sas = Array.isArray(c.get(['iam', 'serviceAccounts'])) ? (c.get(['iam', 'serviceAccounts']) as Json[]) : [];
  const addons = Array.isArray(c.get(['addons'])) ? (c.get(['addons']) as Json[]) : [];
  const agent = addons.some((a) => isObj(a) && a.name === 'eks-pod-identity-agent') || c.get(['autoModeConfig', 'enabled']) === true;
  const who = `${CHECKOUT.namespace}/${CHECKOUT.serviceAccount}`;
  let found: { reads: boolean; conditional: boolean; broad: Finding[]; path: PathPart[] } | null = null;
  const misses: Finding[] = [];
  pias.forEach((p, i) => {
    if (!isObj(p)) return;
    const base: PathPart[] = ['iam', 'podIdentityAssociations', i];
    const ns = p.namespace;
    const sa = p.serviceAccountName;
    if (ns === CHECKOUT.namespace && sa === CHECKOUT.serviceAccount) {
      if (!agent)
        identity.push(
          F(
            ['addons'],
            'Pod Identity associations need the eks-pod-identity-agent addon, which hands the credentials to the pods',
            'Pod Identity 연결에는 파드에 자격 증명을 건네는 eks-pod-identity-agent 애드온이 있어야 합니다',
          ),
        );
      const ctx = checkoutContext('pod-identity', p.disableSessionTags !== true);
      found = { ...judgeGrants(base, p, 'permissionPolicyARNs', 'permissionPolicy', 'roleARN', ctx), path: base };
    } else if (sa === CHECKOUT.serviceAccount || ns === CHECKOUT.namespace || (typeof sa === 'string' && /checkout/.test(sa))) {
      misses.push(
        F(
          base,
          `this association is for ${String(ns)}/${String(sa)}, but checkout runs in the namespace ${CHECKOUT.namespace} with serviceAccountName ${CHECKOUT.serviceAccount}; an association applies to exactly one namespace and service account, so checkout's pods get no role and the SDK falls back to the node's (AccessDenied ... NodeInstanceRole)`,
          `이 연결은 ${String(ns)}/${String(sa)}용인데 checkout은 네임스페이스 ${CHECKOUT.namespace}에서 serviceAccountName ${CHECKOUT.serviceAccount}로 돕니다. 연결은 정확히 한 네임스페이스와 서비스 어카운트에만 적용되므로 checkout의 파드는 역할을 받지 못하고 SDK가 노드의 역할로 넘어갑니다(AccessDenied ... NodeInstanceRole)`,
        ),
      );
    }
  });
  sas.forEach((s, i) => {
    if (!isObj(s)) return;
    const base: PathPart[] = ['iam', 'serviceAccounts', i];
    const ns = get(s, ['metadata', 'namespace']) ?? 'default';
    const name = get(s, ['metadata', 'name']);
    if (ns === CHECKOUT.namespace && name === CHECKOUT.serviceAccount) {
      if (c.get(['iam', 'withOIDC']) !== true)
        identity.push(
          F(['iam'], "IRSA needs the cluster's OIDC provider: iam.withOIDC: true", 'IRSA에는 클러스터의 OIDC 공급자가 필요합니다: iam.withOIDC: true'),
        );
      found ??= { ...judgeGrants(base, s, 'attachPolicyARNs', 'attachPolicy', 'attachRoleARN', checkoutContext('irsa')), path: base };
    } else if (name === CHECKOUT.serviceAccount) {
      misses.push(
        F(
          base,
          `this IRSA service account is ${String(ns)}/${String(name)}, not ${who}`,
          `이 IRSA 서비스 어카운트는 ${who}가 아니라 ${String(ns)}/${String(name)}입니다`,
        ),
      );
    }
  });
  if (!found) {
    identity.push(...misses);
    if (!misses.length)
      identity.push(
        F(
          ['iam'],
          `nothing gives ${who} a role of its own (no Pod Identity association or IRSA service account for it), so checkout's SDK uses the node's role`,
          `${who}에 자기 역할을 주는 것이 없어(Pod Identity 연결도 IRSA 서비스 어카운트도 없음) checkout의 SDK가 노드의 역할을 씁니다`,
        ),
      );
  } else {
    const f = found as { reads: boolean; conditional: boolean; broad: Finding[]; path: PathPart[] };
    grants.push(...f.broad);
    if (!f.reads)
      grants.push(
        F(
          f.path,
          `the role for ${who} does not allow s3:GetObject on ${CHECKOUT.object} (AccessDenied ... is not authorized to perform: s3:GetObject)${
            f.conditional
              ? ". The Allow that would grant it has a Condition this request does not meet, or one that cannot be confirmed for it: what is known of checkout's request is HTTPS (aws:SecureTransport), the account (aws:PrincipalAccount) and, with Pod Identity, EKS's session tags (aws:PrincipalTag/kubernetes-namespace and the others)"
              : ''
          }`,
          `${who}의 역할이 ${CHECKOUT.object}에 대한 s3:GetObject를 허용하지 않습니다(AccessDenied ... is not authorized to perform: s3:GetObject)${
            f.conditional
              ? '. 이를 허용할 Allow에 이 요청이 맞지 않거나 맞는지 확인할 수 없는 Condition이 있습니다. checkout의 요청에 대해 알 수 있는 것은 HTTPS(aws:SecureTransport), 계정(aws:PrincipalAccount), 그리고 Pod Identity라면 EKS의 세션 태그(aws:PrincipalTag/kubernetes-namespace 등)입니다'
              : ''
          }`,
        ),
      );
  }
  // The node role reaches every pod on the node: S3 there is a workaround that opens the bucket to all of them.
  for (const grp of groups(c)) {
    const iam = grp.g.iam;
    if (!isObj(iam)) continue;
    const r = judgeGrants([...grp.base, 'iam'], iam, 'attachPolicyARNs', 'attachPolicy', 'instanceRoleARN');
    const s3 =
      (Array.isArray(iam.attachPolicyARNs) ? iam.attachPolicyARNs : []).some((a) => typeof a === 'string' && /AmazonS3/.test(a)) ||
      (iam.attachPolicy !== undefined && getObjectVerdict(iam.attachPolicy, checkoutContext('irsa')) !== 'denied'); // a Condition does not make it safe
    if (s3 || r.broad.length)
      grants.push(
        F(
          [...grp.base, 'iam'],
          `the node role of "${grp.name}" gets S3 (or broad) permissions: every pod on those nodes could use them, frontend included. Give checkout its own role instead`,
          `노드 그룹 "${grp.name}"의 노드 역할에 S3(또는 넓은) 권한이 붙었습니다. 그 노드의 모든 파드(frontend까지)가 쓸 수 있습니다. 대신 checkout에 자기 역할을 주세요`,
        ),
      );
  }
  return partial('pod-identity', 2, [
    part(identity.length === 0, say(c, identity)),
    part(
      identity.length === 0 && grants.length === 0,
      grants.length ? say(c, grants) : m('역할이 없으니 권한을 판단할 수 없습니다.', 'With no role of its own there are no permissions to judge.'),
    ),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// access-entry: the deploy job can apply the shop's manifests, and only in the namespace shop.

function checkAccessEntry(md: Model): CheckVerdict {
  const { c } = md;
  const note = refusedNote(md);
  if (note) return fail('access-entry', note);
  const mode = c.get(['accessConfig', 'authenticationMode']) ?? 'API_AND_CONFIG_MAP';
  const entries = Array.isArray(c.get(['accessConfig', 'accessEntries'])) ? (c.get(['accessConfig', 'accessEntries']) as Json[]) : [];
  const authn: Finding[] = [];
  const authz: Finding[] = [];
  const idx = entries.findIndex((e) => isObj(e) && e.principalARN === ROLES.deploy);
  if (mode === 'CONFIG_MAP')
    authn.push(
      F(
        ['accessConfig', 'authenticationMode'],
        'authenticationMode CONFIG_MAP ignores access entries altogether',
        'authenticationMode CONFIG_MAP는 접근 항목을 아예 읽지 않습니다',
      ),
    );
  if (idx < 0) {
    const sts = entries.findIndex((e) => isObj(e) && typeof e.principalARN === 'string' && /^arn:aws:sts::/.test(e.principalARN));
    if (sts >= 0) {
      authn.push(
        F(
          ['accessConfig', 'accessEntries', sts, 'principalARN'],
          `${String((entries[sts] as Obj).principalARN)} is the session ARN that aws sts get-caller-identity prints; an access entry names the IAM role itself (${ROLES.deploy}), which every session of it maps to`,
          `${String((entries[sts] as Obj).principalARN)}은 aws sts get-caller-identity가 보여 주는 세션 ARN입니다. 접근 항목에는 IAM 역할 자체(${ROLES.deploy})를 적어야 그 역할의 모든 세션이 연결됩니다`,
        ),
      );
    } else {
      authn.push(
        F(
          entries.length ? ['accessConfig', 'accessEntries'] : ['accessConfig'],
          `no access entry for ${ROLES.deploy}, the role GitHub Actions' deploy job assumes: with authenticationMode API, EKS maps it to nobody and kubectl is told to log in (Unauthorized)`,
          `GitHub Actions 배포 잡이 맡는 역할 ${ROLES.deploy}의 접근 항목이 없습니다. authenticationMode가 API이면 EKS가 이 역할을 아무에게도 연결하지 않아 kubectl이 로그인하라는 답(Unauthorized)을 받습니다`,
        ),
      );
    }
  } else {
    const e = entries[idx] as Obj;
    const base: PathPart[] = ['accessConfig', 'accessEntries', idx];
    if (e.type !== undefined && e.type !== 'STANDARD')
      authn.push(
        F(
          [...base, 'type'],
          `type ${String(e.type)} is for nodes; a role that people or pipelines use is STANDARD (the default)`,
          `type ${String(e.type)}는 노드용입니다. 사람이나 파이프라인이 쓰는 역할은 STANDARD(기본값)입니다`,
        ),
      );
    const pols = Array.isArray(e.accessPolicies) ? e.accessPolicies.filter(isObj) : [];
    const canApply = pols.filter((p) => p.policyARN === ACCESS_POLICY('AmazonEKSEditPolicy') || p.policyARN === ACCESS_POLICY('AmazonEKSAdminPolicy'));
    const clusterAdmin = pols.some((p) => p.policyARN === ACCESS_POLICY('AmazonEKSClusterAdminPolicy'));
    pols.forEach((p, j) => {
      const arn = String(p.policyARN ?? '');
      const scope = isObj(p.accessScope) ? p.accessScope : {};
      const at: PathPart[] = [...base, 'accessPolicies', j];
      if (arn === ACCESS_POLICY('AmazonEKSClusterAdminPolicy'))
        authz.push(
          F(
            at,
            'AmazonEKSClusterAdminPolicy makes the deploy job cluster-admin: a compromised workflow could change anything in the cluster. It applies manifests in one namespace',
            'AmazonEKSClusterAdminPolicy는 배포 잡을 클러스터 관리자로 만듭니다. 워크플로가 뚫리면 클러스터의 무엇이든 바꿀 수 있습니다. 배포 잡은 네임스페이스 하나에 매니페스트를 적용할 뿐입니다',
          ),
        );
      else if (canApply.includes(p) && scope.type !== 'namespace')
        authz.push(
          F(
            [...at, 'accessScope'],
            `${arn.split('/').pop()} with a cluster scope lets the deploy job change every namespace; scope it to the namespace shop`,
            `클러스터 범위의 ${arn.split('/').pop()}는 배포 잡이 모든 네임스페이스를 바꾸게 합니다. 범위를 네임스페이스 shop으로 좁히세요`,
          ),
        );
      else if (canApply.includes(p)) {
        // A namespace scope that reaches past shop (another namespace, or a wildcard such as shop*) is wider than the job.
        const beyond = (Array.isArray(scope.namespaces) ? scope.namespaces : []).map(String).filter((n) => n !== 'shop');
        if (beyond.length)
          authz.push(
            F(
              [...at, 'accessScope', 'namespaces'],
              `${arn.split('/').pop()} also reaches ${beyond.join(', ')}: the deploy job applies the shop's manifests in the namespace shop and nothing beyond it, so keep the scope to shop alone`,
              `${arn.split('/').pop()}가 ${beyond.join(', ')}에도 닿습니다. 배포 잡은 네임스페이스 shop에 쇼핑몰 매니페스트를 적용할 뿐이고 그 밖은 건드리지 않으니, 범위는 shop 하나로 두세요`,
            ),
          );
      }
    });
    const inShop = canApply.some(
      (p) => isObj(p.accessScope) && p.accessScope.type === 'namespace' && Array.isArray(p.accessScope.namespaces) && p.accessScope.namespaces.includes('shop'),
    );
    if (!canApply.length && !clusterAdmin) {
      const groupsOnly = Array.isArray(e.kubernetesGroups) && e.kubernetesGroups.length > 0;
      authz.push(
        F(
          base,
          groupsOnly
            ? 'kubernetesGroups give only what a RoleBinding grants those groups, and the cluster has none for them: kubectl apply would be Forbidden. Associate an access policy that may apply manifests (AmazonEKSEditPolicy) in the namespace shop'
            : `the entry lets the deploy role in but allows it nothing that applies manifests (${pols.map((p) => String(p.policyARN).split('/').pop()).join(', ') || 'no access policy'}): kubectl apply would be Forbidden. Associate AmazonEKSEditPolicy in the namespace shop`,
          groupsOnly
            ? 'kubernetesGroups는 그 그룹에 RoleBinding이 준 권한만 주는데, 클러스터에는 그런 RoleBinding이 없어 kubectl apply가 Forbidden이 됩니다. 네임스페이스 shop에서 매니페스트를 적용할 수 있는 접근 정책(AmazonEKSEditPolicy)을 연결하세요'
            : `접근 항목이 배포 역할을 들여보내지만 매니페스트를 적용할 권한(${pols.map((p) => String(p.policyARN).split('/').pop()).join(', ') || '접근 정책 없음'})이 없어 kubectl apply가 Forbidden이 됩니다. 네임스페이스 shop에 AmazonEKSEditPolicy를 연결하세요`,
        ),
      );
    } else if (!inShop && !authz.length && !clusterAdmin)
      authz.push(
        F(
          base,
          'the access policy does not cover the namespace shop, where the deploy job applies the manifests',
          '접근 정책의 범위에 배포 잡이 매니페스트를 적용하는 네임스페이스 shop이 없습니다',
        ),
      );
  }
  return partial('access-entry', 2, [
    part(authn.length === 0, say(c, authn)),
    part(
      authn.length === 0 && authz.length === 0,
      authn.length ? m('들어올 수 없으니 권한을 판단할 수 없습니다.', 'It cannot get in, so what it may do cannot be judged.') : say(c, authz),
    ),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// load-balancer: the AWS Load Balancer Controller can place an internet-facing NLB in the public subnets.

function clusterTagFor(s: Subnet, cluster: string): 'mine' | 'other' | 'none' {
  const keys = Object.keys(s.tags).filter((k) => k.startsWith('kubernetes.io/cluster/'));
  if (keys.includes(`kubernetes.io/cluster/${cluster}`)) return 'mine';
  return keys.length ? 'other' : 'none';
}

function checkLoadBalancer(md: Model): CheckVerdict {
  const { c, svc } = md;
  if (!svc) {
    return fail(
      'load-balancer',
      m(
        `${SERVICE_FILE}에 kubectl이 받아들이는 네임스페이스 shop의 Service frontend가 없습니다${md.k8sProblems.length ? ' (schema 항목 참고)' : ''}.`,
        `${SERVICE_FILE} has no Service frontend in the namespace shop that kubectl accepts${md.k8sProblems.length ? ' (see the schema check)' : ''}.`,
      ),
    );
  }
  const ann = (k: string) => {
    const v = svc.get(['metadata', 'annotations', A + k]);
    return typeof v === 'string' ? v.trim() : undefined;
  };
  const at = (k: string) => svc.where(['metadata', 'annotations', A + k]);
  const problems: B[] = [];
  if (svc.get(['spec', 'type']) !== 'LoadBalancer') {
    return fail(
      'load-balancer',
      m(
        `${svc.where(['spec'])}: type LoadBalancer가 아니어서 로드 밸런서가 생기지 않습니다. 상점 화면은 인터넷에서 들어옵니다.`,
        `${svc.where(['spec'])}: not type LoadBalancer, so no load balancer is made; the storefront is reached from the internet.`,
      ),
    );
  }
  const cluster = typeof c.get(['metadata', 'name']) === 'string' ? String(c.get(['metadata', 'name'])) : CLUSTER;
  const scheme = ann('aws-load-balancer-scheme') ?? 'internal';
  if (scheme !== 'internet-facing') {
    problems.push(
      m(
        `${at('aws-load-balancer-scheme')}: scheme이 ${scheme}${ann('aws-load-balancer-scheme') ? '' : '(생략 시 기본값)'}이라 NLB가 사설 서브넷에 VPC 안에서만 닿는 주소로 만들어집니다. 손님은 인터넷에서 옵니다: internet-facing이어야 합니다`,
        `${at('aws-load-balancer-scheme')}: the scheme is ${scheme}${ann('aws-load-balancer-scheme') ? '' : ' (the default when left out)'}, so the NLB gets an address inside the VPC only, in private subnets. Customers come from the internet: it must be internet-facing`,
      ),
    );
  }
  // The controller needs its own AWS identity (the association in cluster.yaml) to create anything at all.
  const pias = Array.isArray(c.get(['iam', 'podIdentityAssociations'])) ? (c.get(['iam', 'podIdentityAssociations']) as Json[]) : [];
  const sas = Array.isArray(c.get(['iam', 'serviceAccounts'])) ? (c.get(['iam', 'serviceAccounts']) as Json[]) : [];
  const lbcIdentity =
    pias.some(
      (p) =>
        isObj(p) &&
        p.namespace === 'kube-system' &&
        p.serviceAccountName === 'aws-load-balancer-controller' &&
        (get(p, ['wellKnownPolicies', 'awsLoadBalancerController']) === true || p.roleARN !== undefined || p.permissionPolicyARNs !== undefined),
    ) || sas.some((s) => isObj(s) && get(s, ['metadata', 'name']) === 'aws-load-balancer-controller' && get(s, ['metadata', 'namespace']) === 'kube-system');
  if (!lbcIdentity)
    problems.push(
      m(
        `${CLUSTER_FILE}: AWS Load Balancer Controller의 AWS 권한(kube-system/aws-load-balancer-controller의 Pod Identity 연결)이 없어 컨트롤러가 로드 밸런서를 만들 수 없습니다(AccessDenied)`,
        `${CLUSTER_FILE}: the AWS Load Balancer Controller has no AWS identity (the Pod Identity association for kube-system/aws-load-balancer-controller), so it cannot create any load balancer (AccessDenied)`,
      ),
    );
  const named = ann('aws-load-balancer-subnets');
  if (named !== undefined) {
    const items = named
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    const resolved: Subnet[] = [];
    const missing: string[] = [];
    for (const x of items) {
      const s = x.startsWith('subnet-') ? subnetById(x) : subnetByName(x);
      if (s) resolved.push(s);
      else missing.push(x);
    }
    if (!items.length)
      problems.push(
        m(
          `${at('aws-load-balancer-subnets')}: 서브넷 목록이 비어 있습니다 (unable to resolve at least one subnet)`,
          `${at('aws-load-balancer-subnets')}: the subnet list is empty (unable to resolve at least one subnet)`,
        ),
      );
    else if (missing.length)
      problems.push(
        m(
          `${at('aws-load-balancer-subnets')}: ${missing.join(', ')}라는 서브넷이 ${VPC_ID}에 없습니다 (couldn't find all subnets). ID(subnet-…)나 Name 태그 값을 쓰세요`,
          `${at('aws-load-balancer-subnets')}: ${VPC_ID} has no subnet ${missing.join(', ')} (couldn't find all subnets); use ids (subnet-…) or Name tag values`,
        ),
      );
    else {
      const byAz = new Map<string, Subnet[]>();
      for (const s of resolved) byAz.set(s.az, [...(byAz.get(s.az) ?? []), s]);
      const dup = [...byAz.values()].find((v) => v.length > 1);
      if (dup)
        problems.push(
          m(
            `${at('aws-load-balancer-subnets')}: 한 가용 영역 ${dup[0]!.az}에 서브넷이 둘입니다 (multiple subnets in same Availability Zone)`,
            `${at('aws-load-balancer-subnets')}: two subnets in one availability zone, ${dup[0]!.az} (multiple subnets in same Availability Zone)`,
          ),
        );
      const notPublic = resolved.filter((s) => s.defaultRoute === null || !s.defaultRoute.startsWith('igw-'));
      if (scheme === 'internet-facing' && notPublic.length) {
        problems.push(
          m(
            `${at('aws-load-balancer-subnets')}: ${notPublic.map((s) => `${s.id}(${s.name})`).join(', ')}에는 인터넷 게이트웨이로 가는 경로가 없습니다. 인터넷용 NLB를 그곳에 두면 주소는 생겨도 인터넷에서 닿지 않습니다. 공개 서브넷을 쓰세요`,
            `${at('aws-load-balancer-subnets')}: ${notPublic.map((s) => `${s.id} (${s.name})`).join(', ')} ${notPublic.length > 1 ? 'have' : 'has'} no route to the internet gateway; an internet-facing NLB there gets an address nobody on the internet can reach. Use the public subnets`,
          ),
        );
      }
      const zones = new Set(resolved.map((s) => s.az));
      if (!dup && zones.size < 2)
        problems.push(
          m(
            `${at('aws-load-balancer-subnets')}: 가용 영역이 ${[...zones].join(', ')} 하나뿐입니다. 그 영역이 멈추면 상점도 멈춥니다. 두 영역의 공개 서브넷을 모두 적으세요`,
            `${at('aws-load-balancer-subnets')}: one availability zone only (${[...zones].join(', ')}); when it fails the storefront does too. Name the public subnets of both zones`,
          ),
        );
    }
  } else {
    // The controller's discovery (3.x): subnets with the scheme's role tag; none, then by reachability; then drop
    // subnets tagged for other clusters and those with fewer than 8 free addresses.
    const role = scheme === 'internet-facing' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb';
    let cands = SUBNETS.filter((s) => s.tags[role] === '1' || s.tags[role] === '');
    if (!cands.length) cands = SUBNETS.filter((s) => (s.defaultRoute?.startsWith('igw-') ?? false) === (scheme === 'internet-facing'));
    const other = cands.filter((s) => clusterTagFor(s, cluster) === 'other');
    const eligible = cands.filter((s) => clusterTagFor(s, cluster) !== 'other');
    if (!eligible.length) {
      problems.push(
        m(
          `${svc.where(['metadata', 'annotations'])}: 컨트롤러가 서브넷을 찾지 못합니다: "Failed build model due to couldn't auto-discover subnets: unable to resolve at least one subnet. Evaluated ${cands.length} subnets: ${other.length} are tagged for other clusters, and 0 have insufficient available IP addresses". 공개 서브넷에는 ${role} 태그가 없어 경로로 찾았지만, 다른 클러스터(${
            Object.keys(other[0]?.tags ?? {})
              .find((k) => k.startsWith('kubernetes.io/cluster/'))
              ?.split('/')
              .pop() ?? '?'
          })의 태그가 있어 빠졌습니다. 이번 주에는 VPC의 태그를 바꿀 수 없으니 컨트롤러가 이 서브넷들을 스스로 고를 수 없습니다`,
          `${svc.where(['metadata', 'annotations'])}: the controller finds no subnet: "Failed build model due to couldn't auto-discover subnets: unable to resolve at least one subnet. Evaluated ${cands.length} subnets: ${other.length} are tagged for other clusters, and 0 have insufficient available IP addresses". The public subnets have no ${role} tag, so it found them by their routes, then dropped them for carrying another cluster's tag (${
            Object.keys(other[0]?.tags ?? {})
              .find((k) => k.startsWith('kubernetes.io/cluster/'))
              ?.split('/')
              .pop() ?? '?'
          }). The VPC's tags cannot change this week, so the controller cannot pick these subnets by itself`,
        ),
      );
    }
  }
  return problems.length ? fail('load-balancer', joinB(problems)) : pass('load-balancer', 2);
}

// ---------------------------------------------------------------------------------------------------------------
// rest-intact

function checkRestIntact(md: Model): CheckVerdict {
  const { c, svc } = md;
  const cl: Finding[] = [];
  const nodes: Finding[] = [];
  const same = (path: PathPart[], want: Json, what: { en: string; ko: string }, list = cl) => {
    const got = c.get(path);
    if (JSON.stringify(got) !== JSON.stringify(want))
      list.push(
        F(
          path,
          `${what.en} (was ${JSON.stringify(want)}, now ${got === undefined ? 'gone' : JSON.stringify(got)})`,
          `${what.ko} (원래 ${JSON.stringify(want)}, 지금 ${got === undefined ? '없음' : JSON.stringify(got)})`,
        ),
      );
  };
  same(['metadata', 'name'], CLUSTER, {
    en: 'the cluster is called shop: the kubeconfigs, the deploy job and the dashboards use that name, and renaming it to match a stray subnet tag builds another cluster',
    ko: '클러스터 이름은 shop입니다. kubeconfig, 배포 잡, 대시보드가 이 이름을 쓰고, 엉뚱한 서브넷 태그에 맞춰 이름을 바꾸면 다른 클러스터가 만들어집니다',
  });
  same(['metadata', 'region'], REGION, { en: 'the region', ko: '리전' });
  same(['metadata', 'version'], '1.35', {
    en: 'the Kubernetes version: the fix is not an upgrade or a downgrade',
    ko: '쿠버네티스 버전. 고치는 일은 업그레이드나 다운그레이드가 아닙니다',
  });
  same(['vpc', 'id'], VPC_ID, { en: "week 1's VPC", ko: '1주차 VPC' });
  for (const i of [0, 1]) {
    const pub = SUBNETS.filter((s) => s.tier === 'public')[i]!;
    const listed = subnetSpecs(c, 'public').some((s) => s.spec.id === pub.id);
    if (!listed)
      cl.push(
        F(
          ['vpc', 'subnets', 'public'],
          `vpc.subnets.public no longer lists ${pub.id} (${pub.name})`,
          `vpc.subnets.public에서 ${pub.id}(${pub.name})가 빠졌습니다`,
        ),
      );
  }
  same(['vpc', 'clusterEndpoints', 'publicAccess'], true, {
    en: 'the public API endpoint: GitHub-hosted runners (the deploy job) reach the cluster through it',
    ko: '공개 API 엔드포인트. GitHub 호스트 러너(배포 잡)가 이 엔드포인트로 클러스터에 닿습니다',
  });
  same(['vpc', 'clusterEndpoints', 'privateAccess'], true, {
    en: 'the private API endpoint the nodes use inside the VPC',
    ko: '노드가 VPC 안에서 쓰는 사설 API 엔드포인트',
  });
  if (c.get(['privateCluster', 'enabled']) === true)
    cl.push(
      F(
        ['privateCluster'],
        'a fully private cluster has no public endpoint, so the deploy job on GitHub-hosted runners could not reach it',
        '완전 사설 클러스터에는 공개 엔드포인트가 없어 GitHub 호스트 러너의 배포 잡이 닿지 못합니다',
      ),
    );
  if (c.get(['iam', 'withOIDC']) !== true)
    cl.push(F(['iam'], "iam.withOIDC: true is gone (the cluster's OIDC provider)", 'iam.withOIDC: true(클러스터의 OIDC 공급자)가 사라졌습니다'));
  const types = c.get(['cloudWatch', 'clusterLogging', 'enableTypes']);
  const tl = Array.isArray(types) ? types.map(String) : [];
  if (!tl.includes('*') && !tl.includes('all') && !['api', 'audit', 'authenticator'].every((t) => tl.includes(t)))
    cl.push(
      F(['cloudWatch'], 'control-plane logging lost api, audit or authenticator', '컨트롤 플레인 로그에서 api, audit, authenticator 중 하나가 빠졌습니다'),
    );
  const addons = Array.isArray(c.get(['addons'])) ? (c.get(['addons']) as Json[]).filter(isObj).map((a) => String(a.name)) : [];
  for (const a of ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent'])
    if (!addons.includes(a)) cl.push(F(['addons'], `the ${a} addon is gone`, `${a} 애드온이 사라졌습니다`));
  const entries = Array.isArray(c.get(['accessConfig', 'accessEntries'])) ? (c.get(['accessConfig', 'accessEntries']) as Json[]) : [];
  const admin = entries.find((e) => isObj(e) && e.principalARN === ROLES.admin) as Obj | undefined;
  const adminOk =
    admin && Array.isArray(admin.accessPolicies) && admin.accessPolicies.some((p) => isObj(p) && p.policyARN === ACCESS_POLICY('AmazonEKSClusterAdminPolicy'));
  if (!adminOk)
    cl.push(
      F(
        ['accessConfig', 'accessEntries'],
        `the platform team's ${ROLES.admin} lost its cluster-admin access entry`,
        `플랫폼 팀의 ${ROLES.admin}이 클러스터 관리자 접근 항목을 잃었습니다`,
      ),
    );
  const pias = Array.isArray(c.get(['iam', 'podIdentityAssociations'])) ? (c.get(['iam', 'podIdentityAssociations']) as Json[]) : [];
  if (!pias.some((p) => isObj(p) && p.namespace === 'kube-system' && p.serviceAccountName === 'aws-load-balancer-controller'))
    cl.push(
      F(
        ['iam', 'podIdentityAssociations'],
        "the AWS Load Balancer Controller's association (kube-system/aws-load-balancer-controller) is gone",
        'AWS Load Balancer Controller의 연결(kube-system/aws-load-balancer-controller)이 사라졌습니다',
      ),
    );

  const mngs = Array.isArray(c.get(['managedNodeGroups'])) ? (c.get(['managedNodeGroups']) as Json[]) : [];
  const i = mngs.findIndex((g) => isObj(g) && g.name === 'shop-nodes');
  if (i < 0)
    nodes.push(
      F(
        mngs.length ? ['managedNodeGroups'] : [],
        'the managed node group shop-nodes is gone (the dashboards, the node labels and the upgrade runbook name it)',
        '관리형 노드 그룹 shop-nodes가 사라졌습니다(대시보드, 노드 레이블, 업그레이드 런북이 이 이름을 씁니다)',
      ),
    );
  else {
    const base: PathPart[] = ['managedNodeGroups', i];
    const g = mngs[i] as Obj;
    if (g.privateNetworking !== true)
      nodes.push(
        F(
          g.privateNetworking === undefined ? base : [...base, 'privateNetworking'],
          'the nodes lost privateNetworking: true, so they would take public IP addresses in the public subnets: joining through the internet gateway opens every node to the internet instead of giving them a private way out',
          '노드가 privateNetworking: true를 잃어 공개 서브넷에서 공인 IP를 받게 됩니다. 인터넷 게이트웨이로 조인하게 하는 것은 사설 출구를 주는 대신 모든 노드를 인터넷에 여는 일입니다',
        ),
      );
    same([...base, 'instanceType'], 'm7i.large', { en: 'the instance type the shop was sized for', ko: '쇼핑몰 크기에 맞춘 인스턴스 유형' }, nodes);
    for (const [k, v] of [
      ['minSize', 2],
      ['desiredCapacity', 3],
      ['maxSize', 6],
      ['volumeSize', 40],
    ] as const) {
      const got = g[k];
      if (typeof got !== 'number' || got < v)
        nodes.push(
          F(
            [...base, k],
            `${k} is ${got === undefined ? 'gone' : JSON.stringify(got)}, below the ${v} the shop had`,
            `${k}가 ${got === undefined ? '사라졌습니다' : `${JSON.stringify(got)}로`} 원래의 ${v}보다 작습니다`,
          ),
        );
    }
    if (get(g, ['labels', 'role']) !== 'shop')
      nodes.push(
        F(
          [...base, 'labels'],
          "the node label role: shop is gone; the shop's nodeSelector uses it",
          '노드 레이블 role: shop이 사라졌습니다. 쇼핑몰의 nodeSelector가 이 레이블을 씁니다',
        ),
      );
  }
  const sv: B[] = [];
  if (svc) {
    const sel = labelsAt(svc, ['spec', 'selector']);
    if (sel['app.kubernetes.io/name'] !== 'frontend' || Object.keys(sel).length !== 1)
      sv.push(
        m(
          `${svc.where(['spec', 'selector'])}: 셀렉터가 바뀌었습니다 (원래 app.kubernetes.io/name: frontend)`,
          `${svc.where(['spec', 'selector'])}: the selector changed (it was app.kubernetes.io/name: frontend)`,
        ),
      );
    const ports = svc.get(['spec', 'ports']);
    const ok = Array.isArray(ports) && ports.some((p) => isObj(p) && p.port === 80 && (p.targetPort === 'http' || p.targetPort === 8080));
    if (!ok)
      sv.push(
        m(
          `${svc.where(['spec', 'ports'])}: 포트 80에서 frontend의 http(8080)로 가는 포트가 사라졌습니다`,
          `${svc.where(['spec', 'ports'])}: port 80 to frontend's http (8080) is gone`,
        ),
      );
    if (svc.get(['spec', 'loadBalancerClass']) !== LBC_CLASS)
      sv.push(
        m(
          `${svc.where(['spec'])}: loadBalancerClass ${LBC_CLASS}가 사라져 AWS Load Balancer Controller가 아닌 다른 것이 이 Service를 맡을 수 있습니다`,
          `${svc.where(['spec'])}: loadBalancerClass ${LBC_CLASS} is gone, so something other than the AWS Load Balancer Controller may take the Service`,
        ),
      );
    if (svc.get(['metadata', 'annotations', A + 'aws-load-balancer-nlb-target-type']) !== 'ip')
      sv.push(
        m(
          `${svc.where(['metadata', 'annotations'])}: nlb-target-type ip가 사라졌습니다(NLB가 Pod IP로 바로 보냅니다)`,
          `${svc.where(['metadata', 'annotations'])}: nlb-target-type ip is gone (the NLB sends straight to the pods' IPs)`,
        ),
      );
  } else sv.push(m(`${SERVICE_FILE}: Service frontend가 없습니다`, `${SERVICE_FILE}: no Service frontend`));
  const note = refusedNote(md);
  if (note) {
    // Nothing of cluster.yaml exists: its two parts fail once, with the note.
    const svcOk = sv.length === 0;
    return { id: 'rest-intact', points: svcOk ? 1 : 0, passed: false, message: svcOk ? note : joinB([note, ...sv]) };
  }
  return partial('rest-intact', 3, [part(cl.length === 0, say(c, cl)), part(nodes.length === 0, say(c, nodes)), part(sv.length === 0, joinB(sv))]);
}

// ---------------------------------------------------------------------------------------------------------------

export async function grade(sub: Submission, ctx?: GradeContext): Promise<GraderVerdict> {
  const md = load(sub);
  const { checks, report } = reporter(ctx);
  report(checkSchema(md));
  for (const v of checkNodes(md)) report(v);
  report(checkPodIdentity(md));
  report(checkAccessEntry(md));
  report(checkLoadBalancer(md));
  report(checkRestIntact(md));
  return { gradable: true, checks };
}
