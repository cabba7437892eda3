/**
 * The AWS account and VPC as the incident found them (the instructions show the same facts as AWS CLI output): week 1's
 * VPC with its three tiers of subnets, their route tables and tags, the IAM roles that exist, and what the shop's
 * workloads are. The grader plays the learner's files forward against these facts; the learner cannot change them.
 */
export const ACCOUNT = '111122223333';
export const REGION = 'ap-northeast-2';
export const CLUSTER = 'shop';
export const VPC_ID = 'vpc-0a1b2c3d4e5f60718';
export const NAT_GATEWAY = 'nat-0f1e2d3c4b5a69788';
export const INTERNET_GATEWAY = 'igw-0c1d2e3f4a5b69781';

export interface Subnet {
  id: string;
  name: string;
  cidr: string;
  az: string;
  tier: 'public' | 'private' | 'data';
  /** Where 0.0.0.0/0 goes from this subnet's route table; null when the table has only the local route. */
  defaultRoute: string | null;
  tags: Record<string, string>;
}

const subnet = (n: number, tier: Subnet['tier'], i: 1 | 2, route: string | null, tags: Record<string, string>): Subnet => ({
  id: `subnet-0a1b2c3d4e5f600${String(n).padStart(2, '0')}`,
  name: `shop-${tier}-${i}`,
  cidr: `10.0.${n}.0/24`,
  az: `${REGION}${i === 1 ? 'a' : 'b'}`,
  tier,
  defaultRoute: route,
  tags: { Name: `shop-${tier}-${i}`, ...tags },
});

/** The public subnets carry the tag of the staging cluster that shared the VPC until October, and no role tag. */
export const SUBNETS: Subnet[] = [
  subnet(0, 'public', 1, INTERNET_GATEWAY, { 'kubernetes.io/cluster/shop-staging': 'owned' }),
  subnet(1, 'public', 2, INTERNET_GATEWAY, { 'kubernetes.io/cluster/shop-staging': 'owned' }),
  subnet(10, 'private', 1, NAT_GATEWAY, { 'kubernetes.io/role/internal-elb': '1' }),
  subnet(11, 'private', 2, NAT_GATEWAY, { 'kubernetes.io/role/internal-elb': '1' }),
  subnet(20, 'data', 1, null, {}),
  subnet(21, 'data', 2, null, {}),
];

export const subnetById = (id: string) => SUBNETS.find((s) => s.id === id);
export const subnetByName = (name: string) => SUBNETS.find((s) => s.tags.Name === name);

/** The IAM roles of the account that the incident involves. */
export const ROLES = {
  admin: `arn:aws:iam::${ACCOUNT}:role/shop-admin`,
  deploy: `arn:aws:iam::${ACCOUNT}:role/github-deploy`,
};

/** Where checkout runs and what it reads. */
export const CHECKOUT = { namespace: 'shop', serviceAccount: 'checkout', bucket: 'shop-product-images', object: 'arn:aws:s3:::shop-product-images/banner.png' };

/** EKS access policies, by what they let a principal do. */
export const ACCESS_POLICY = (name: string) => `arn:aws:eks::aws:cluster-access-policy/${name}`;

/** Node image families this lab accepts for Kubernetes 1.35 managed node groups (eksctl's default is AmazonLinux2023). */
export const LINUX_FAMILIES = ['AmazonLinux2023', 'Bottlerocket', 'BottlerocketFips', 'Ubuntu2404', 'UbuntuPro2404', 'Ubuntu2604', 'UbuntuPro2604'];
