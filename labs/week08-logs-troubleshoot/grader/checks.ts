/**
 * Week 8 troubleshooting: the shop's Fluent Bit pipeline loses and garbles logs. The learner's repaired
 * fluent-bit.yaml is loaded as Fluent Bit 5.1 would load it (config.ts), the hidden logs of one node run through it
 * (pipeline.ts), the records that reach Loki are compared with what the lines really were (data.ts), and the
 * twelve-minute Loki outage is played against its buffering and retries (backpressure.ts). One check per fault;
 * "still works" holds everything else to what the working pipeline shipped.
 */
import {
  msg,
  NotGradable,
  partial,
  reporter,
  type CheckVerdict,
  type GradeContext,
  type GraderVerdict,
  type Msg,
  type Submission,
} from '../../../grader-kit/index';
import { isObj, type Json } from '../../../grader-kit/yamldocs';
import { losses, OUTAGE } from './backpressure';
import { FILE, loadConfig, type Config, type Plugin } from './config';
import { CHECKOUT, FRONTEND, hiddenLogs, nginxTime, OTHER, type Truth } from './data';
import { accessor, lookup, run, type Rec } from './pipeline';

export const LOKI = { host: 'loki-gateway.logging.svc.cluster.local', port: '80' };

interface Seen {
  cfg: Config;
  truth: Truth[];
  /** Records shipped to Loki (every loki output), by file and first line. */
  shipped: Rec[];
  at(file: string, line: number): Rec[];
  loki: Plugin[];
}

export async function grade(sub: Submission, ctx?: GradeContext): Promise<GraderVerdict> {
  if (!sub.has(FILE)) throw new NotGradable(msg(`${FILE} 파일이 없습니다.`, `${FILE} is missing.`));
  const cfg = loadConfig(sub);
  const { checks, report } = reporter(ctx);
  report(checkLoads(cfg));
  if (cfg.problems.length) {
    const down = msg(
      `에이전트가 시작하지 않아 아무 로그도 보내지 않습니다(loads 검사를 보세요).`,
      `The agent does not start, so it ships no logs at all (see the loads check).`,
    );
    for (const id of ['multiline', 'time-zone', 'ipv6', 'backpressure', 'still-works']) report({ id, points: 0, passed: false, message: down });
    return { gradable: true, checks };
  }
  const { files, truth } = hiddenLogs();
  const result = run(cfg, files);
  const loki = cfg.outputs.filter((o) => o.name === 'loki');
  const shipped = [...new Set(cfg.outputs.flatMap((o, i) => (o.name === 'loki' ? result.outputs[i]! : [])))];
  const index = new Map<string, Rec[]>();
  for (const r of shipped) {
    const k = `${r.src.file}:${r.src.line}`;
    index.set(k, [...(index.get(k) ?? []), r]);
  }
  const seen: Seen = { cfg, truth, shipped, loki, at: (f, l) => index.get(`${f}:${l}`) ?? [] };
  for (const check of [checkMultiline, checkTimeZone, checkIpv6, checkBackpressure, checkStillWorks]) report(check(seen));
  return { gradable: true, checks };
}

const one = (id: string, points: number, problem: Msg | null): CheckVerdict => partial(id, points, [{ ok: !problem, message: problem ?? '' }]);
const where = (cfg: Config, p: Plugin, key?: string) => cfg.at(key && p.props.has(key) ? p.props.get(key)!.path : p.path);
const short = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}…` : s);
const filterOf = (cfg: Config, name: string) => cfg.filters.find((f) => f.name === name);

function checkLoads(cfg: Config): CheckVerdict {
  if (!cfg.problems.length) return { id: 'loads', points: 1, passed: true };
  const shown = cfg.problems.slice(0, 3);
  const more = cfg.problems.length > 3 ? [msg(`(외 ${cfg.problems.length - 3}건)`, `(and ${cfg.problems.length - 3} more)`)] : [];
  return { id: 'loads', points: 0, passed: false, message: sentences([...shown, ...more]) };
}

function sentences(ms: Msg[]): Msg {
  const stop = (s: string) => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);
  return { ko: ms.map((m) => stop(typeof m === 'string' ? m : m.ko)).join(' '), en: ms.map((m) => stop(typeof m === 'string' ? m : m.en)).join(' ') };
}

// ── multiline: one stack trace, one record ────────────────────────────────────────────────────────────────────────

function checkMultiline({ cfg, truth, at }: Seen): CheckVerdict {
  const traces = truth.filter((t) => t.kind === 'trace');
  for (const t of traces) {
    const lines = t.text!.split('\n');
    const head = at(t.file, t.line);
    const pieces = lines.slice(1).flatMap((_, i) => at(t.file, t.line + 1 + i));
    const text = head[0] ? String(head[0].fields.log ?? '') : '';
    if (head.length === 1 && pieces.length === 0 && text === t.text) continue;
    const f = filterOf(cfg, 'multiline');
    const got = [...head, ...pieces];
    const shown = got
      .slice(0, 3)
      .map((r) => `"${short(String(r.fields.log ?? JSON.stringify(r.fields)), 48)}"`)
      .join(', ');
    const why: Msg = !f
      ? msg(
          `${FILE}:1: multiline 필터가 없습니다. 런타임의 CRI 파서는 런타임이 나눈 P 조각만 잇고, 앱이 따로 쓴 줄은 잇지 않습니다`,
          `${FILE}:1: there is no multiline filter; the runtime's CRI parser joins only the P parts the runtime split, not lines the app wrote separately`,
        )
      : text.length > t.text!.length
        ? msg(
            `${where(cfg, f)}: 규칙이 스택 트레이스 뒤의 다른 줄까지 이어 붙입니다. 이어지는 줄의 규칙은 스택 프레임("    at ...")만 골라야 합니다`,
            `${where(cfg, f)}: the rules join lines after the stack trace too; the continuation rule must match stack frames ("    at ...") only`,
          )
        : !f.get('multiline.key_content')
          ? msg(
              `${where(cfg, f)}: multiline.key_content가 없어서 필터가 이을 텍스트를 찾지 못합니다. 줄이 든 필드(log)를 지정하세요`,
              `${where(cfg, f)}: without multiline.key_content the filter has no text to join; name the field that holds the line (log)`,
            )
          : msg(
              `${where(cfg, f, 'multiline.parser')}: 여러 줄 파서의 규칙이 스택 프레임 줄("${lines[1]}")을 앞줄에 잇지 않습니다. 시작 규칙에 맞은 다음 줄은 그 규칙의 next_state 이름을 가진 규칙에 맞아야 이어지고, 정규식은 줄 맨 앞의 공백까지 맞춰야 합니다`,
              `${where(cfg, f, 'multiline.parser')}: the multiline parser's rules do not join the stack frame line ("${lines[1]}") to the one before; after the start rule, a line continues the record only if it matches a rule of the state named by next_state, and the regex has to account for the spaces at the start of the line`,
            );
    return one(
      'multiline',
      3,
      sentences([
        msg(
          `checkout의 스택 트레이스(${lines.length}줄, "${short(lines[0]!, 50)}")가 Loki에 레코드 ${got.length}개로 도착했습니다: ${shown}${got.length > 3 ? ' …' : ''}. 트레이스 하나는 레코드 하나여야 합니다`,
          `checkout's stack trace (${lines.length} lines, "${short(lines[0]!, 50)}") reached Loki as ${got.length} record(s): ${shown}${got.length > 3 ? ' …' : ''}; one trace must be one record`,
        ),
        why,
      ]),
    );
  }
  return one('multiline', 3, null);
}

// ── time zone: the request's own time ─────────────────────────────────────────────────────────────────────────────

function frontendParser(cfg: Config) {
  const f = cfg.filters.find((x) => x.name === 'parser' && x.get('key_name') === 'log');
  const p = f ? (f.props.get('parser')?.values ?? []).map((n) => cfg.parsers.get(n)).find((x) => x) : undefined;
  return { f, p };
}

function checkTimeZone({ cfg, truth, at }: Seen): CheckVerdict {
  const lines = truth.filter((t) => t.kind === 'access' && !t.ipv6);
  const found = lines.map((t) => ({ t, r: at(t.file, t.line)[0] })).filter((x) => x.r);
  if (!found.length)
    return one(
      'time-zone',
      3,
      msg(`${FILE}:1: frontend의 접근 로그가 Loki에 하나도 도착하지 않습니다`, `${FILE}:1: none of the frontend's access lines reaches Loki`),
    );
  const wrong = found.filter((x) => x.r!.time !== x.t.at);
  if (!wrong.length) return one('time-zone', 3, null);
  const { t, r } = wrong[0]!;
  const { f, p } = frontendParser(cfg);
  const diff = Math.round((r!.time - t.at) / 1000);
  const place = p ? cfg.at([...p.path, p.timeFormat !== undefined ? 'time_format' : 'regex']) : f ? where(cfg, f) : `${FILE}:1`;
  const why: Msg =
    diff === 9 * 3600
      ? msg(
          `${place}: 9시간 늦습니다. nginx가 쓴 +0900을 읽지 않아 서울 시각을 UTC로 읽었습니다`,
          `${place}: nine hours late: the +0900 nginx wrote is not read, so Seoul time is read as UTC`,
        )
      : diff === -9 * 3600
        ? msg(
            `${place}: 9시간 이릅니다. 오프셋의 부호를 확인하세요(+0900은 UTC보다 9시간 앞선 시각입니다)`,
            `${place}: nine hours early: check the offset's sign (+0900 is nine hours ahead of UTC)`,
          )
        : Math.abs(diff) <= 5
          ? msg(
              `${place}: 레코드 시각이 요청 시각이 아니라 nginx가 버퍼를 비운 시각(런타임이 찍은 시각)입니다. 줄 안의 시각을 파서가 읽어야 합니다`,
              `${place}: the record carries the time nginx flushed its buffer (the runtime's stamp), not the request's time; the parser has to read the time in the line`,
            )
          : msg(`${place}: 시각이 ${diff}초 어긋납니다`, `${place}: the time is off by ${diff} s`);
  return one(
    'time-zone',
    3,
    sentences([
      msg(
        `frontend의 접근 로그 ${found.length}줄 가운데 ${wrong.length}줄의 시각이 틀립니다. 예: [${nginxTime(t.at)}]인 요청은 ${new Date(t.at).toISOString()}이어야 하는데 ${new Date(r!.time).toISOString()}로 도착했습니다`,
        `${wrong.length} of the frontend's ${found.length} access lines have the wrong time: e.g. the request logged [${nginxTime(t.at)}] is ${new Date(t.at).toISOString()}, and it arrived as ${new Date(r!.time).toISOString()}`,
      ),
      why,
    ]),
  );
}

// ── ipv6: the parser reads every client ───────────────────────────────────────────────────────────────────────────

const FIELDS = ['remote', 'user', 'method', 'path', 'code', 'size', 'referer', 'agent'] as const;

function accessProblem(t: Truth, r: Rec | undefined): string | null {
  if (!r) return 'missing';
  for (const k of FIELDS) if (r.fields[k] !== (t.access as Record<string, Json>)[k]) return k;
  if ('log' in r.fields) return 'log';
  return null;
}

function checkIpv6({ cfg, truth, at }: Seen): CheckVerdict {
  const v6 = truth.filter((t) => t.kind === 'access' && t.ipv6);
  const bad = v6.map((t) => ({ t, r: at(t.file, t.line)[0] })).filter((x) => accessProblem(x.t, x.r) !== null);
  if (!bad.length) return one('ipv6', 2, null);
  const { t, r } = bad[0]!;
  const { f, p } = frontendParser(cfg);
  const place = p ? cfg.at([...p.path, 'regex']) : f ? where(cfg, f) : `${FILE}:1`;
  const unparsed = r && typeof r.fields.log === 'string';
  return one(
    'ipv6',
    2,
    sentences([
      msg(
        `IPv6 클라이언트의 접근 로그 ${v6.length}줄 가운데 ${bad.length}줄이 해석되지 않은 채로(${r ? (unparsed ? 'log 필드에 원문 그대로' : '필드가 다르게') : '아예 없이'}) 도착합니다. 예: "${short(`${t.access!.remote} - - [${nginxTime(t.at)}] "${t.access!.method} ${t.access!.path} ..."`, 80)}"`,
        `${bad.length} of the ${v6.length} access lines from IPv6 clients arrive ${r ? (unparsed ? 'unparsed (the raw text in log)' : 'with other fields') : 'not at all'}: e.g. "${short(`${t.access!.remote} - - [${nginxTime(t.at)}] "${t.access!.method} ${t.access!.path} ...`, 80)}"`,
      ),
      msg(
        `${place}: 파서가 맞지 않는 줄은 오류 없이 그대로 지나가므로, 대시보드의 status 집계에서 빠집니다. 클라이언트 주소 부분이 IPv6(콜론과 16진수)도 받는지 보세요`,
        `${place}: a line the parser does not match passes on unchanged, without an error, and drops out of the dashboard's status counts; check that the client address part takes IPv6 (colons and hex digits)`,
      ),
    ]),
  );
}

// ── back-pressure: a Loki outage loses nothing ────────────────────────────────────────────────────────────────────

function checkBackpressure({ cfg, loki }: Seen): CheckVerdict {
  const input = cfg.inputs[0]!;
  const out = loki[0];
  if (!out) return one('backpressure', 3, msg(`${FILE}:1: loki 출력이 없습니다`, `${FILE}:1: there is no loki output`));
  const found = losses(cfg, input, out);
  if (!found.length) return one('backpressure', 3, null);
  return one(
    'backpressure',
    3,
    sentences([
      msg(
        `Loki가 ${OUTAGE.seconds / 60}분 동안 429로 거절한 장애를 이 설정으로 다시 돌리면 레코드를 잃습니다`,
        `Replaying the ${OUTAGE.seconds / 60}-minute outage in which Loki answered 429 against this configuration loses records`,
      ),
      ...found.map((v) => msg(`${where(cfg, v.where, v.key)}: ${v.ko}`, `${where(cfg, v.where, v.key)}: ${v.en}`)),
    ]),
  );
}

// ── still works: everything else the working pipeline shipped ─────────────────────────────────────────────────────

/** The Loki labels a record gets from an output's labels (key=value, a value may be a record accessor). */
export function lokiLabels(o: Plugin, r: Rec): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (o.get('labels') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([^=]+)=(.*)$/.exec(part);
    if (m) {
      const v = m[2]!.trim();
      const val = v.startsWith('$') ? lookup(r.fields, accessor(v)) : v;
      if (typeof val === 'string' || typeof val === 'number') out[m[1]!.trim()] = String(val);
    } else if (part.startsWith('$')) {
      const path = accessor(part);
      const val = lookup(r.fields, path);
      if (typeof val === 'string') out[path[path.length - 1]!] = val;
    }
  }
  for (const k of (o.get('label_keys') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const path = accessor(k);
    const val = lookup(r.fields, path);
    if (typeof val === 'string') out[path[path.length - 1]!] = val;
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function checkStillWorks({ cfg, truth, at, shipped, loki }: Seen): CheckVerdict {
  const problems: Msg[] = [];
  const out = loki[0];
  if (!out) problems.push(msg(`${FILE}:1: loki 출력이 없습니다`, `${FILE}:1: there is no loki output`));
  else {
    if (out.get('host') !== LOKI.host || (out.get('port') ?? '3100') !== LOKI.port)
      problems.push(
        msg(
          `${where(cfg, out, 'host')}: 로그는 전처럼 ${LOKI.host}:${LOKI.port}의 Loki로 가야 합니다`,
          `${where(cfg, out, 'host')}: the logs still go to Loki at ${LOKI.host}:${LOKI.port}`,
        ),
      );
    if ((out.get('line_format') ?? 'json') !== 'json')
      problems.push(
        msg(
          `${where(cfg, out, 'line_format')}: 대시보드가 | json으로 읽으므로 line_format은 json이어야 합니다`,
          `${where(cfg, out, 'line_format')}: the dashboards read lines with | json, so line_format stays json`,
        ),
      );
    for (const [pod, file] of [
      ['frontend', FRONTEND.file],
      ['checkout', CHECKOUT.file],
    ] as const) {
      const r = shipped.find((x) => x.src.file === file);
      if (!r) continue;
      const labels = lokiLabels(out, r);
      const want = { job: 'fluent-bit', namespace: 'shop', container: pod };
      const missing = Object.entries(want).filter(([k, v]) => labels[k] !== v);
      if (missing.length)
        problems.push(
          msg(
            `${where(cfg, out, 'labels')}: ${pod}의 레코드가 레이블 {${Object.entries(labels)
              .map(([k, v]) => `${k}="${v}"`)
              .join(', ')}}로 도착합니다. 대시보드는 {job="fluent-bit", namespace="shop", container="${pod}"}로 찾습니다`,
            `${where(cfg, out, 'labels')}: ${pod}'s records arrive with labels {${Object.entries(labels)
              .map(([k, v]) => `${k}="${v}"`)
              .join(', ')}}; the dashboards look for {job="fluent-bit", namespace="shop", container="${pod}"}`,
          ),
        );
    }
  }
  // checkout's JSON lines: lifted into the record, the log field gone, as the dashboards query them.
  for (const t of truth.filter((x) => x.kind === 'json')) {
    const rs = at(t.file, t.line);
    const r = rs[0];
    const okJson = r && Object.entries(t.json!).every(([k, v]) => same(r.fields[k], v)) && !('log' in r.fields) && isObj(r.fields.kubernetes);
    if (rs.length !== 1 || !okJson) {
      const k8s = filterOf(cfg, 'kubernetes');
      problems.push(
        msg(
          `${k8s ? where(cfg, k8s) : `${FILE}:1`}: checkout의 JSON 줄("${short(JSON.stringify(t.json), 50)}")이 ${rs.length === 0 ? '도착하지 않습니다' : rs.length > 1 ? `레코드 ${rs.length}개로 도착합니다` : '전처럼 필드로 풀린 레코드(log 필드 없이, kubernetes 메타데이터와 함께)로 도착하지 않습니다'}`,
          `${k8s ? where(cfg, k8s) : `${FILE}:1`}: checkout's JSON line ("${short(JSON.stringify(t.json), 50)}") ${rs.length === 0 ? 'does not arrive' : rs.length > 1 ? `arrives as ${rs.length} records` : 'no longer arrives as a record of its fields (without log, with the kubernetes metadata) as it did'}`,
        ),
      );
      break;
    }
  }
  // The frontend's IPv4 lines: every field as before.
  for (const t of truth.filter((x) => x.kind === 'access' && !x.ipv6)) {
    const r = at(t.file, t.line)[0];
    const p = accessProblem(t, r);
    if (p) {
      const { f, p: parser } = frontendParser(cfg);
      const place = parser ? cfg.at(parser.path) : f ? where(cfg, f) : `${FILE}:1`;
      problems.push(
        msg(
          `${place}: frontend의 접근 로그("${short(`${t.access!.remote} ... "${t.access!.method} ${t.access!.path}" ${t.access!.code}`, 60)}")가 ${p === 'missing' ? '도착하지 않습니다' : p === 'log' ? 'log 필드를 남긴 채 도착합니다' : `전과 다른 ${p} 필드로 도착합니다(${JSON.stringify(r!.fields[p] ?? null)}; 전에는 ${JSON.stringify((t.access as Record<string, Json>)[p])})`}. 대시보드는 remote, method, path, code(숫자), size(숫자), referer, agent 필드를 씁니다`,
          `${place}: the frontend's access line ("${short(`${t.access!.remote} ... "${t.access!.method} ${t.access!.path}" ${t.access!.code}`, 60)}") ${p === 'missing' ? 'does not arrive' : p === 'log' ? 'arrives with its log field still there' : `arrives with another ${p} (${JSON.stringify(r!.fields[p] ?? null)}; it was ${JSON.stringify((t.access as Record<string, Json>)[p])})`}; the dashboards use the fields remote, method, path, code (a number), size (a number), referer and agent`,
        ),
      );
      break;
    }
  }
  // What the working pipeline left out stays out: the kubelet's health checks, other namespaces.
  const probes = truth.filter((x) => x.kind === 'probe').filter((t) => at(t.file, t.line).length);
  if (probes.length) {
    const g = filterOf(cfg, 'grep');
    problems.push(
      msg(
        `${g ? where(cfg, g) : `${FILE}:1`}: kubelet의 헬스 체크(kube-probe) 요청 ${probes.length}줄이 다시 Loki로 갑니다. 전처럼 걸러야 합니다`,
        `${g ? where(cfg, g) : `${FILE}:1`}: ${probes.length} health-check requests from the kubelet (kube-probe) reach Loki again; filter them out as before`,
      ),
    );
  }
  if (shipped.some((r) => r.src.file === OTHER.file))
    problems.push(
      msg(
        `${where(cfg, cfg.inputs[0]!, 'path')}: shop이 아닌 네임스페이스(kube-system)의 로그까지 보냅니다`,
        `${where(cfg, cfg.inputs[0]!, 'path')}: logs of another namespace (kube-system) are shipped too`,
      ),
    );
  return one('still-works', 3, problems.length ? sentences(problems.slice(0, 3)) : null);
}
