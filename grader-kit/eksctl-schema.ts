/**
 * The schema an eksctl ClusterConfig is validated against (week 6's labs): eksctl's own (eksctl-schema.json, closed against unknown fields as
 * eksctl's strict loader is, with its types and enums), plus the formats AWS itself requires of the values this lab
 * reads (a region, a quoted minor version, vpc-/subnet- ids, IPv4 ranges, policy ARNs, an authentication mode), so a
 * value eksctl would pass on to AWS only to be refused there is caught here, with a readable hint.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import eksctlSchema from './eksctl-schema.json';

type Schema = Record<string, unknown>;

interface Extra {
  /** Definition and property the constraint applies to; `[]` after the property means its array items. */
  def: string;
  prop: string;
  items?: boolean;
  add: Schema;
}

const REGION = '^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$';
const IPV4_CIDR = '^([0-9]{1,3}\\.){3}[0-9]{1,3}/[0-9]{1,2}$';
const POLICY_ARN = '^arn:aws(-cn|-us-gov)?:iam::(aws|[0-9]{12}):policy/.+$';
const hint = (en: string, ko: string) => ({ 'x-hint-en': en, 'x-hint-ko': ko });

export const EXTRAS: readonly Extra[] = [
  {
    def: 'ClusterMeta',
    prop: 'name',
    add: {
      pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,99}$',
      ...hint('1 to 100 letters, digits and hyphens, starting with a letter or digit', '글자, 숫자, 하이픈 1~100자, 글자나 숫자로 시작'),
    },
  },
  { def: 'ClusterMeta', prop: 'region', add: { pattern: REGION, ...hint('an AWS region such as ap-northeast-2', 'ap-northeast-2 같은 AWS 리전') } },
  {
    def: 'ClusterMeta',
    prop: 'version',
    add: { pattern: '^[0-9]+\\.[0-9]+$', ...hint('a minor version in quotes, such as "1.35"', '"1.35"처럼 따옴표로 감싼 마이너 버전') },
  },
  {
    def: 'ClusterVPC',
    prop: 'id',
    add: { pattern: '^vpc-([0-9a-f]{8}|[0-9a-f]{17})$', ...hint('a VPC id such as vpc-0123456789abcdef0', 'vpc-0123456789abcdef0 같은 VPC ID') },
  },
  { def: 'ClusterVPC', prop: 'cidr', add: { pattern: IPV4_CIDR, ...hint('an IPv4 CIDR block such as 10.0.0.0/16', '10.0.0.0/16 같은 IPv4 CIDR 블록') } },
  {
    def: 'AZSubnetSpec',
    prop: 'id',
    add: { pattern: '^subnet-([0-9a-f]{8}|[0-9a-f]{17})$', ...hint('a subnet id such as subnet-0123456789abcdef0', 'subnet-0123456789abcdef0 같은 서브넷 ID') },
  },
  {
    def: 'AZSubnetSpec',
    prop: 'az',
    add: {
      pattern: '^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+[a-z]$',
      ...hint('an availability zone such as ap-northeast-2a', 'ap-northeast-2a 같은 가용 영역'),
    },
  },
  { def: 'AZSubnetSpec', prop: 'cidr', add: { pattern: IPV4_CIDR, ...hint('an IPv4 CIDR block such as 10.0.10.0/24', '10.0.10.0/24 같은 IPv4 CIDR 블록') } },
  ...(
    [
      'ClusterIAMServiceAccount:attachPolicyARNs',
      'PodIdentityAssociation:permissionPolicyARNs',
      'NodeGroupIAM:attachPolicyARNs',
      'Addon:attachPolicyARNs',
    ] as const
  ).map((k): Extra => {
    const [def, prop] = k.split(':') as [string, string];
    return {
      def,
      prop,
      items: true,
      add: {
        pattern: POLICY_ARN,
        ...hint('an IAM policy ARN such as arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess 같은 IAM 정책 ARN'),
      },
    };
  }),
  { def: 'AccessConfig', prop: 'authenticationMode', add: { enum: ['API', 'API_AND_CONFIG_MAP', 'CONFIG_MAP'] } },
];

/** eksctl's schema with the lab's formats added (each where the property is, next to eksctl's own constraint). */
export function labSchema(): Schema {
  const s = structuredClone(eksctlSchema) as unknown as { definitions: Record<string, Schema & { properties?: Record<string, Schema> }> };
  for (const e of EXTRAS) {
    const props = s.definitions[e.def]?.properties;
    const target = props?.[e.prop];
    if (!props || !target) throw new Error(`eksctl's schema has no ${e.def}.${e.prop}: regenerate eksctl-schema.json or update EXTRAS`);
    if (e.items) {
      const items = target.items as Schema | undefined;
      if (!items) throw new Error(`${e.def}.${e.prop} is not a list in eksctl's schema`);
      target.items = { allOf: [items, e.add] };
    } else props[e.prop] = { allOf: [target, e.add] };
  }
  return s as unknown as Schema;
}

let compiled: ValidateFunction | undefined;

/** Compiles the schema once (the grader's warmup does it before the submission arrives). */
export function schemaValidator(): ValidateFunction {
  if (!compiled) {
    // strict: false because eksctl's schema carries its own keywords (default values written as strings, "{}").
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
    compiled = ajv.compile(labSchema());
  }
  return compiled;
}

/** Where eksctl-schema.json comes from (its $comment). */
export const SCHEMA_SOURCE = String((eksctlSchema as { $comment?: string }).$comment ?? 'eksctl');
