/**
 * Reading a Dockerfile as Docker does: one module for every check of a grader and for the engine's security gate.
 *
 * Tokenising is dockerfile-ast's (the parser behind VS Code's Dockerfile support: parser directives, the escape
 * character, line continuations with comments inside, JSON and shell forms, flags, heredocs). On top of it this module
 * applies the builder's semantics:
 * - variables: `$V`, `${V}`, `${V:-w}`, `${V-w}`, `${V:+w}`, `${V+w}`, `${V:?e}`, `${V#p}`, `${V##p}`, `${V%p}`,
 *   `${V%%p}`, `${V/p/r}`, quotes and the escape character, as moby's shell lexer expands them;
 * - scopes: ARGs before the first FROM are global and only FROM lines see them (plus the platform ARGs BuildKit
 *   predefines); inside a stage an ARG or ENV is visible from the line after it, and `ARG X` without a value takes the
 *   global default; build arguments override ARG defaults;
 * - stages: `FROM x AS name` (names compared case-insensitively), `FROM <earlier stage>`, `COPY --from=<name|index|
 *   image>`, `RUN --mount=...,from=...`, ONBUILD triggers, and for each stage the image it finally starts from.
 */
import { DockerfileParser, type Instruction as AstInstruction } from 'dockerfile-ast';

/** The platform arguments BuildKit defines for every build (here: one platform, linux/amd64). */
export const AUTOMATIC_PLATFORM_ARGS: Record<string, string> = {
  BUILDPLATFORM: 'linux/amd64',
  BUILDOS: 'linux',
  BUILDARCH: 'amd64',
  BUILDVARIANT: '',
  TARGETPLATFORM: 'linux/amd64',
  TARGETOS: 'linux',
  TARGETARCH: 'amd64',
  TARGETVARIANT: '',
};

export interface Flag {
  /** Lower-case name without dashes: "from", "mount", "chown", "platform", "network", "link". */
  name: string;
  /** Raw value (variables not expanded), or null for a bare flag such as `--link`. */
  value: string | null;
  /** `--mount=type=cache,target=/x` gives { type: 'cache', target: '/x' }. */
  options: Record<string, string>;
}

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY ... (for ONBUILD, the trigger's own keyword is in `trigger`). */
  op: string;
  /** The arguments after the keyword, continuation lines joined, comments inside them removed. */
  args: string;
  /** First and last line (1-based). */
  line: number;
  endLine: number;
  /** Index of the stage the instruction belongs to; -1 before the first FROM (global ARGs). */
  stage: number;
  flags: Flag[];
  /** The arguments after the flags, as words (JSON form: its array), variables not expanded. */
  words: string[];
  /** Exec (JSON array) form. */
  json: boolean;
  /** Heredoc names (`RUN <<EOF`), when the instruction uses them. */
  heredocs: string[];
  /** For ONBUILD: the trigger instruction. */
  trigger?: Instruction;
}

export interface ImageRef {
  /** As written after expansion, e.g. "node:22-bookworm-slim@sha256:...". */
  raw: string;
  /** Repository with registry defaults removed: "node", "lms/node", "ghcr.io/x/y". */
  repository: string;
  tag?: string;
  digest?: string;
}

export type StageParent = { kind: 'image'; image: ImageRef } | { kind: 'stage'; stage: number } | { kind: 'scratch' };

export interface Stage {
  index: number;
  /** Lower-case stage name, when the FROM line has `AS name`. */
  name?: string;
  line: number;
  /** The FROM argument as written and as expanded. */
  fromRaw: string;
  from: string;
  platform?: string;
  parent: StageParent;
  /** The image this stage finally starts from, following FROM <stage> links; 'scratch' for FROM scratch. */
  root: ImageRef | 'scratch';
  instructions: Instruction[];
}

/** Something the build would read from outside the build context and its own stages. */
export interface ExternalReference {
  kind: 'from' | 'copy-from' | 'mount-from' | 'add-url' | 'add-git';
  value: string;
  line: number;
  stage: number;
}

export interface Problem {
  line: number;
  message: string;
}

export interface ParsedDockerfile {
  escape: string;
  /** Parser directives at the top (`# syntax=...`, `# escape=...`, `# check=...`), lower-case keys. */
  directives: Record<string, { value: string; line: number }>;
  instructions: Instruction[];
  stages: Stage[];
  /** Global ARGs (before the first FROM) with their values after build arguments; undefined when declared without one. */
  globalArgs: Record<string, string | undefined>;
  /** Images, stages and URLs the build reads, each with where. */
  references: ExternalReference[];
  /** What Docker would refuse (a FROM that expands to nothing, an unknown stage index, a malformed flag). */
  problems: Problem[];
}

// ---------------------------------------------------------------------------------------------------------------
// Variable expansion, after moby's shell lexer (frontend/dockerfile/shell/lex.go).

export type Vars = ReadonlyMap<string, string | undefined>;

export class ExpansionError extends Error {}

function globToRegex(p: string, anchorStart: boolean, anchorEnd: boolean, greedy: boolean): RegExp {
  let re = '';
  for (const ch of p) {
    if (ch === '*') re += greedy ? '.*' : '.*?';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${anchorStart ? '^' : ''}${re}${anchorEnd ? '$' : ''}`, 's');
}

function trimPrefix(value: string, pattern: string, longest: boolean): string {
  // Shortest/longest prefix matching the glob.
  const lengths = [...Array(value.length + 1).keys()];
  if (longest) lengths.reverse();
  const re = globToRegex(pattern, true, true, true);
  for (const n of lengths) if (re.test(value.slice(0, n))) return value.slice(n);
  return value;
}

function trimSuffix(value: string, pattern: string, longest: boolean): string {
  const starts = [...Array(value.length + 1).keys()];
  if (!longest) starts.reverse();
  const re = globToRegex(pattern, true, true, true);
  for (const s of starts) if (re.test(value.slice(s))) return value.slice(0, s);
  return value;
}

/**
 * Expands one word as the builder does: quotes removed, the escape character honoured, variables substituted.
 * Unknown variables expand to the empty string (as Docker does), and are reported in `missing`.
 */
export function expandWord(word: string, vars: Vars, escape = '\\', missing?: Set<string>): string {
  let out = '';
  let i = 0;
  const get = (name: string): string | undefined => {
    if (!vars.has(name)) missing?.add(name);
    return vars.get(name);
  };
  const readName = (): string => {
    let n = '';
    while (i < word.length && /[A-Za-z0-9_]/.test(word[i]!)) n += word[i++];
    return n;
  };
  const readBraced = (): string => {
    // i is just after "${"
    const name = readName();
    if (!name) throw new ExpansionError(`bad substitution: \${${word.slice(i, i + 10)}`);
    if (word[i] === '}') {
      i++;
      return get(name) ?? '';
    }
    let op = word[i]!;
    i++;
    if ((op === ':' && '-+?'.includes(word[i] ?? '')) || ((op === '#' || op === '%') && word[i] === op)) op += word[i++];
    // the operand up to the matching brace, itself expanded
    let depth = 1;
    const start = i;
    while (i < word.length && depth > 0) {
      if (word[i] === escape && i + 1 < word.length) i++;
      else if (word[i] === '{') depth++;
      else if (word[i] === '}') depth--;
      if (depth > 0) i++;
    }
    if (depth !== 0) throw new ExpansionError(`missing '}' in \${${name}${op}...`);
    const operandRaw = word.slice(start, i);
    i++; // past }
    const value = get(name);
    const operand = () => expandWord(operandRaw, vars, escape, missing);
    switch (op) {
      case ':-':
        return value ? value : operand();
      case '-':
        return value !== undefined ? value : operand();
      case ':+':
        return value ? operand() : '';
      case '+':
        return value !== undefined ? operand() : '';
      case ':?':
        if (!value) throw new ExpansionError(`${name}: ${operand() || 'is not set'}`);
        return value;
      case '?':
        if (value === undefined) throw new ExpansionError(`${name}: ${operand() || 'is not set'}`);
        return value;
      case '#':
        return trimPrefix(value ?? '', operand(), false);
      case '##':
        return trimPrefix(value ?? '', operand(), true);
      case '%':
        return trimSuffix(value ?? '', operand(), false);
      case '%%':
        return trimSuffix(value ?? '', operand(), true);
      case '/': {
        const all = operandRaw.startsWith('/');
        const body = all ? operandRaw.slice(1) : operandRaw;
        const slash = body.indexOf('/');
        const pat = expandWord(slash >= 0 ? body.slice(0, slash) : body, vars, escape, missing);
        const rep = slash >= 0 ? expandWord(body.slice(slash + 1), vars, escape, missing) : '';
        const re = globToRegex(pat, false, false, true);
        return (value ?? '').replace(all ? new RegExp(re.source, 'gs') : re, () => rep);
      }
      default:
        throw new ExpansionError(`unsupported modifier (${op}) in substitution \${${name}${op}...}`);
    }
  };
  const readDollar = (): string => {
    // i is at "$"
    i++;
    if (word[i] === '{') {
      i++;
      return readBraced();
    }
    const name = readName();
    if (!name) return '$';
    return get(name) ?? '';
  };
  while (i < word.length) {
    const ch = word[i]!;
    if (ch === escape) {
      if (i + 1 < word.length) out += word[i + 1];
      i += 2;
    } else if (ch === "'") {
      const end = word.indexOf("'", i + 1);
      if (end < 0) throw new ExpansionError('unexpected end of statement while looking for matching single-quote');
      out += word.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      i++;
      while (i < word.length && word[i] !== '"') {
        if (word[i] === escape && i + 1 < word.length && (word[i + 1] === '"' || word[i + 1] === '$' || word[i + 1] === escape)) {
          out += word[i + 1];
          i += 2;
        } else if (word[i] === '$') out += readDollar();
        else out += word[i++];
      }
      if (word[i] !== '"') throw new ExpansionError('unexpected end of statement while looking for matching double-quote');
      i++;
    } else if (ch === '$') {
      out += readDollar();
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Image references.

/** Splits an image reference: registry defaults of Docker Hub removed ("docker.io/library/node" is "node"). */
export function parseImageRef(raw: string): ImageRef {
  let rest = raw.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let repository = rest;
  for (const prefix of ['docker.io/library/', 'index.docker.io/library/', 'registry-1.docker.io/library/', 'docker.io/', 'index.docker.io/', 'library/']) {
    if (repository.startsWith(prefix)) {
      repository = repository.slice(prefix.length);
      break;
    }
  }
  return { raw, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** "repository:tag" with Docker Hub's defaults (no tag is "latest"), digest left out. */
export function imageName(ref: ImageRef): string {
  return `${ref.repository}:${ref.tag ?? 'latest'}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The parse.

function splitOptions(value: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value) return out;
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) out[part.trim().toLowerCase()] = 'true';
    else out[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** Flags written before the arguments (`--from=build`, `--mount=...`, `--link`), and the words after them. */
function splitFlags(words: string[]): { flags: Flag[]; rest: string[] } {
  const flags: Flag[] = [];
  let k = 0;
  for (; k < words.length; k++) {
    const w = words[k]!;
    if (!w.startsWith('--')) break;
    if (w === '--') {
      k++;
      break;
    }
    const eq = w.indexOf('=');
    const name = (eq < 0 ? w.slice(2) : w.slice(2, eq)).toLowerCase();
    const value = eq < 0 ? null : w.slice(eq + 1);
    flags.push({ name, value, options: name === 'mount' ? splitOptions(value) : {} });
  }
  return { flags, rest: words.slice(k) };
}

/** Splits shell-form arguments into words the way the builder does before expansion: on unquoted white space. */
export function splitWords(args: string, escape = '\\'): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let has = false;
  for (let i = 0; i < args.length; i++) {
    const ch = args[i]!;
    if (ch === escape && i + 1 < args.length && quote !== "'") {
      cur += ch + args[i + 1];
      i++;
      has = true;
    } else if (quote) {
      cur += ch;
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

function parseJsonArray(args: string): string[] | null {
  const t = args.trim();
  if (!t.startsWith('[')) return null;
  try {
    const v = JSON.parse(t) as unknown;
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}

/** The instruction's arguments with the continuation markers and in-instruction comment lines removed. */
function joinedArgs(text: string, keyword: string, escape: string): string {
  const lines = text.split(/\r?\n/);
  const parts: string[] = [];
  lines.forEach((l, idx) => {
    if (idx > 0 && /^\s*#/.test(l)) return; // a comment line inside a continued instruction
    let s = l.replace(/\r$/, '');
    const cont = new RegExp(`${escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}\\s*$`);
    if (idx < lines.length - 1 && cont.test(s)) s = s.replace(cont, '');
    parts.push(s);
  });
  let joined = parts.join(idx0Join(keyword));
  joined = joined.replace(/^\s*\S+/, ''); // drop the keyword
  return joined.trim();
}
function idx0Join(_keyword: string): string {
  // Docker joins continued lines without inserting anything: `RUN a \` + `  b` becomes `a   b`.
  return '';
}

const KEYWORDS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

function toInstruction(ast: AstInstruction, text: string, escape: string, stage: number): Instruction {
  const range = ast.getRange();
  const raw = text
    .split(/\r?\n/)
    .slice(range.start.line, range.end.line + 1)
    .join('\n');
  const op = ast.getKeyword().toUpperCase();
  let args = joinedArgs(raw, op, escape);
  const heredocs = (ast as unknown as { getHeredocs?: () => { getName(): string }[] }).getHeredocs?.().map((h) => h.getName()) ?? [];
  if (heredocs.length) {
    // a heredoc's body is not arguments: keep only the instruction's first line
    args = joinedArgs(text.split(/\r?\n/)[range.start.line]!, op, escape);
  }
  const firstWords = splitWords(args, escape);
  const { flags, rest } = splitFlags(firstWords);
  const afterFlags = rest.join(' ');
  const json = parseJsonArray(afterFlags);
  const ins: Instruction = {
    op,
    args,
    line: range.start.line + 1,
    endLine: range.end.line + 1,
    stage,
    flags,
    words: json ?? rest,
    json: json !== null,
    heredocs,
  };
  if (op === 'ONBUILD') {
    const m = /^\s*([A-Za-z]+)([\s\S]*)$/.exec(args);
    if (m && KEYWORDS.has(m[1]!.toUpperCase())) {
      const inner = splitFlags(splitWords(m[2]!.trim(), escape));
      const innerJson = parseJsonArray(inner.rest.join(' '));
      ins.trigger = {
        op: m[1]!.toUpperCase(),
        args: m[2]!.trim(),
        line: ins.line,
        endLine: ins.endLine,
        stage,
        flags: inner.flags,
        words: innerJson ?? inner.rest,
        json: innerJson !== null,
        heredocs: [],
      };
    }
  }
  return ins;
}

/** KEY=value pairs of ARG/ENV/LABEL (and the legacy `ENV KEY value` form). */
export function keyValues(ins: Instruction, vars: Vars, escape = '\\'): { key: string; value: string | undefined }[] {
  const words = ins.words;
  if ((ins.op === 'ENV' || ins.op === 'LABEL') && words.length >= 2 && !words[0]!.includes('=')) {
    // legacy `ENV KEY value with spaces`
    return [{ key: words[0]!, value: expandWord(ins.args.slice(ins.args.indexOf(words[0]!) + words[0]!.length).trim(), vars, escape) }];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) return { key: expandWord(w, vars, escape), value: undefined };
    return { key: w.slice(0, eq), value: expandWord(w.slice(eq + 1), vars, escape) };
  });
}

const URL_SOURCE = /^[a-z][a-z0-9+.-]*:\/\//i;
const GIT_SOURCE = /^(git@|git:\/\/|ssh:\/\/)|\.git(#.*)?$/i;
/** scp-like git remotes, `user@host:path` (BuildKit's git ref parser takes them as git sources). */
const SCP_SOURCE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!\/\/)/;

/**
 * Parses a Dockerfile with the builder's semantics. `buildArgs` are the build arguments passed to the build (the
 * engine passes none). Never throws on learner input: what Docker would refuse is in `problems`.
 */
export function readDockerfile(text: string, buildArgs: Record<string, string> = {}): ParsedDockerfile {
  const clean = text.replace(/^\uFEFF/, '');
  const ast = DockerfileParser.parse(clean);
  const escape = ast.getEscapeCharacter() || '\\';
  const directives: ParsedDockerfile['directives'] = {};
  for (const d of ast.getDirectives()) {
    const name = d.getDirective()?.toLowerCase();
    if (name) directives[name] = { value: d.getValue() ?? '', line: d.getRange().start.line + 1 };
  }
  const problems: Problem[] = [];
  const instructions: Instruction[] = [];
  const stages: Stage[] = [];
  const references: ExternalReference[] = [];
  const globalArgs: Record<string, string | undefined> = {};
  const globalVars = new Map<string, string | undefined>(Object.entries(AUTOMATIC_PLATFORM_ARGS));
  let stageVars = new Map<string, string | undefined>();
  let stage = -1;

  const expand = (w: string, vars: Vars, line: number): string => {
    try {
      return expandWord(w, vars, escape);
    } catch (e) {
      problems.push({ line, message: (e as Error).message });
      return w;
    }
  };
  const stageByRef = (ref: string, current: number): number | undefined => {
    const lower = ref.toLowerCase();
    const named = stages.findIndex((s, idx) => idx < current && s.name === lower);
    if (named >= 0) return named;
    if (/^\d+$/.test(ref)) {
      const n = Number(ref);
      return n < current ? n : undefined;
    }
    return undefined;
  };
  const noteSources = (ins: Instruction, vars: Vars) => {
    if (ins.op === 'COPY' || ins.op === 'ADD') {
      const from = ins.flags.find((f) => f.name === 'from');
      if (from?.value != null) {
        const v = expand(from.value, vars, ins.line);
        if (stageByRef(v, ins.stage) === undefined) {
          if (/^\d+$/.test(v)) problems.push({ line: ins.line, message: `${ins.op} --from=${v}: there is no earlier stage ${v}` });
          else references.push({ kind: 'copy-from', value: v, line: ins.line, stage: ins.stage });
        }
      }
      if (ins.op === 'ADD' && !ins.heredocs.length) {
        // The builder expands variables in the exec (JSON) form of ADD/COPY too: ADD ["$URL", "/x"] fetches $URL.
        const srcs = ins.words.slice(0, -1).map((w) => expand(w, vars, ins.line));
        for (const s of srcs) {
          if ((GIT_SOURCE.test(s) && (URL_SOURCE.test(s) || /^git@/i.test(s))) || SCP_SOURCE.test(s))
            references.push({ kind: 'add-git', value: s, line: ins.line, stage: ins.stage });
          else if (URL_SOURCE.test(s)) references.push({ kind: 'add-url', value: s, line: ins.line, stage: ins.stage });
        }
      }
    }
    if (ins.op === 'RUN') {
      for (const f of ins.flags.filter((x) => x.name === 'mount')) {
        const from = f.options.from;
        if (from !== undefined) {
          const v = expand(from, vars, ins.line);
          if (stageByRef(v, ins.stage) === undefined) references.push({ kind: 'mount-from', value: v, line: ins.line, stage: ins.stage });
        }
      }
    }
  };

  for (const a of ast.getInstructions()) {
    const kw = a.getKeyword().toUpperCase();
    if (kw === 'FROM') stage++;
    const ins = toInstruction(a, clean, escape, stage);
    instructions.push(ins);
    if (ins.op === 'FROM') {
      const { flags, rest } = { flags: ins.flags, rest: ins.words };
      const platformFlag = flags.find((f) => f.name === 'platform');
      const fromRaw = rest[0] ?? '';
      const fromVars = new Map(globalVars);
      const missing = new Set<string>();
      let from = '';
      try {
        from = expandWord(fromRaw, fromVars, escape, missing);
      } catch (e) {
        problems.push({ line: ins.line, message: (e as Error).message });
      }
      let name: string | undefined;
      if (rest.length >= 3 && rest[1]!.toUpperCase() === 'AS') name = rest[2]!.toLowerCase();
      else if (rest.length > 1) problems.push({ line: ins.line, message: `FROM takes an image and optionally "AS name"; got "${rest.join(' ')}"` });
      if (!from)
        problems.push({
          line: ins.line,
          message: `FROM ${fromRaw || ''}: the base image name is empty${missing.size ? ` (${[...missing].join(', ')} has no value here: only ARGs declared before the first FROM, with a default, are seen by FROM)` : ''}`,
        });
      let parent: StageParent;
      let root: ImageRef | 'scratch';
      const s = from ? stageByRef(from, stage) : undefined;
      if (s !== undefined && !/^\d+$/.test(from)) {
        parent = { kind: 'stage', stage: s };
        root = stages[s]!.root;
      } else if (from.toLowerCase() === 'scratch') {
        parent = { kind: 'scratch' };
        root = 'scratch';
      } else {
        const ref = parseImageRef(from);
        parent = { kind: 'image', image: ref };
        root = ref;
        if (from) references.push({ kind: 'from', value: from, line: ins.line, stage });
      }
      if (name && stages.some((x) => x.name === name)) problems.push({ line: ins.line, message: `the stage name "${name}" is used twice` });
      stages.push({
        index: stage,
        name,
        line: ins.line,
        fromRaw,
        from,
        platform: platformFlag?.value != null ? expand(platformFlag.value, fromVars, ins.line) : undefined,
        parent,
        root,
        instructions: [ins],
      });
      stageVars = new Map();
      continue;
    }
    if (stage < 0) {
      if (ins.op === 'ARG') {
        for (const kv of keyValues(ins, globalVars, escape)) {
          const v = buildArgs[kv.key] ?? kv.value;
          globalArgs[kv.key] = v;
          globalVars.set(kv.key, v);
        }
      } else {
        problems.push({ line: ins.line, message: `${ins.op} before the first FROM: only ARG may come before FROM` });
      }
      continue;
    }
    const cur = stages[stage]!;
    cur.instructions.push(ins);
    if (ins.op === 'ARG') {
      for (const kv of keyValues(ins, stageVars, escape)) {
        const fromGlobal = kv.value === undefined && kv.key in globalArgs ? globalArgs[kv.key] : undefined;
        const auto = kv.value === undefined && kv.key in AUTOMATIC_PLATFORM_ARGS ? AUTOMATIC_PLATFORM_ARGS[kv.key] : undefined;
        stageVars.set(kv.key, buildArgs[kv.key] ?? kv.value ?? fromGlobal ?? auto);
      }
    } else if (ins.op === 'ENV') {
      for (const kv of keyValues(ins, stageVars, escape)) stageVars.set(kv.key, kv.value ?? '');
    }
    noteSources(ins, stageVars);
    if (ins.trigger) noteSources({ ...ins.trigger, stage }, stageVars);
  }
  if (stages.length === 0) problems.push({ line: 1, message: 'the Dockerfile has no FROM instruction' });
  return { escape, directives, instructions, stages, globalArgs, references, problems };
}

/** The variables an instruction of a stage sees (ARG and ENV declared before it in the stage, by the same rules). */
export function varsAt(df: ParsedDockerfile, ins: Instruction): Map<string, string | undefined> {
  const vars = new Map<string, string | undefined>();
  const s = df.stages[ins.stage];
  if (!s) return new Map(Object.entries(AUTOMATIC_PLATFORM_ARGS));
  for (const i of s.instructions) {
    if (i === ins || i.line >= ins.line) break;
    if (i.op === 'ARG') {
      for (const kv of keyValues(i, vars, df.escape)) {
        const fromGlobal = kv.value === undefined && kv.key in df.globalArgs ? df.globalArgs[kv.key] : undefined;
        const auto = kv.value === undefined && kv.key in AUTOMATIC_PLATFORM_ARGS ? AUTOMATIC_PLATFORM_ARGS[kv.key] : undefined;
        vars.set(kv.key, kv.value ?? fromGlobal ?? auto);
      }
    } else if (i.op === 'ENV') {
      for (const kv of keyValues(i, vars, df.escape)) vars.set(kv.key, kv.value ?? '');
    }
  }
  return vars;
}

/** The final stage: what `docker build` without --target produces. */
export function finalStage(df: ParsedDockerfile): Stage | undefined {
  return df.stages.at(-1);
}

/** The stage a `COPY --from` / mount `from=` names, or undefined when it names an image. */
export function stageNamed(df: ParsedDockerfile, ref: string, before: number): Stage | undefined {
  const lower = ref.toLowerCase();
  const named = df.stages.find((s) => s.index < before && s.name === lower);
  if (named) return named;
  if (/^\d+$/.test(ref) && Number(ref) < before) return df.stages[Number(ref)];
  return undefined;
}

/** The stages the final stage depends on (FROM chains, COPY --from, RUN --mount from), itself included. */
export function stagesNeeded(df: ParsedDockerfile, target = df.stages.length - 1): Set<number> {
  const need = new Set<number>();
  const visit = (i: number) => {
    if (need.has(i) || !df.stages[i]) return;
    need.add(i);
    const s = df.stages[i]!;
    if (s.parent.kind === 'stage') visit(s.parent.stage);
    for (const ins of s.instructions) {
      const vars = varsAt(df, ins);
      const refs: string[] = [];
      const from = ins.flags.find((f) => f.name === 'from')?.value;
      if (from != null && (ins.op === 'COPY' || ins.op === 'ADD')) refs.push(from);
      for (const m of ins.flags.filter((f) => f.name === 'mount')) if (m.options.from) refs.push(m.options.from);
      for (const r of refs) {
        let v = r;
        try {
          v = expandWord(r, vars, df.escape);
        } catch {
          /* reported by readDockerfile */
        }
        const st = stageNamed(df, v, s.index);
        if (st) visit(st.index);
      }
    }
  };
  visit(target);
  return need;
}

/**
 * Dockerfile instructions with their first line, continuation lines joined and comments skipped (the shape the labs'
 * checks started with; `readDockerfile` gives the whole model).
 */
export function parseDockerfile(text: string): Instruction[] {
  return readDockerfile(text).instructions;
}
