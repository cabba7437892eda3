/**
 * For the labs that read IAM policies in eksctl configs (week 6's): judging IAM permissions the way a reviewer does: by what a policy lets its holder do, not by how it is written.
 *
 * An inline policy document (eksctl's attachPolicy / permissionPolicy) is read statement by statement: `Action` and
 * `Resource` may be a string or a list, `Statement` an object or a list, and a `Deny` with `NotAction` on every
 * resource limits what the `Allow` statements can grant. A managed policy given by ARN is judged by what AWS
 * documents it to grant (AdministratorAccess, PowerUserAccess, the `...FullAccess` service policies, the job-function
 * policies); a customer managed policy (an ARN with an account id) cannot be seen and is taken as written for the app.
 *
 * Too broad for one pod's service account:
 *  - every action: `*`, `*:*`, any pattern whose service part is a wildcard, or `NotAction` with Effect Allow on every
 *    resource ("everything except ...");
 *  - every action of a service on every resource: `s3:*` with `Resource: "*"` (or NotResource);
 *  - IAM or STS actions that let the pod widen its own permissions: `iam:*`, `iam:PassRole`, `iam:Put*Policy`,
 *    `iam:Attach*Policy`, `iam:CreatePolicyVersion`, ..., and `sts:AssumeRole` on every resource.
 * Named actions (`s3:GetObject`) and action prefixes (`s3:Get*`) are scoped enough, even on `Resource: "*"`.
 */
import type { Json, PathPart } from './yamldocs';
import { isObj } from './yamldocs';

export interface PolicyProblem {
  /** Path inside the policy document (or [] for an ARN). */
  path: PathPart[];
  en: string;
  ko: string;
  /** True when the document is not a valid IAM policy at all (IAM or eksctl would refuse it). */
  invalid?: boolean;
}

/** Actions that let a principal give itself (or a role it passes) more permissions. */
const ESCALATION = [
  'iam:passrole',
  'iam:createpolicyversion',
  'iam:setdefaultpolicyversion',
  'iam:attachrolepolicy',
  'iam:attachuserpolicy',
  'iam:attachgrouppolicy',
  'iam:putrolepolicy',
  'iam:putuserpolicy',
  'iam:putgrouppolicy',
  'iam:createrole',
  'iam:updateassumerolepolicy',
  'iam:createaccesskey',
  'iam:createloginprofile',
  'iam:updateloginprofile',
  'iam:addusertogroup',
  'iam:createuser',
  'iam:putrolepermissionsboundary',
  'iam:deleterolepermissionsboundary',
];

/** IAM's wildcard match on action names: `*` any run, `?` one character, case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .toLowerCase()
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(action.toLowerCase());
}

const strings = (v: Json | undefined): string[] | null =>
  typeof v === 'string' ? [v] : Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;

/** Every action of every service: `*`, `*:*`, `*:Get*`, ... */
const everyService = (a: string) => a.trim() === '*' || /^\*/.test(a.trim()) || /^[^:]*\*[^:]*:/.test(a.trim());

interface Statement {
  index: number;
  path: PathPart[];
  effect: 'Allow' | 'Deny';
  actions: string[] | null;
  notActions: string[] | null;
  resources: string[] | null;
  notResources: string[] | null;
  conditional: boolean;
}

function statements(doc: Json, base: PathPart[]): { list: Statement[]; problems: PolicyProblem[] } {
  const problems: PolicyProblem[] = [];
  if (!isObj(doc))
    return {
      list: [],
      problems: [
        { path: base, en: 'the policy is not a mapping with Version and Statement', ko: '정책이 Version과 Statement를 담은 매핑이 아닙니다', invalid: true },
      ],
    };
  const raw = doc.Statement;
  const items = Array.isArray(raw) ? raw : isObj(raw) ? [raw] : null;
  const stPath = (i: number): PathPart[] => (Array.isArray(raw) ? [...base, 'Statement', i] : [...base, 'Statement']);
  if (!items || items.length === 0)
    return {
      list: [],
      problems: [
        {
          path: base,
          en: 'the policy has no Statement, so it grants nothing (IAM refuses an empty policy)',
          ko: '정책에 Statement가 없어 아무 권한도 주지 않습니다 (IAM도 빈 정책을 거부합니다)',
          invalid: true,
        },
      ],
    };
  const list: Statement[] = [];
  items.forEach((s, index) => {
    const path = stPath(index);
    if (!isObj(s)) {
      problems.push({ path, en: 'this statement is not a mapping', ko: '이 Statement가 매핑이 아닙니다', invalid: true });
      return;
    }
    const effect = s.Effect;
    if (effect !== 'Allow' && effect !== 'Deny') {
      problems.push({
        path: [...path, 'Effect'],
        en: `Effect is ${JSON.stringify(effect ?? null)}; IAM accepts only "Allow" or "Deny" (case matters)`,
        ko: `Effect가 ${JSON.stringify(effect ?? null)}입니다. IAM은 "Allow"나 "Deny"만 받습니다 (대소문자 구분)`,
        invalid: true,
      });
      return;
    }
    if (s.Principal !== undefined || s.NotPrincipal !== undefined) {
      problems.push({
        path,
        en: 'a permission policy attached to a role has no Principal (that belongs in a trust policy); IAM refuses it',
        ko: '역할에 붙이는 권한 정책에는 Principal이 없습니다 (Principal은 신뢰 정책에 씁니다). IAM이 거부합니다',
        invalid: true,
      });
      return;
    }
    const actions = strings(s.Action);
    const notActions = strings(s.NotAction);
    const resources = strings(s.Resource);
    const notResources = strings(s.NotResource);
    if ((actions === null) === (notActions === null)) {
      problems.push({
        path,
        en: 'a statement needs exactly one of Action or NotAction (a string or a list of strings)',
        ko: 'Statement에는 Action과 NotAction 중 하나만 있어야 합니다 (문자열 또는 문자열 목록)',
        invalid: true,
      });
      return;
    }
    if ((resources === null) === (notResources === null)) {
      problems.push({
        path,
        en: 'a statement in a permission policy needs exactly one of Resource or NotResource',
        ko: '권한 정책의 Statement에는 Resource와 NotResource 중 하나만 있어야 합니다',
        invalid: true,
      });
      return;
    }
    list.push({ index, path, effect, actions, notActions, resources, notResources, conditional: s.Condition !== undefined });
  });
  return { list, problems };
}

/** `*`, or every resource of a service (`arn:aws:s3:::*`, `arn:aws:dynamodb:*:*:*`). */
const everyResource = (r: string) => r.trim() === '*' || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*(\/\*)?$/.test(r.trim());
const allResources = (s: Statement) => s.notResources !== null || (s.resources ?? []).some(everyResource);

/**
 * The problems with one inline policy document, `base` being its path in cluster.yaml. Empty when the policy is
 * scoped enough for one pod's service account.
 */
export function judgePolicyDocument(doc: Json, base: PathPart[]): PolicyProblem[] {
  const { list, problems } = statements(doc, base);
  if (problems.some((p) => p.invalid)) return problems;
  // An unconditional Deny on every resource limits what any Allow can grant: Deny NotAction [x, y] leaves only x and
  // y; Deny Action "*" leaves nothing.
  let cap: string[] | null = null;
  for (const d of list) {
    if (d.effect !== 'Deny' || d.conditional || !allResources(d)) continue;
    if (d.notActions) cap = cap === null ? d.notActions : cap.filter((a) => d.notActions!.some((n) => actionMatches(n, a)));
    else if (d.actions?.some(everyService)) cap = [];
  }
  const allows = list.filter((s) => s.effect === 'Allow');
  if (allows.length === 0 || (cap !== null && cap.length === 0)) {
    return [
      {
        path: base,
        en: 'the policy allows nothing (no Allow statement survives its Deny statements)',
        ko: '정책이 아무것도 허용하지 않습니다 (Deny를 지나 남는 Allow가 없습니다)',
      },
    ];
  }
  for (const s of allows) {
    const star = allResources(s);
    const where = star
      ? { en: 'on every resource', ko: '모든 리소스에 대해' }
      : { en: `on ${(s.resources ?? []).slice(0, 2).join(', ')}`, ko: `${(s.resources ?? []).slice(0, 2).join(', ')}에 대해` };
    // What this statement can grant once the Deny cap applies: the capped actions it covers.
    const granted = (pattern: string) =>
      cap === null ? [pattern] : [...new Set(cap.flatMap((c) => (actionMatches(c, pattern) ? [pattern] : actionMatches(pattern, c) ? [c] : [])))];
    if (s.notActions) {
      if (cap !== null) {
        const left = cap.filter((c) => !s.notActions!.some((n) => actionMatches(n, c)));
        const bad = left.find((a) => everyService(a) || (star && /:\*$/.test(a)));
        if (bad)
          problems.push({
            path: s.path,
            en: `this statement allows "${bad}" ${where.en} (NotAction with Effect Allow)`,
            ko: `이 Statement는 ${where.ko} "${bad}"를 허용합니다 (Effect Allow와 NotAction)`,
          });
        continue;
      }
      if (star) {
        problems.push({
          path: [...s.path, 'NotAction'],
          en: `NotAction with Effect Allow ${where.en} allows every action except ${s.notActions.slice(0, 3).join(', ')}: that is close to administrator access. Allow the actions the app needs with Action instead`,
          ko: `Effect Allow와 NotAction은 ${where.ko} ${s.notActions.slice(0, 3).join(', ')}를 뺀 모든 동작을 허용합니다. 관리자 권한에 가깝습니다. 앱에 필요한 동작만 Action으로 허용하세요`,
        });
      }
      continue;
    }
    for (const pattern of s.actions!) {
      for (const a of granted(pattern)) {
        const p = a.trim();
        const service = p.split(':')[0]!.toLowerCase();
        if (everyService(p)) {
          problems.push({
            path: [...s.path, 'Action'],
            en: `Action "${p}" with Effect Allow ${where.en} allows every action of every AWS service${star ? ': that is administrator access' : ''}, not least privilege. List the actions the app needs (for example s3:GetObject) on the resources it needs (arn:aws:s3:::<bucket>/*)`,
            ko: `Effect Allow인 Action "${p}"는 ${where.ko} 모든 AWS 서비스의 모든 동작을 허용합니다${star ? '. 관리자 권한과 같습니다' : ''}. 최소 권한이 아닙니다. 앱에 필요한 동작(예: s3:GetObject)만, 필요한 리소스(arn:aws:s3:::<버킷>/*)에만 허용하세요`,
          });
        } else if ((service === 'iam' && ESCALATION.some((e) => actionMatches(p, e))) || (service === 'sts' && star && actionMatches(p, 'sts:assumerole'))) {
          problems.push({
            path: [...s.path, 'Action'],
            en: `Action "${p}" lets the pod give itself or another role more permissions (${service === 'iam' ? 'IAM write actions such as PassRole or Put/AttachRolePolicy' : 'assuming any role'}); a web app's service account never needs that`,
            ko: `Action "${p}"는 파드가 자신이나 다른 역할에 권한을 더 줄 수 있게 합니다(${service === 'iam' ? 'PassRole, Put/AttachRolePolicy 같은 IAM 쓰기 동작' : '아무 역할이나 맡기'}). 웹 앱의 서비스 계정에는 필요 없습니다`,
          });
        } else if (star && /^[^:]+:\*$/.test(p)) {
          problems.push({
            path: [...s.path, 'Action'],
            en: `Action "${p}" on every resource allows every ${service} action on every ${service} resource in the account. Name the actions (such as ${service}:Get*) and the resources the app uses`,
            ko: `모든 리소스에 대한 Action "${p}"는 계정의 모든 ${service} 리소스에 모든 ${service} 동작을 허용합니다. 앱이 쓰는 동작(예: ${service}:Get*)과 리소스를 적으세요`,
          });
        } else continue;
        break;
      }
    }
  }
  return problems;
}

/** What AWS documents a managed policy to grant, when that is too broad for a pod; null when it is scoped or unknown. */
export function broadManagedPolicy(arn: string): { en: string; ko: string } | null {
  const m = /^arn:aws(?:-cn|-us-gov)?:iam::aws:policy\/(.+)$/.exec(arn.trim());
  if (!m) return null;
  const name = m[1]!;
  const base = name.split('/').pop()!;
  if (/^AdministratorAccess/.test(base))
    return { en: 'grants every action on every resource (administrator access)', ko: '모든 리소스에 모든 동작을 허용합니다(관리자 권한)' };
  if (base === 'PowerUserAccess')
    return { en: 'grants every action except IAM and account management on every resource', ko: 'IAM과 계정 관리를 뺀 모든 동작을 모든 리소스에 허용합니다' };
  if (base === 'IAMFullAccess')
    return {
      en: 'grants every IAM action, so the pod can give itself any permission',
      ko: '모든 IAM 동작을 허용해 파드가 스스로 어떤 권한이든 가질 수 있습니다',
    };
  if (base === 'ReadOnlyAccess' || base === 'ViewOnlyAccess')
    return { en: 'reads every service and resource in the account', ko: '계정의 모든 서비스와 리소스를 읽을 수 있습니다' };
  if (name.startsWith('job-function/'))
    return {
      en: 'is a job-function policy for people, granting many services at once',
      ko: '사람을 위한 직무(job-function) 정책으로, 여러 서비스 권한을 한꺼번에 줍니다',
    };
  if (/FullAccess$/.test(base))
    return { en: 'grants every action of its service on every resource of that service', ko: '해당 서비스의 모든 리소스에 그 서비스의 모든 동작을 허용합니다' };
  return null;
}
