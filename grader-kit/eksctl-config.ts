/**
 * An eksctl ClusterConfig (eksctl.io/v1alpha5) read as eksctl reads it, for week 6's labs: YAML 1.1 like Go's yaml.v2
 * (yes/no are booleans), merge keys, null meaning "not set", one document, Terraform pasted by mistake told apart
 * from a YAML error; then validated with ajv against eksctl's own schema (eksctl-schema.ts), with findings that name
 * the file, line and field and say what eksctl expects.
 */
import type { ErrorObject } from 'ajv';
import { NotGradable, type Msg, type Submission } from './index';
import { schemaValidator } from './eksctl-schema';
import { pointerToPath } from './k8s-fields';
import { dotted, get, isObj, parseYamlFile, type Json, type Obj, type PathPart, type YamlDoc } from './yamldocs';

export interface Finding {
  path: PathPart[];
  en: string;
  ko: string;
}

export class Config {
  constructor(
    readonly doc: YamlDoc,
    readonly value: Obj,
    /** The file's name in the submission, for messages. */
    readonly file: string,
  ) {}

  get(path: PathPart[]): Json | undefined {
    return get(this.value, path);
  }

  /** "cluster.yaml:12 (managedNodeGroups[0].minSize)" */
  where(path: PathPart[]): string {
    // A whole section that is missing has no line to point at: name the file alone.
    if (!path.length) return this.file;
    return `${this.file}:${this.doc.line(path)} (${dotted(path)})`;
  }
}

export function say(c: Config, findings: Finding[], max = 3): Msg {
  const shown = findings.slice(0, max);
  const more = findings.length - shown.length;
  const stop = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);
  return {
    en: shown.map((f) => stop(`${c.where(f.path)}: ${f.en}`)).join(' ') + (more > 0 ? ` (and ${more} more)` : ''),
    ko: shown.map((f) => stop(`${c.where(f.path)}: ${f.ko}`)).join(' ') + (more > 0 ? ` (외 ${more}건)` : ''),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Loading and the schema

/** Go's JSON decoding leaves a field at its zero value when the YAML says null (`withLocal: null`): drop such keys. */
function withoutNulls(v: Json): Json {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x);
  return out;
}

/** Terraform pasted into cluster.yaml: say what the lab grades instead of a YAML syntax error. */
const HCL = /^[ \t]*(resource|module|provider|data|variable|output)[ \t]+"[^"\n]+"([ \t]+"[^"\n]+")?[ \t]*\{|^[ \t]*terraform[ \t]*\{/m;

export function loadClusterConfig(sub: Submission, FILE: string): Config {
  if (!sub.has(FILE)) throw new NotGradable({ ko: `${FILE} 파일이 없습니다.`, en: `${FILE} is missing.` });
  // Terraform pasted into cluster.yaml is not YAML, or not a mapping with apiVersion: say what the lab grades instead.
  const text = sub.isValidUtf8(FILE) ? (sub.text(FILE) ?? '') : '';
  const hcl = HCL.exec(text);
  const terraform = () => {
    const line = text.slice(0, hcl!.index).split('\n').length;
    return new NotGradable({
      ko: `${FILE}:${line}: 이 파일은 eksctl ClusterConfig가 아니라 Terraform(HCL)입니다. 수업에서 같은 설계를 Terraform으로도 보여 주지만, 이 실습은 eksctl 설정 파일(apiVersion: eksctl.io/v1alpha5, kind: ClusterConfig)만 채점합니다. 이 제출은 채점하지 않았고 시도 횟수에도 들어가지 않습니다.`,
      en: `${FILE}:${line}: this is Terraform (HCL), not an eksctl ClusterConfig. The lesson shows the same design in Terraform, but this lab grades the eksctl config file only (apiVersion: eksctl.io/v1alpha5, kind: ClusterConfig). This submission was not graded and costs no attempt.`,
    });
  };
  let docs: YamlDoc[];
  try {
    // eksctl reads its config with sigs.k8s.io/yaml (Go's yaml.v2): YAML 1.1, so yes/no/on/off are booleans.
    docs = parseYamlFile(sub, FILE, { version: '1.1' });
  } catch (e) {
    throw hcl ? terraform() : e;
  }
  if (hcl && !(docs.length === 1 && isObj(docs[0]!.value) && 'apiVersion' in docs[0]!.value)) throw terraform();
  if (!docs.length) throw new NotGradable({ ko: `${FILE}가 비어 있습니다.`, en: `${FILE} is empty.` });
  if (docs.length > 1)
    throw new NotGradable({
      ko: `${FILE}:${docs[1]!.line()}: eksctl 설정은 YAML 문서 하나여야 합니다 (--- 로 나누지 마세요).`,
      en: `${FILE}:${docs[1]!.line()}: an eksctl config is a single YAML document (no --- separators).`,
    });
  const d = docs[0]!;
  if (!isObj(d.value))
    throw new NotGradable({
      ko: `${FILE}: 최상위가 매핑(apiVersion, kind, metadata 등)이 아닙니다.`,
      en: `${FILE}: the top level is not a mapping (apiVersion, kind, metadata, ...).`,
    });
  return new Config(d, withoutNulls(d.value) as Obj, FILE);
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 40 || b.length > 40) return 99;
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i]![j] = Math.min(dp[i - 1]![j]! + 1, dp[i]![j - 1]! + 1, dp[i - 1]![j - 1]! + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
  return dp[a.length]![b.length]!;
}

function suggest(name: string, known: string[]): string | undefined {
  const ranked = known
    .map((k) => [k, distance(name, k)] as const)
    .filter(([, d]) => d <= 2)
    .sort((x, y) => x[1] - y[1]);
  return ranked[0]?.[0];
}

function schemaFinding(e: ErrorObject, c: Config, versions: readonly string[]): Finding {
  const path = pointerToPath(e.instancePath);
  const where = dotted(path) || 'the top level';
  const whereKo = dotted(path) || '최상위';
  const ps = (e.parentSchema ?? {}) as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      return { path, en: `${dotted([...path, missing])} is required`, ko: `${dotted([...path, missing])}가 필요합니다` };
    }
    case 'additionalProperties': {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      const near = suggest(extra, Object.keys((ps.properties as object) ?? {}));
      const at = path.length ? { en: `in ${where}`, ko: `${whereKo}에` } : { en: 'at the top level', ko: '최상위에' };
      if (near && near.toLowerCase() === extra.toLowerCase()) {
        return {
          path: [...path, extra],
          en: `"${extra}" ${at.en} is not "${near}": eksctl's field names are case-sensitive, so it would not read this one`,
          ko: `${at.ko} 있는 "${extra}"는 "${near}"가 아닙니다. eksctl의 필드 이름은 대소문자를 구분하므로 이 필드를 읽지 않습니다`,
        };
      }
      return {
        path: [...path, extra],
        en: `eksctl does not know the field "${extra}" ${at.en}${near ? ` (did you mean "${near}"?)` : ''}`,
        ko: `${at.ko} eksctl이 모르는 필드 "${extra}"가 있습니다${near ? ` ("${near}"를 뜻했나요?)` : ''}`,
      };
    }
    case 'type': {
      const want = String((e.params as { type: string }).type);
      const got = c.get(path);
      if (dotted(path) === 'metadata.version' && typeof got === 'number') {
        const quoted = versions.includes(String(got)) ? String(got) : (versions[0] ?? '1.35');
        return {
          path,
          en: `version must be a string, but unquoted YAML reads it as the number ${String(got)} (1.30 would become 1.3), and eksctl refuses a number there; write it in quotes, e.g. "${quoted}"`,
          ko: `version은 문자열이어야 하는데, 따옴표가 없어 YAML이 숫자 ${String(got)}로 읽고(1.30이라면 1.3이 됩니다) eksctl은 숫자를 거부합니다. "${quoted}"처럼 따옴표로 감싸세요`,
        };
      }
      return { path, en: `${where} must be of type ${want}`, ko: `${whereKo}의 타입은 ${want}이어야 합니다` };
    }
    case 'const': {
      const want = JSON.stringify((e.params as { allowedValue: unknown }).allowedValue);
      return { path, en: `${where} must be ${want}`, ko: `${whereKo}는 ${want}이어야 합니다` };
    }
    case 'enum': {
      const vals = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ');
      return { path, en: `${where} must be one of ${vals}`, ko: `${whereKo}는 ${vals} 중 하나여야 합니다` };
    }
    case 'pattern': {
      const got = JSON.stringify(c.get(path) ?? null).slice(0, 80);
      const en = typeof ps['x-hint-en'] === 'string' ? ps['x-hint-en'] : 'the expected format';
      const ko = typeof ps['x-hint-ko'] === 'string' ? ps['x-hint-ko'] : '정해진 형식';
      return { path, en: `${where} is ${got}, which is not ${en}`, ko: `${whereKo} 값 ${got}는 ${ko}이 아닙니다` };
    }
    default:
      return { path, en: `${where} ${e.message ?? 'is invalid'}`, ko: `${whereKo}: ${e.message ?? '올바르지 않습니다'}` };
  }
}

/**
 * What eksctl's strict loader refuses in the config, in file order, one finding per path. `versions` are the
 * Kubernetes versions a message may suggest when an unquoted version is read as a number.
 */
export function schemaFindings(c: Config, versions: readonly string[]): Finding[] {
  const validate = schemaValidator();
  if (validate(c.value)) return [];
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const e of validate.errors ?? []) {
    const f = schemaFinding(e, c, versions);
    const key = JSON.stringify(f.path);
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(f);
  }
  // Report in file order; each line is looked up once (a hostile file can have thousands of findings).
  const ordered = findings
    .slice(0, 200)
    .map((f) => ({ f, line: c.doc.line(f.path) }))
    .sort((x, y) => x.line - y.line)
    .map((x) => x.f);
  return [...ordered, ...findings.slice(200)];
}
