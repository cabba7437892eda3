/**
 * A Fluent Bit 5.1 YAML configuration read the way Fluent Bit reads it at start-up: the sections (service, parsers,
 * multiline_parsers, pipeline), each plugin's properties against its configuration map (property names are
 * case-insensitive; an unknown property stops the agent: "unknown configuration property"), parsers and multiline
 * parsers that must exist where they are named, regular expressions and time formats, and filesystem buffering that
 * needs service.storage.path. The plugin set is the shop's pipeline: tail; kubernetes, multiline, parser, grep; loki.
 * The property lists come from each plugin's config map in Fluent Bit 5.1's source (plugins/<name>/*.c) plus the
 * generic ones of src/flb_input.c, flb_filter.c and flb_output.c.
 */
import { msg, type Msg, type Submission } from '../../../grader-kit/index';
import { isObj, parseYamlFile, type Json, type PathPart, type YamlDoc } from '../../../grader-kit/yamldocs';
import { compile } from './regex';
import { parseOffset, unsupported, ZONES } from './strptime';

export const FILE = 'fluent-bit.yaml';
export const VERSION = 'Fluent Bit 5.1';

const GENERIC = {
  input: [
    'name',
    'tag',
    'alias',
    'log_level',
    'log_suppress_interval',
    'mem_buf_limit',
    'storage.type',
    'storage.pause_on_chunks_overlimit',
    'threaded',
    'routable',
    'thread.ring_buffer.capacity',
    'thread.ring_buffer.window',
  ],
  filter: ['name', 'match', 'match_regex', 'alias', 'log_level', 'log_suppress_interval'],
  output: [
    'name',
    'match',
    'match_regex',
    'alias',
    'log_level',
    'log_suppress_interval',
    'host',
    'port',
    'ipv6',
    'retry_limit',
    'storage.total_limit_size',
    'workers',
    'compress',
    'tls',
    'tls.verify',
    'tls.verify_hostname',
    'tls.debug',
    'tls.ca_file',
    'tls.ca_path',
    'tls.crt_file',
    'tls.key_file',
    'tls.key_passwd',
    'tls.vhost',
    'net.connect_timeout',
    'net.keepalive',
    'net.keepalive_idle_timeout',
    'net.keepalive_max_recycle',
    'net.dns.mode',
    'net.dns.resolver',
    'net.source_address',
  ],
};
const PLUGINS: Record<'input' | 'filter' | 'output', Record<string, string[]>> = {
  input: {
    tail: 'buffer_chunk_size buffer_max_size db db.compare_filename db.journal_mode db.locking db.sync docker_mode docker_mode_flush docker_mode_parser exclude_path exit_on_eof file_cache_advise generic.encoding ignore_active_older_files ignore_older inotify_watcher key multiline multiline.parser multiline_flush offset_key parser parser_firstline path path_key progress_check_interval progress_check_interval_nsec read_from_head read_newly_discovered_files_from_head refresh_interval rotate_wait skip_empty_lines skip_long_lines static_batch_size tag_regex truncate_long_lines unicode.encoding watcher_interval'.split(
      ' ',
    ),
  },
  filter: {
    kubernetes:
      'annotations buffer_size cache_use_docker_id dns_retries dns_wait_time dummy_meta k8s-logging.exclude k8s-logging.parser keep_log kube_ca_file kube_ca_path kube_meta_cache_ttl kube_meta_namespace_cache_ttl kube_meta_preload_cache_dir kube_namespace_file kube_tag_prefix kube_token_command kube_token_file kube_token_ttl kube_url kubelet_host kubelet_port labels merge_log merge_log_key merge_log_trim merge_parser namespace_annotations namespace_labels namespace_metadata_only owner_references regex_parser set_platform tls.debug tls.verify tls.verify_hostname tls.vhost use_journal use_kubelet use_pod_association use_tag_for_meta'.split(
        ' ',
      ),
    multiline: 'buffer debug_flush emitter_mem_buf_limit emitter_name emitter_storage.type flush_ms mode multiline.key_content multiline.parser'.split(' '),
    parser: 'key_name parser preserve_key reserve_data unescape_key'.split(' '),
    grep: 'exclude logical_op regex'.split(' '),
  },
  output: {
    loki: 'auto_kubernetes_labels bearer_token buffer_size drop_single_key http_passwd http_user label_keys label_map_path labels line_format remove_keys structured_metadata structured_metadata_map_keys tenant_id tenant_id_key tenant_id_key_error_handling uri'.split(
      ' ',
    ),
  },
};
const OTHER_PLUGINS =
  /^(forward|http|stdout|null|es|opensearch|cloudwatch_logs|kinesis_firehose|s3|kafka|splunk|datadog|counter|file|opentelemetry|prometheus_exporter|modify|record_modifier|nest|lua|rewrite_tag|throttle|expect|systemd|dummy|random|cpu|mem|forward|syslog|tcp|udp|exec|fluentbit_metrics|node_exporter_metrics|kubernetes_events)$/;
const SERVICE =
  'flush grace daemon log_file log_level http_server http_listen http_port health_check hc_errors_count hc_retry_failure_count hc_period hot_reload coro_stack_size json.convert_nan_to_null scheduler.base scheduler.cap storage.path storage.sync storage.checksum storage.metrics storage.backlog.mem_limit storage.max_chunks_up storage.delete_irrecoverable_chunks storage.inherit storage.keep.rejected storage.type dns.mode dns.resolver dns.prefer_ipv4 dns.prefer_ipv6 workers'.split(
    ' ',
  );
export const BUILTIN_ML = ['docker', 'cri', 'go', 'python', 'java', 'ruby'];

export interface Prop {
  value: string;
  /** Several values (a YAML list, as for grep rules or several parsers). */
  values: string[];
  path: PathPart[];
}

export interface Plugin {
  kind: 'input' | 'filter' | 'output';
  name: string;
  path: PathPart[];
  props: Map<string, Prop>;
  get(key: string): string | undefined;
}

export interface ParserDef {
  name: string;
  path: PathPart[];
  format: string;
  regex?: RegExp;
  timeKey: string;
  timeFormat?: string;
  timeKeep: boolean;
  /** Minutes east of UTC applied to a time without its own offset. */
  timeOffset: number;
  /** An IANA zone's offset, when time_zone is set. */
  zone?: number;
  types: Map<string, string>;
}

export interface MlRule {
  state: string;
  re: RegExp;
  next: string;
  path: PathPart[];
}

export interface MlParserDef {
  name: string;
  path: PathPart[];
  keyContent?: string;
  rules: MlRule[];
}

export interface Config {
  doc: YamlDoc;
  service: Map<string, Prop>;
  parsers: Map<string, ParserDef>;
  mlParsers: Map<string, MlParserDef>;
  inputs: Plugin[];
  filters: Plugin[];
  outputs: Plugin[];
  /** Why Fluent Bit would not start with it, file:line first; empty when it loads. */
  problems: Msg[];
  at(path: PathPart[]): string;
}

const str = (v: Json | undefined): string | undefined => (v === undefined || v === null ? undefined : Array.isArray(v) || isObj(v) ? undefined : String(v));
export const truthy = (v: string | undefined, dflt: boolean) => (v === undefined ? dflt : /^(on|true|yes|1)$/i.test(v.trim()));

/** Fluent Bit's sizes: a number with K, KB, M, MB, G or GB (powers of 1000, case-insensitive), or bytes. */
export function sizeToBytes(v: string | undefined): number | null {
  if (v === undefined) return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]b?)?\s*$/i.exec(v);
  if (!m) return null;
  const unit = (m[2] ?? '').toLowerCase()[0];
  return Math.round(Number(m[1]) * (unit === 'k' ? 1e3 : unit === 'm' ? 1e6 : unit === 'g' ? 1e9 : 1));
}

function props(node: Json, base: PathPart[], problems: Msg[], where: (p: PathPart[]) => string): Map<string, Prop> {
  const out = new Map<string, Prop>();
  if (!isObj(node)) return out;
  for (const [k, v] of Object.entries(node)) {
    const key = k.toLowerCase();
    const path = [...base, k];
    if (Array.isArray(v) && v.every((x) => !isObj(x) && !Array.isArray(x))) {
      const values = v.map((x) => String(x));
      out.set(key, { value: values[0] ?? '', values, path });
    } else if (isObj(v) || Array.isArray(v)) {
      if (key === 'processors')
        problems.push(
          msg(
            `${where(path)}: processors는 이 실습의 채점기가 흉내 내지 않습니다. 필터로 쓰세요`,
            `${where(path)}: processors are not simulated by this lab's grader; use filters`,
          ),
        );
      else problems.push(msg(`${where(path)}: ${k}의 값은 문자열이나 숫자여야 합니다`, `${where(path)}: the value of ${k} must be a string or a number`));
    } else {
      const s = str(v) ?? '';
      out.set(key, { value: s, values: [s], path });
    }
  }
  return out;
}

export function loadConfig(sub: Submission): Config {
  const docs = parseYamlFile(sub, FILE);
  const doc = docs[0]!;
  const problems: Msg[] = [];
  const at = (p: PathPart[]) => `${FILE}:${doc.line(p)}`;
  const cfg: Config = { doc, service: new Map(), parsers: new Map(), mlParsers: new Map(), inputs: [], filters: [], outputs: [], problems, at };
  if (docs.length > 1)
    problems.push(
      msg(
        `${FILE}:${docs[1]!.line()}: Fluent Bit의 설정 파일은 YAML 문서 하나입니다`,
        `${FILE}:${docs[1]!.line()}: a Fluent Bit configuration file is one YAML document`,
      ),
    );
  const root = doc.value;
  if (!isObj(root)) {
    problems.push(
      msg(
        `${FILE}:1: 설정은 service, parsers, pipeline 같은 섹션을 가진 매핑이어야 합니다`,
        `${FILE}:1: the configuration must be a mapping with sections such as service, parsers and pipeline`,
      ),
    );
    return cfg;
  }
  for (const k of Object.keys(root)) {
    if (k === 'includes' || k === 'parsers_file')
      problems.push(
        msg(
          `${at([k])}: 이 실습은 설정을 ${FILE} 한 파일로 받습니다. 포함할 파일의 내용을 이 파일에 옮기세요`,
          `${at([k])}: this lab takes the configuration as one file, ${FILE}; move what you include into it`,
        ),
      );
    else if (!['service', 'parsers', 'multiline_parsers', 'pipeline', 'env'].includes(k))
      problems.push(msg(`${at([k])}: Fluent Bit이 모르는 섹션 "${k}"입니다`, `${at([k])}: "${k}" is not a section Fluent Bit knows`));
  }
  // service
  cfg.service = props(root.service ?? null, ['service'], problems, at);
  for (const [k, p] of cfg.service) {
    if (k === 'parsers_file' || k === 'plugins_file' || k === 'streams_file')
      problems.push(msg(`${at(p.path)}: 이 실습은 설정을 ${FILE} 한 파일로 받습니다`, `${at(p.path)}: this lab takes the configuration as one file, ${FILE}`));
    else if (!SERVICE.includes(k))
      problems.push(msg(`${at(p.path)}: service에 "${k}"라는 속성은 없습니다`, `${at(p.path)}: the service section has no property "${k}"`));
  }
  // parsers
  const parsers = Array.isArray(root.parsers) ? root.parsers : root.parsers === undefined || root.parsers === null ? [] : null;
  if (parsers === null) problems.push(msg(`${at(['parsers'])}: parsers는 목록이어야 합니다`, `${at(['parsers'])}: parsers must be a list`));
  (parsers ?? []).forEach((p, i) => {
    const base: PathPart[] = ['parsers', i];
    const pr = props(p, base, problems, at);
    const name = pr.get('name')?.value;
    const where = at(base);
    if (!name) return problems.push(msg(`${where}: 파서에 name이 없습니다`, `${where}: a parser without a name`));
    const format = (pr.get('format')?.value ?? '').toLowerCase();
    const def: ParserDef = {
      name,
      path: base,
      format,
      timeKey: pr.get('time_key')?.value ?? 'time',
      timeFormat: pr.get('time_format')?.value,
      timeKeep: truthy(pr.get('time_keep')?.value, false),
      timeOffset: 0,
      types: new Map(),
    };
    if (format === 'regex') {
      const rx = pr.get('regex');
      if (!rx?.value)
        problems.push(msg(`${where}: format이 regex인 파서 ${name}에 regex가 없습니다`, `${where}: parser ${name} has format regex but no regex`));
      else {
        const c = compile(rx.value);
        if (c.ok) def.regex = c.re;
        else problems.push(msg(`${at(rx.path)}: ${c.why.ko}`, `${at(rx.path)}: ${c.why.en}`));
      }
    } else if (format !== 'json')
      problems.push(
        msg(
          `${at(pr.get('format')?.path ?? base)}: 파서 ${name}의 format "${format}"은 이 실습의 채점기가 흉내 내지 않습니다(regex, json)`,
          `${at(pr.get('format')?.path ?? base)}: parser ${name}'s format "${format}" is not simulated by this lab's grader (regex, json)`,
        ),
      );
    if (def.timeFormat !== undefined) {
      const bad = unsupported(def.timeFormat);
      if (bad.length)
        problems.push(
          msg(
            `${at(pr.get('time_format')!.path)}: time_format의 %${bad.join(', %')}은 이 채점기가 읽지 않습니다`,
            `${at(pr.get('time_format')!.path)}: this grader does not read %${bad.join(', %')} in time_format`,
          ),
        );
    }
    const off = pr.get('time_offset');
    if (off) {
      const o = parseOffset(off.value);
      if (o === null) problems.push(msg(`${at(off.path)}: time_offset은 +0900 같은 형식입니다`, `${at(off.path)}: time_offset is written like +0900`));
      else def.timeOffset = o;
    }
    const tz = pr.get('time_zone');
    if (tz) {
      if (off)
        problems.push(
          msg(
            `${at(tz.path)}: [parser:${name}] time_zone cannot be combined with time_offset`,
            `${at(tz.path)}: [parser:${name}] time_zone cannot be combined with time_offset`,
          ),
        );
      else if (!def.timeFormat)
        problems.push(
          msg(`${at(tz.path)}: [parser:${name}] time_zone requires time_format`, `${at(tz.path)}: [parser:${name}] time_zone requires time_format`),
        );
      else if (ZONES[tz.value] === undefined)
        problems.push(
          msg(
            `${at(tz.path)}: time_zone "${tz.value}"은 이 채점기가 아는 영역(${Object.keys(ZONES).join(', ')})이 아닙니다`,
            `${at(tz.path)}: time_zone "${tz.value}" is not one this grader knows (${Object.keys(ZONES).join(', ')})`,
          ),
        );
      else def.zone = ZONES[tz.value];
    }
    if (truthy(pr.get('time_system_timezone')?.value, false))
      problems.push(
        msg(
          `${at(pr.get('time_system_timezone')!.path)}: time_system_timezone은 노드의 시간대(EKS 노드는 UTC)를 따르므로 이 실습에서는 쓰지 않습니다`,
          `${at(pr.get('time_system_timezone')!.path)}: time_system_timezone follows the node's zone (UTC on EKS nodes); this lab does not use it`,
        ),
      );
    for (const t of (pr.get('types')?.value ?? '').split(/\s+/).filter(Boolean)) {
      const [k, ty] = t.split(':');
      if (!k || !ty || !['integer', 'float', 'bool', 'string', 'hex'].includes(ty))
        problems.push(
          msg(
            `${at(pr.get('types')!.path)}: types의 "${t}"는 key:type(integer, float, bool, string, hex)이 아닙니다`,
            `${at(pr.get('types')!.path)}: "${t}" in types is not key:type (integer, float, bool, string, hex)`,
          ),
        );
      else def.types.set(k, ty);
    }
    for (const [k, v] of pr)
      if (
        ![
          'name',
          'format',
          'regex',
          'time_key',
          'time_format',
          'time_keep',
          'time_offset',
          'time_zone',
          'time_system_timezone',
          'time_strict',
          'types',
          'skip_empty_values',
          'decode_field',
          'decode_field_as',
        ].includes(k)
      )
        problems.push(msg(`${at(v.path)}: 파서에 "${k}"라는 속성은 없습니다`, `${at(v.path)}: a parser has no property "${k}"`));
    cfg.parsers.set(name, def);
  });
  // multiline parsers
  const mls = Array.isArray(root.multiline_parsers) ? root.multiline_parsers : [];
  mls.forEach((p, i) => {
    const base: PathPart[] = ['multiline_parsers', i];
    if (!isObj(p)) return problems.push(msg(`${at(base)}: 여러 줄 파서는 매핑입니다`, `${at(base)}: a multiline parser is a mapping`));
    const name = str(p.name);
    if (!name) return problems.push(msg(`${at(base)}: 여러 줄 파서에 name이 없습니다`, `${at(base)}: a multiline parser without a name`));
    if (str(p.type) !== 'regex')
      problems.push(
        msg(
          `${at([...base, 'type'])}: 여러 줄 파서 ${name}의 type은 regex여야 합니다(이 채점기가 흉내 내는 것)`,
          `${at([...base, 'type'])}: multiline parser ${name} must have type regex (the one this grader simulates)`,
        ),
      );
    if (p.parser !== undefined)
      problems.push(
        msg(
          `${at([...base, 'parser'])}: 여러 줄 파서 안의 parser는 이 채점기가 흉내 내지 않습니다`,
          `${at([...base, 'parser'])}: a parser inside a multiline parser is not simulated by this grader`,
        ),
      );
    const rules: MlRule[] = [];
    (Array.isArray(p.rules) ? p.rules : []).forEach((r, j) => {
      const rp: PathPart[] = [...base, 'rules', j];
      const state = str(get1(r, 'state'));
      const rx = str(get1(r, 'regex'));
      const next = str(get1(r, 'next_state'));
      if (!state || !rx || !next)
        return problems.push(msg(`${at(rp)}: 규칙에는 state, regex, next_state가 모두 있어야 합니다`, `${at(rp)}: a rule needs state, regex and next_state`));
      const c = compile(rx, true);
      if (!c.ok) return problems.push(msg(`${at([...rp, 'regex'])}: ${c.why.ko}`, `${at([...rp, 'regex'])}: ${c.why.en}`));
      rules.push({ state, re: c.re, next, path: rp });
    });
    if (!rules.some((r) => r.state === 'start_state'))
      problems.push(
        msg(
          `${at(base)}: 여러 줄 파서 ${name}에 state가 start_state인 규칙이 없습니다`,
          `${at(base)}: multiline parser ${name} has no rule with state start_state`,
        ),
      );
    cfg.mlParsers.set(name, { name, path: base, keyContent: str(p.key_content), rules });
  });
  // pipeline
  const pipe = root.pipeline;
  if (!isObj(pipe)) problems.push(msg(`${FILE}:1: pipeline 섹션이 없습니다`, `${FILE}:1: there is no pipeline section`));
  else {
    for (const k of Object.keys(pipe))
      if (!['inputs', 'filters', 'outputs'].includes(k))
        problems.push(
          msg(
            `${at(['pipeline', k])}: pipeline에는 inputs, filters, outputs만 있습니다`,
            `${at(['pipeline', k])}: a pipeline has inputs, filters and outputs only`,
          ),
        );
    const kinds = [
      ['inputs', 'input'],
      ['filters', 'filter'],
      ['outputs', 'output'],
    ] as const;
    for (const [section, kind] of kinds) {
      const list = pipe[section];
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list)) {
        problems.push(msg(`${at(['pipeline', section])}: ${section}는 목록이어야 합니다`, `${at(['pipeline', section])}: ${section} must be a list`));
        continue;
      }
      list.forEach((node, i) => {
        const base: PathPart[] = ['pipeline', section, i];
        const pr = props(node, base, problems, at);
        const name = (pr.get('name')?.value ?? '').toLowerCase();
        const known = PLUGINS[kind][name];
        if (!name) return problems.push(msg(`${at(base)}: 플러그인에 name이 없습니다`, `${at(base)}: a plugin without a name`));
        if (!known) {
          return problems.push(
            OTHER_PLUGINS.test(name)
              ? msg(
                  `${at(pr.get('name')!.path)}: ${kind} 플러그인 ${name}은 Fluent Bit에 있지만, 이 실습의 채점기는 쇼핑몰 파이프라인이 쓰는 것만 흉내 냅니다(tail; kubernetes, multiline, parser, grep; loki)`,
                  `${at(pr.get('name')!.path)}: Fluent Bit has the ${kind} plugin ${name}, but this lab's grader simulates only what the shop's pipeline uses (tail; kubernetes, multiline, parser, grep; loki)`,
                )
              : msg(
                  `${at(pr.get('name')!.path)}: [error] [config] ${kind} 플러그인 "${name}"을 찾을 수 없습니다`,
                  `${at(pr.get('name')!.path)}: [error] [config] there is no ${kind} plugin "${name}"`,
                ),
          );
        }
        for (const [k, v] of pr) {
          if (!known.includes(k) && !GENERIC[kind].includes(k))
            problems.push(
              msg(
                `${at(v.path)}: [error] [config] ${name}: unknown configuration property '${k}'. Fluent Bit이 시작하지 않습니다`,
                `${at(v.path)}: [error] [config] ${name}: unknown configuration property '${k}'. Fluent Bit does not start`,
              ),
            );
        }
        const plugin: Plugin = { kind, name, path: base, props: pr, get: (k) => pr.get(k)?.value };
        if (kind === 'filter' || kind === 'output') {
          if (!plugin.get('match') && !plugin.get('match_regex'))
            problems.push(
              msg(`${at(base)}: ${name}에 match가 없어 아무 레코드도 받지 않습니다`, `${at(base)}: ${name} has no match, so it receives no record`),
            );
        }
        (kind === 'input' ? cfg.inputs : kind === 'filter' ? cfg.filters : cfg.outputs).push(plugin);
      });
    }
    // references and cross-section rules
    for (const p of cfg.inputs) {
      if (!p.get('path')) problems.push(msg(`${at(p.path)}: tail에 path가 없습니다`, `${at(p.path)}: tail has no path`));
      for (const n of (p.get('multiline.parser') ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)) {
        if (!BUILTIN_ML.includes(n) && !cfg.mlParsers.has(n))
          problems.push(
            msg(
              `${at(p.props.get('multiline.parser')!.path)}: [multiline] parser '${n}' not registered`,
              `${at(p.props.get('multiline.parser')!.path)}: [multiline] parser '${n}' not registered`,
            ),
          );
      }
      const st = (p.get('storage.type') ?? 'memory').toLowerCase();
      if (!['memory', 'filesystem', 'memrb'].includes(st))
        problems.push(
          msg(
            `${at(p.props.get('storage.type')!.path)}: storage.type은 memory, filesystem, memrb 가운데 하나입니다`,
            `${at(p.props.get('storage.type')!.path)}: storage.type is one of memory, filesystem, memrb`,
          ),
        );
      if (st === 'filesystem' && !cfg.service.get('storage.path')?.value)
        problems.push(
          msg(
            `${at(p.props.get('storage.type')!.path)}: [storage] instance 'tail.0' requested filesystem storage but no filesystem path was defined. service에 storage.path가 있어야 합니다`,
            `${at(p.props.get('storage.type')!.path)}: [storage] instance 'tail.0' requested filesystem storage but no filesystem path was defined: the service section needs storage.path`,
          ),
        );
      for (const k of ['mem_buf_limit'])
        if (p.props.has(k) && sizeToBytes(p.get(k)) === null)
          problems.push(
            msg(`${at(p.props.get(k)!.path)}: ${k}의 크기를 읽을 수 없습니다(예: 50MB)`, `${at(p.props.get(k)!.path)}: ${k} is not a size (e.g. 50MB)`),
          );
    }
    for (const f of cfg.filters) {
      if (f.name === 'parser') {
        if (!f.get('key_name')) problems.push(msg(`${at(f.path)}: parser 필터에 key_name이 없습니다`, `${at(f.path)}: the parser filter has no key_name`));
        const names = f.props.get('parser')?.values ?? [];
        if (!names.length) problems.push(msg(`${at(f.path)}: parser 필터에 parser가 없습니다`, `${at(f.path)}: the parser filter names no parser`));
        for (const n of names)
          if (!cfg.parsers.has(n))
            problems.push(
              msg(
                `${at(f.props.get('parser')!.path)}: [filter:parser] requested parser '${n}' not found`,
                `${at(f.props.get('parser')!.path)}: [filter:parser] requested parser '${n}' not found`,
              ),
            );
      }
      if (f.name === 'multiline') {
        for (const n of (f.get('multiline.parser') ?? '')
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean))
          if (!BUILTIN_ML.includes(n) && !cfg.mlParsers.has(n))
            problems.push(
              msg(
                `${at(f.props.get('multiline.parser')!.path)}: [multiline] parser '${n}' not registered`,
                `${at(f.props.get('multiline.parser')!.path)}: [multiline] parser '${n}' not registered`,
              ),
            );
        if (!f.get('multiline.parser'))
          problems.push(msg(`${at(f.path)}: multiline 필터에 multiline.parser가 없습니다`, `${at(f.path)}: the multiline filter has no multiline.parser`));
      }
      if (f.name === 'grep') {
        for (const k of ['regex', 'exclude'])
          for (const rule of f.props.get(k)?.values ?? []) {
            const m = /^\s*(\S+)\s+(.+)$/.exec(rule);
            const c = m ? compile(m[2]!) : null;
            if (!m || !c?.ok)
              problems.push(
                msg(
                  `${at(f.props.get(k)!.path)}: grep 규칙은 "<키> <정규식>"입니다${c && !c.ok ? `: ${c.why.ko}` : ''}`,
                  `${at(f.props.get(k)!.path)}: a grep rule is "<key> <regex>"${c && !c.ok ? `: ${c.why.en}` : ''}`,
                ),
              );
          }
      }
    }
    for (const o of cfg.outputs) {
      const t = o.get('storage.total_limit_size');
      if (t !== undefined && sizeToBytes(t) === null)
        problems.push(
          msg(
            `${at(o.props.get('storage.total_limit_size')!.path)}: 크기를 읽을 수 없습니다(예: 512M)`,
            `${at(o.props.get('storage.total_limit_size')!.path)}: not a size (e.g. 512M)`,
          ),
        );
    }
    if (!cfg.inputs.length) problems.push(msg(`${at(['pipeline'])}: 입력이 없습니다`, `${at(['pipeline'])}: there is no input`));
    if (!cfg.outputs.length) problems.push(msg(`${at(['pipeline'])}: 출력이 없습니다`, `${at(['pipeline'])}: there is no output`));
  }
  return cfg;
}

function get1(v: Json, k: string): Json | undefined {
  return isObj(v) ? v[k] : undefined;
}
