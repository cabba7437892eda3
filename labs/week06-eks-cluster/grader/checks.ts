/**
 * Week 6 grader: an eksctl ClusterConfig (eksctl.io/v1alpha5) read statically. The file is read as eksctl reads it
 * (YAML 1.1 like Go's yaml.v2, merge keys, null meaning "not set") and validated with ajv against eksctl's own JSON
 * schema (schema.ts: closed against unknown fields as eksctl's strict loader is), then checked the way a reviewer
 * would before `eksctl create cluster -f cluster.yaml`: a Kubernetes version in EKS standard support, managed node
 * groups sized sensibly, every node in private subnets, the cluster placed in week 1's VPC, workload identity (IRSA or
 * EKS Pod Identity) with least-privilege permissions judged by what the policies grant (policy.ts), and
 * control-plane logging. Nothing is created.
 */
import { partial, pass, fail, type CheckVerdict, type GraderVerdict, type Submission } from '../../../grader-kit/index';
import { contains, overlaps, parseCidr, type Cidr } from '../../../grader-kit/cidr';
import { broadManagedPolicy, judgePolicyDocument } from '../../../grader-kit/iam-policy';
import { schemaValidator } from '../../../grader-kit/eksctl-schema';
import { Config, loadClusterConfig, say, schemaFindings, type Finding } from '../../../grader-kit/eksctl-config';
import { STANDARD_SUPPORT, STANDARD_SUPPORT_ENDED, CHECKED_ON } from './versions';
import { get, isObj, type Json, type Obj, type PathPart } from '../../../grader-kit/yamldocs';

export { schemaValidator };

export const FILE = 'cluster.yaml';
/** Week 1's VPC. */
export const WEEK1_VPC = '10.0.0.0/16';
const WEEK1 = parseCidr(WEEK1_VPC)!;
const POD_IDENTITY_AGENT = 'eks-pod-identity-agent';

export function load(sub: Submission): Config {
  return loadClusterConfig(sub, FILE);
}

function checkSchema(c: Config): CheckVerdict {
  const findings = schemaFindings(c, STANDARD_SUPPORT);
  return findings.length ? fail('schema', say(c, findings)) : pass('schema', 2);
}

// ---------------------------------------------------------------------------------------------------------------
// The other checks

function checkVersion(c: Config): CheckVerdict {
  const v = c.get(['metadata', 'version']);
  const path: PathPart[] = ['metadata', 'version'];
  const accepted = STANDARD_SUPPORT.join(', ');
  if (v === undefined) {
    return fail(
      'version',
      say(c, [
        {
          path: ['metadata'],
          en: `metadata.version is not set, so eksctl picks its own default, which changes from one eksctl release to the next; pin one of ${accepted}`,
          ko: `metadata.version이 없어 eksctl이 자기 기본값을 고릅니다. 기본값은 eksctl 릴리스마다 바뀌니 ${accepted} 중 하나로 고정하세요`,
        },
      ]),
    );
  }
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : null;
  if (text !== null && STANDARD_SUPPORT.includes(text) && typeof v === 'string') return pass('version', 1);
  // An unquoted 1.35 names a supported version; that eksctl refuses it unquoted is the schema check's business.
  if (typeof v === 'number' && text !== null && STANDARD_SUPPORT.includes(text)) {
    return pass('version', 1, {
      en: `${c.where(path)}: ${text} is in EKS standard support, but write it in quotes ("${text}"): eksctl refuses a number there`,
      ko: `${c.where(path)}: ${text}는 EKS 표준 지원 버전이지만 따옴표로 감싸세요("${text}"). eksctl은 숫자를 받지 않습니다`,
    });
  }
  if (typeof v === 'number') {
    return fail(
      'version',
      say(c, [
        {
          path,
          en: `the version is the number ${String(v)}, not a version string: YAML drops trailing zeros (1.30 becomes 1.3), so quote it and pick one of ${accepted}`,
          ko: `version이 버전 문자열이 아니라 숫자 ${String(v)}입니다. YAML은 끝자리 0을 버리므로(1.30은 1.3) 따옴표로 감싸고 ${accepted} 중 하나를 고르세요`,
        },
      ]),
    );
  }
  if (text && STANDARD_SUPPORT_ENDED[text]) {
    const ended = STANDARD_SUPPORT_ENDED[text]!;
    const past = ended < CHECKED_ON;
    return fail(
      'version',
      say(c, [
        {
          path,
          en: past
            ? `Kubernetes ${text} left EKS standard support on ${ended}; it now costs extra (extended support) and will be upgraded for you. Use ${accepted}`
            : `Kubernetes ${text} leaves EKS standard support on ${ended}, within days; start a new cluster on ${accepted}`,
          ko: past
            ? `쿠버네티스 ${text}는 ${ended}에 EKS 표준 지원이 끝났습니다. 이제 추가 요금(연장 지원)이 들고 자동 업그레이드됩니다. ${accepted} 중 하나를 쓰세요`
            : `쿠버네티스 ${text}는 ${ended}에 EKS 표준 지원이 끝납니다(며칠 남지 않았습니다). 새 클러스터는 ${accepted} 중 하나로 시작하세요`,
        },
      ]),
    );
  }
  const m = text ? /^1\.(\d+)$/.exec(text) : null;
  if (m && Number(m[1]) < 28) {
    return fail(
      'version',
      say(c, [
        {
          path,
          en: `Kubernetes ${text} is no longer offered by EKS at all; use ${accepted}`,
          ko: `쿠버네티스 ${text}는 EKS에서 더 이상 제공하지 않습니다. ${accepted} 중 하나를 쓰세요`,
        },
      ]),
    );
  }
  return fail(
    'version',
    say(c, [
      {
        path,
        en: `"${String(v)}" is not a Kubernetes version in EKS standard support (${CHECKED_ON}: ${accepted})`,
        ko: `"${String(v)}"는 EKS 표준 지원 중인 쿠버네티스 버전이 아닙니다 (${CHECKED_ON} 기준: ${accepted})`,
      },
    ]),
  );
}

const isInt = (x: Json | undefined): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

function managedGroups(c: Config): { g: Obj; i: number; name: string }[] {
  const mngs = c.get(['managedNodeGroups']);
  if (!Array.isArray(mngs)) return [];
  return mngs.flatMap((g, i) => (isObj(g) ? [{ g, i, name: typeof g.name === 'string' ? g.name : `#${i}` }] : []));
}

function noGroups(c: Config, id: string): CheckVerdict {
  const self = Array.isArray(c.get(['nodeGroups'])) && (c.get(['nodeGroups']) as Json[]).length > 0;
  return fail(
    id,
    say(c, [
      self
        ? {
            path: ['nodeGroups'],
            en: 'only self-managed nodeGroups are defined; this lab asks for managedNodeGroups, which EKS creates, drains and updates for you',
            ko: '자체 관리형 nodeGroups만 있습니다. 이 실습은 EKS가 생성·드레인·업데이트를 맡는 managedNodeGroups를 요구합니다',
          }
        : {
            path: [],
            en: 'there is no managedNodeGroups entry, so the cluster would have no nodes to run pods on',
            ko: 'managedNodeGroups 항목이 없어 파드를 실행할 노드가 없습니다',
          },
    ]),
  );
}

function checkNodeGroups(c: Config): CheckVerdict {
  const groups = managedGroups(c);
  if (!groups.length) return noGroups(c, 'node-groups');
  const order: Finding[] = [];
  const room: Finding[] = [];
  for (const { g, i, name } of groups) {
    const base: PathPart[] = ['managedNodeGroups', i];
    const missing = (['minSize', 'desiredCapacity', 'maxSize'] as const).filter((k) => !isInt(g[k]));
    if (missing.length) {
      order.push({
        path: base,
        en: `node group "${name}" does not set ${missing.join(', ')} as whole numbers; write all three so the group's size is not left to defaults`,
        ko: `노드 그룹 "${name}"에 ${missing.join(', ')}가 정수로 적혀 있지 않습니다. 기본값에 맡기지 말고 셋 다 적으세요`,
      });
    } else {
      const [min, desired, max] = [g.minSize as number, g.desiredCapacity as number, g.maxSize as number];
      if (!(min <= desired && desired <= max)) {
        const bad: PathPart[] = min > desired ? [...base, 'minSize'] : [...base, 'maxSize'];
        order.push({
          path: bad,
          en: `node group "${name}": minSize ${min} ≤ desiredCapacity ${desired} ≤ maxSize ${max} does not hold; eksctl refuses it`,
          ko: `노드 그룹 "${name}": minSize ${min} ≤ desiredCapacity ${desired} ≤ maxSize ${max}가 성립하지 않습니다. eksctl이 거부합니다`,
        });
      }
    }
    if (isInt(g.maxSize) && g.maxSize < 2) {
      room.push({
        path: [...base, 'maxSize'],
        en: `node group "${name}" can never have more than ${g.maxSize} node(s); with maxSize 2 or more, losing a node or rolling an update does not take every pod down`,
        ko: `노드 그룹 "${name}"은 노드가 ${g.maxSize}개를 넘을 수 없습니다. maxSize가 2 이상이어야 노드 하나를 잃거나 업데이트할 때 모든 파드가 멈추지 않습니다`,
      });
    } else if (!isInt(g.maxSize)) {
      room.push({
        path: base,
        en: `give node group "${name}" a maxSize of 2 or more, so it has room for a second node`,
        ko: `노드 그룹 "${name}"에 2 이상의 maxSize를 주어 두 번째 노드가 들어갈 자리를 만드세요`,
      });
    }
  }
  return partial('node-groups', 2, [
    { ok: order.length === 0, message: say(c, order) },
    { ok: room.length === 0, message: say(c, room) },
  ]);
}

interface SubnetRef {
  key: string;
  spec: Obj;
  az: string | null;
  cidr: Cidr | null;
  path: PathPart[];
}

const AZ_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+[a-z]$/;

function subnets(c: Config, kind: 'private' | 'public'): SubnetRef[] {
  const m = c.get(['vpc', 'subnets', kind]);
  if (!isObj(m)) return [];
  return Object.entries(m).map(([key, spec]) => {
    const s = isObj(spec) ? spec : {};
    const az = typeof s.az === 'string' ? s.az : AZ_RE.test(key) ? key : null;
    return { key, spec: s, az, cidr: parseCidr(s.cidr), path: ['vpc', 'subnets', kind, key] };
  });
}

/** Managed and self-managed node groups: nodes from either land in public subnets unless told otherwise. */
function allGroups(c: Config): { g: Obj; i: number; name: string; kind: 'managedNodeGroups' | 'nodeGroups' }[] {
  return (['managedNodeGroups', 'nodeGroups'] as const).flatMap((kind) => {
    const list = c.get([kind]);
    return Array.isArray(list) ? list.flatMap((g, i) => (isObj(g) ? [{ g, i, name: typeof g.name === 'string' ? g.name : `#${i}`, kind }] : [])) : [];
  });
}

function checkPrivateNodes(c: Config): CheckVerdict {
  if (!managedGroups(c).length) return noGroups(c, 'private-nodes');
  const priv = subnets(c, 'private');
  const privNames = new Set(priv.flatMap((s) => [s.key, ...(typeof s.spec.id === 'string' ? [s.spec.id] : [])]));
  const privZones = new Set(priv.map((s) => s.az).filter((z): z is string => z !== null));
  const findings: Finding[] = [];
  for (const { g, i, name, kind } of allGroups(c)) {
    const base: PathPart[] = [kind, i];
    const what = kind === 'nodeGroups' ? { en: 'self-managed node group', ko: '자체 관리형 노드 그룹' } : { en: 'node group', ko: '노드 그룹' };
    if (g.privateNetworking !== true) {
      findings.push({
        path: g.privateNetworking === undefined ? base : [...base, 'privateNetworking'],
        en: `${what.en} "${name}" ${g.privateNetworking === undefined ? 'does not set privateNetworking: true, so' : 'sets privateNetworking to false, so'} its nodes go into public subnets with public IP addresses`,
        ko: `${what.ko} "${name}"${g.privateNetworking === undefined ? '에 privateNetworking: true가 없어' : '의 privateNetworking이 false여서'} 노드가 공인 IP를 받고 공개 서브넷에 놓입니다`,
      });
    }
    if (Array.isArray(g.subnets)) {
      g.subnets.forEach((s, j) => {
        if (typeof s !== 'string' || !privNames.has(s)) {
          findings.push({
            path: [...base, 'subnets', j],
            en: `${what.en} "${name}" is placed in subnet ${JSON.stringify(s)}, which is not one of vpc.subnets.private (by name or id)`,
            ko: `${what.ko} "${name}"이 서브넷 ${JSON.stringify(s)}에 놓이는데, 이는 vpc.subnets.private에 (이름이나 ID로) 없는 서브넷입니다`,
          });
        }
      });
    }
    if (Array.isArray(g.availabilityZones) && privZones.size > 0) {
      g.availabilityZones.forEach((z, j) => {
        if (typeof z === 'string' && !privZones.has(z)) {
          findings.push({
            path: [...base, 'availabilityZones', j],
            en: `${what.en} "${name}" asks for zone ${z}, where vpc.subnets.private has no subnet, so its nodes cannot be private there`,
            ko: `${what.ko} "${name}"이 가용 영역 ${z}를 쓰는데, vpc.subnets.private에는 그 영역의 서브넷이 없어 노드가 사설 서브넷에 놓일 수 없습니다`,
          });
        }
      });
    }
  }
  return findings.length ? fail('private-nodes', say(c, findings)) : pass('private-nodes', 2);
}

function checkVpc(c: Config): CheckVerdict {
  const region = c.get(['metadata', 'region']);
  const priv = subnets(c, 'private');
  const pub = subnets(c, 'public');
  const vpcId = c.get(['vpc', 'id']);
  const noPrivate: Finding = {
    path: isObj(c.get(['vpc'])) ? ['vpc'] : [],
    en: "vpc.subnets.private lists no subnets, so eksctl would create a new VPC instead of using week 1's",
    ko: 'vpc.subnets.private에 서브넷이 없어 eksctl이 1주차 VPC 대신 새 VPC를 만듭니다',
  };

  if (!priv.length) {
    const more: Finding[] = [];
    const azs = c.get(['availabilityZones']);
    if (Array.isArray(azs) && azs.length)
      more.push({
        path: ['availabilityZones'],
        en: "availabilityZones only chooses the zones of that new VPC; to use week 1's VPC, list its private subnets under vpc.subnets.private",
        ko: 'availabilityZones는 그 새 VPC의 가용 영역을 고를 뿐입니다. 1주차 VPC를 쓰려면 vpc.subnets.private에 그 사설 서브넷을 적으세요',
      });
    const vpcCidr = c.get(['vpc', 'cidr']);
    if (vpcCidr !== undefined && String(vpcCidr) !== WEEK1_VPC)
      more.push({
        path: ['vpc', 'cidr'],
        en: `and its range ${JSON.stringify(vpcCidr)} is not week 1's ${WEEK1_VPC}`,
        ko: `그 대역 ${JSON.stringify(vpcCidr)}도 1주차의 ${WEEK1_VPC}가 아닙니다`,
      });
    return fail('vpc-subnets', say(c, [noPrivate, ...more]));
  }

  // (a) two availability zones of the cluster's region
  const azFindings: Finding[] = [];
  for (const s of priv) {
    if (!s.az)
      azFindings.push({
        path: s.path,
        en: `private subnet "${s.key}" names no availability zone (use the zone as its key, or set az)`,
        ko: `사설 서브넷 "${s.key}"에 가용 영역이 없습니다 (가용 영역 이름을 키로 쓰거나 az를 적으세요)`,
      });
    else if (typeof region === 'string' && !(s.az.startsWith(region) && /^[a-z]$/.test(s.az.slice(region.length)))) {
      azFindings.push({
        path: typeof s.spec.az === 'string' ? [...s.path, 'az'] : s.path,
        en: `availability zone ${s.az} is not in the cluster's region ${region}`,
        ko: `가용 영역 ${s.az}가 클러스터 리전 ${region}에 속하지 않습니다`,
      });
    }
  }
  const zones = new Set(priv.map((s) => s.az).filter((z): z is string => z !== null));
  if (zones.size < 2) {
    azFindings.push({
      path: ['vpc', 'subnets', 'private'],
      en: `the private subnets are all in ${[...zones][0] ?? 'one zone'}; EKS needs subnets in at least two availability zones, and the nodes survive a zone failure only when spread over two`,
      ko: `사설 서브넷이 모두 ${[...zones][0] ?? '한 가용 영역'}에 있습니다. EKS는 두 개 이상의 가용 영역에 서브넷이 있어야 하고, 노드도 두 영역에 퍼져 있어야 한 영역 장애를 견딥니다`,
    });
  }

  // (b) existing subnets: by id, or by cidr/az inside an existing VPC given by id
  const existing: Finding[] = [];
  for (const s of priv) {
    const hasId = typeof s.spec.id === 'string' && /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/.test(s.spec.id);
    if (!hasId && typeof vpcId !== 'string') {
      existing.push({
        path: s.path,
        en: `private subnet "${s.key}" has no subnet id and vpc.id is not set, so eksctl cannot find week 1's subnet; give its id (terraform output) or vpc.id`,
        ko: `사설 서브넷 "${s.key}"에 서브넷 ID가 없고 vpc.id도 없어 eksctl이 1주차 서브넷을 찾을 수 없습니다. 서브넷 ID(terraform output)나 vpc.id를 적으세요`,
      });
    }
  }
  const vpcCidrText = c.get(['vpc', 'cidr']);
  if (vpcCidrText !== undefined && String(vpcCidrText) !== WEEK1_VPC) {
    existing.push({
      path: ['vpc', 'cidr'],
      en: `vpc.cidr is ${JSON.stringify(vpcCidrText)}; week 1's VPC is ${WEEK1_VPC} (leave vpc.cidr out when you use existing subnets)`,
      ko: `vpc.cidr가 ${JSON.stringify(vpcCidrText)}입니다. 1주차 VPC는 ${WEEK1_VPC}입니다 (기존 서브넷을 쓸 때는 vpc.cidr를 생략하세요)`,
    });
  }

  // (c) the CIDRs: inside week 1's VPC, network addresses, no overlap with each other or the public subnets
  const ranges: Finding[] = [];
  for (const s of priv) {
    const p: PathPart[] = [...s.path, 'cidr'];
    if (s.spec.cidr === undefined)
      ranges.push({
        path: s.path,
        en: `private subnet "${s.key}" has no cidr; write the subnet's range (from week 1) so it can be checked against the VPC`,
        ko: `사설 서브넷 "${s.key}"에 cidr가 없습니다. VPC와 대조할 수 있도록 1주차 서브넷 대역을 적으세요`,
      });
    else if (!s.cidr)
      ranges.push({
        path: p,
        en: `${JSON.stringify(s.spec.cidr)} is not an IPv4 CIDR block`,
        ko: `${JSON.stringify(s.spec.cidr)}는 IPv4 CIDR 블록이 아닙니다`,
      });
    else if (s.cidr.hostBits)
      ranges.push({
        path: p,
        en: `${String(s.spec.cidr)} has host bits set; a subnet's range starts at its network address`,
        ko: `${String(s.spec.cidr)}에 호스트 비트가 켜져 있습니다. 서브넷 대역은 네트워크 주소로 시작합니다`,
      });
    else if (!contains(WEEK1, s.cidr))
      ranges.push({
        path: p,
        en: `${String(s.spec.cidr)} is not inside week 1's VPC ${WEEK1_VPC}`,
        ko: `${String(s.spec.cidr)}가 1주차 VPC ${WEEK1_VPC} 안에 있지 않습니다`,
      });
  }
  const all = [...priv, ...pub];
  // Private against private and public; public-public overlaps are not this lab's business.
  for (let i = 0; i < priv.length; i++)
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i]!;
      const b = all[j]!;
      if (a.cidr && b.cidr && overlaps(a.cidr, b.cidr)) {
        ranges.push({
          path: [...b.path, 'cidr'],
          en: `${String(b.spec.cidr)} ("${b.key}") overlaps ${String(a.spec.cidr)} ("${a.key}", line ${c.doc.line([...a.path, 'cidr'])}); week 1's subnets never overlap`,
          ko: `${String(b.spec.cidr)}("${b.key}")가 ${String(a.spec.cidr)}("${a.key}", ${c.doc.line([...a.path, 'cidr'])}행)와 겹칩니다. 1주차 서브넷은 서로 겹치지 않습니다`,
        });
      }
    }
  return partial('vpc-subnets', 3, [
    { ok: azFindings.length === 0, message: say(c, azFindings) },
    { ok: existing.length === 0, message: say(c, existing) },
    { ok: ranges.length === 0, message: say(c, ranges) },
  ]);
}

function hasWellKnown(p: Json | undefined): boolean {
  return isObj(p) && Object.values(p).some((v) => v === true);
}

/**
 * What is wrong with the permissions given at `base` (a service account, a Pod Identity association, an addon or a
 * node group's role): managed policies AWS documents as broad, inline policies that grant too much or are not valid.
 */
function judgeGrants(
  base: PathPart[],
  spec: Obj,
  arnsField: string,
  inlineField: string,
  who: { en: string; ko: string; fix?: { en: string; ko: string } },
): Finding[] {
  const fix = who.fix ?? { en: 'attach a policy with only the actions and resources the app needs', ko: '앱에 필요한 동작과 리소스만 담은 정책을 붙이세요' };
  const out: Finding[] = [];
  const arns = spec[arnsField];
  if (Array.isArray(arns)) {
    arns.forEach((a, i) => {
      const broad = typeof a === 'string' ? broadManagedPolicy(a) : null;
      if (broad) {
        out.push({
          path: [...base, arnsField, i],
          en: `${String(a)} ${broad.en}: not least privilege for ${who.en}; ${fix.en}`,
          ko: `${String(a)}는 ${broad.ko}. ${who.ko}에 최소 권한이 아닙니다. ${fix.ko}`,
        });
      }
    });
  }
  if (spec[inlineField] !== undefined) {
    for (const p of judgePolicyDocument(spec[inlineField]!, [...base, inlineField])) {
      out.push(
        p.invalid
          ? { path: p.path, en: `${inlineField} is not a valid IAM policy: ${p.en}`, ko: `${inlineField}가 올바른 IAM 정책이 아닙니다: ${p.ko}` }
          : { path: p.path, en: p.en, ko: p.ko },
      );
    }
  }
  return out;
}

function checkIam(c: Config): CheckVerdict {
  const oidc = c.get(['iam', 'withOIDC']);
  const oidcOk = oidc === true;
  const sas = c.get(['iam', 'serviceAccounts']);
  const pias = c.get(['iam', 'podIdentityAssociations']);
  const identity: Finding[] = [];
  let good = 0;
  const pod = { en: "one pod's service account", ko: '파드 하나의 서비스 계정' };
  if (Array.isArray(sas)) {
    sas.forEach((sa, i) => {
      const base: PathPart[] = ['iam', 'serviceAccounts', i];
      if (!isObj(sa)) return;
      const name = get(sa, ['metadata', 'name']);
      const policy =
        (Array.isArray(sa.attachPolicyARNs) && sa.attachPolicyARNs.length > 0) ||
        isObj(sa.attachPolicy) ||
        typeof sa.attachRoleARN === 'string' ||
        hasWellKnown(sa.wellKnownPolicies);
      if (typeof name !== 'string' || !name)
        identity.push({ path: [...base, 'metadata'], en: 'the service account has no metadata.name', ko: '서비스 계정에 metadata.name이 없습니다' });
      else if (!policy)
        identity.push({
          path: base,
          en: `service account "${name}" gets no permissions: set attachPolicyARNs, attachPolicy, attachRoleARN or wellKnownPolicies`,
          ko: `서비스 계정 "${name}"에 권한이 없습니다. attachPolicyARNs, attachPolicy, attachRoleARN, wellKnownPolicies 중 하나를 적으세요`,
        });
      else {
        const problems = judgeGrants(base, sa, 'attachPolicyARNs', 'attachPolicy', pod);
        if (problems.length) identity.push(...problems);
        else good++;
      }
    });
  }
  if (Array.isArray(pias)) {
    const addons = c.get(['addons']);
    // eksctl refuses Pod Identity associations without the agent addon, except in EKS Auto Mode, which has it built in.
    const agent = (Array.isArray(addons) && addons.some((a) => isObj(a) && a.name === POD_IDENTITY_AGENT)) || c.get(['autoModeConfig', 'enabled']) === true;
    let counted = false;
    pias.forEach((p, i) => {
      const base: PathPart[] = ['iam', 'podIdentityAssociations', i];
      if (!isObj(p)) return;
      const policy =
        typeof p.roleARN === 'string' ||
        (Array.isArray(p.permissionPolicyARNs) && p.permissionPolicyARNs.length > 0) ||
        isObj(p.permissionPolicy) ||
        hasWellKnown(p.wellKnownPolicies);
      if (typeof p.namespace !== 'string' || typeof p.serviceAccountName !== 'string')
        identity.push({
          path: base,
          en: 'a pod identity association needs namespace and serviceAccountName',
          ko: 'Pod Identity 연결에는 namespace와 serviceAccountName이 필요합니다',
        });
      else if (!policy)
        identity.push({
          path: base,
          en: `pod identity association for ${p.namespace}/${p.serviceAccountName} gets no permissions: set permissionPolicyARNs, permissionPolicy, wellKnownPolicies or roleARN`,
          ko: `${p.namespace}/${p.serviceAccountName}의 Pod Identity 연결에 권한이 없습니다. permissionPolicyARNs, permissionPolicy, wellKnownPolicies, roleARN 중 하나를 적으세요`,
        });
      else {
        const problems = judgeGrants(base, p, 'permissionPolicyARNs', 'permissionPolicy', pod);
        if (problems.length) identity.push(...problems);
        else if (!agent) {
          if (!counted)
            identity.push({
              path: Array.isArray(addons) ? ['addons'] : base,
              en: `pod identity associations need the "${POD_IDENTITY_AGENT}" addon in addons; eksctl refuses them without it`,
              ko: `Pod Identity 연결에는 addons에 "${POD_IDENTITY_AGENT}" 애드온이 있어야 합니다. 없으면 eksctl이 거부합니다`,
            });
          counted = true;
        } else good++;
      }
    });
  }
  // Other pods' permissions: an addon's service account, and the node role, which every pod on the node can reach.
  const addons = c.get(['addons']);
  if (Array.isArray(addons)) {
    addons.forEach((a, i) => {
      if (!isObj(a)) return;
      const who = {
        en: `the ${typeof a.name === 'string' ? a.name : 'addon'} addon's service account`,
        ko: `${typeof a.name === 'string' ? a.name : '애드온'} 애드온의 서비스 계정`,
      };
      identity.push(...judgeGrants(['addons', i], a, 'attachPolicyARNs', 'attachPolicy', who));
      if (Array.isArray(a.podIdentityAssociations))
        a.podIdentityAssociations.forEach(
          (p, j) => isObj(p) && identity.push(...judgeGrants(['addons', i, 'podIdentityAssociations', j], p, 'permissionPolicyARNs', 'permissionPolicy', who)),
        );
    });
  }
  for (const { g, i, kind } of allGroups(c)) {
    if (isObj(g.iam))
      identity.push(
        ...judgeGrants([kind, i, 'iam'], g.iam, 'attachPolicyARNs', 'attachPolicy', {
          en: 'the node role, which every pod on those nodes can use',
          ko: '노드 역할(그 노드의 모든 파드가 쓸 수 있음)',
          fix: {
            en: 'keep the node role to the EKS node policies, and give the app its permissions through IRSA or Pod Identity',
            ko: '노드 역할에는 EKS 노드 정책만 두고, 앱의 권한은 IRSA나 Pod Identity로 주세요',
          },
        }),
      );
  }
  if (!identity.length && good === 0) {
    identity.push({
      path: isObj(c.get(['iam'])) ? ['iam'] : [],
      en: 'no pod gets AWS permissions of its own: add an IRSA service account (iam.serviceAccounts) or an EKS Pod Identity association (iam.podIdentityAssociations) with a policy',
      ko: '자기 AWS 권한을 받는 파드가 없습니다. 정책이 붙은 IRSA 서비스 계정(iam.serviceAccounts)이나 EKS Pod Identity 연결(iam.podIdentityAssociations)을 추가하세요',
    });
  }
  const sasNeedOidc = Array.isArray(sas) && sas.length > 0;
  return partial('iam', 2, [
    {
      ok: oidcOk,
      message: say(c, [
        {
          path: oidc === undefined ? (isObj(c.get(['iam'])) ? ['iam'] : []) : ['iam', 'withOIDC'],
          en:
            sasNeedOidc || !Array.isArray(pias)
              ? `iam.withOIDC is ${oidc === undefined ? 'not set' : JSON.stringify(oidc)}: without the cluster's OIDC provider, IAM cannot trust the cluster's service account tokens${sasNeedOidc ? ', and eksctl refuses iam.serviceAccounts' : ''}`
              : `iam.withOIDC is ${oidc === undefined ? 'not set' : JSON.stringify(oidc)}: EKS Pod Identity works without it, but this lab asks for the cluster's OIDC provider too, which IRSA and add-ons that use IRSA need`,
          ko:
            sasNeedOidc || !Array.isArray(pias)
              ? `iam.withOIDC가 ${oidc === undefined ? '없습니다' : `${JSON.stringify(oidc)}입니다`}. 클러스터의 OIDC 공급자가 없으면 IAM이 클러스터의 서비스 계정 토큰을 신뢰할 수 없습니다${sasNeedOidc ? '. eksctl도 iam.serviceAccounts를 거부합니다' : ''}`
              : `iam.withOIDC가 ${oidc === undefined ? '없습니다' : `${JSON.stringify(oidc)}입니다`}. EKS Pod Identity는 OIDC 없이도 동작하지만, 이 실습은 IRSA와 IRSA를 쓰는 애드온에 필요한 클러스터의 OIDC 공급자도 요구합니다`,
        },
      ]),
    },
    { ok: identity.length === 0 && good > 0, message: say(c, identity) },
  ]);
}

function checkLogging(c: Config): CheckVerdict {
  const types = c.get(['cloudWatch', 'clusterLogging', 'enableTypes']);
  const list = Array.isArray(types) ? types.filter((t): t is string => typeof t === 'string') : [];
  if (list.includes('*') || list.includes('all')) return pass('logging', 1);
  const missing = ['api', 'audit'].filter((t) => !list.includes(t));
  if (!missing.length) return pass('logging', 1);
  const path: PathPart[] = types !== undefined ? ['cloudWatch', 'clusterLogging', 'enableTypes'] : isObj(c.get(['cloudWatch'])) ? ['cloudWatch'] : [];
  return fail(
    'logging',
    say(c, [
      {
        path,
        en: `control-plane logging ${types === undefined ? 'is off' : `sends ${list.length ? list.join(', ') : 'nothing'}`}; enable at least ${missing.join(' and ')} in cloudWatch.clusterLogging.enableTypes so you can see who called the API server and what it answered`,
        ko: `컨트롤 플레인 로그가 ${types === undefined ? '꺼져 있습니다' : `${list.length ? list.join(', ') : '아무것도'}만 보냅니다`}. 누가 API 서버를 호출했고 어떤 응답을 받았는지 보려면 cloudWatch.clusterLogging.enableTypes에 최소한 ${missing.join(', ')}를 켜세요`,
      },
    ]),
  );
}

export async function grade(sub: Submission): Promise<GraderVerdict> {
  const c = load(sub);
  const checks = [checkSchema(c), checkVersion(c), checkNodeGroups(c), checkPrivateNodes(c), checkVpc(c), checkIam(c), checkLogging(c)];
  return { gradable: true, checks };
}
