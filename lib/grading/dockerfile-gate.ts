/**
 * The gate in front of every build of a learner's Dockerfile: the Dockerfile is read as the builder reads it
 * (grader-kit/dockerfile.ts, the same module the graders use) and refused, before anything is built, when it would
 * reach outside its build context, its own stages and the local base images. The builder has no network either
 * (lib/grading/builder.ts); the gate is what turns an attempt into a clear message instead of a network error.
 *
 * Refused, each with its line: a FROM, `COPY --from` or `RUN --mount from=` naming an image that is not an allowed base
 * (another lab's grader image, anything from a registry); ADD of a URL or a git repository; `RUN --network` other than
 * none; `RUN --security=insecure`; `--mount=type=secret|ssh` (and unknown types); other RUN flags; a `# syntax=`
 * frontend other than docker/dockerfile (it cannot be fetched); a platform other than linux/amd64.
 *
 * Rewritten, and noted: `# syntax=docker/dockerfile:<any>` is dropped (the builder's own Dockerfile frontend builds the
 * file: fetching the frontend image needs a registry); `FROM <allowed base>@sha256:...` builds from the local image of
 * that tag (the digest names a registry's manifest, which does not exist here). Line numbers never move.
 */
import { expandWord, imageName, parseImageRef, readDockerfile, varsAt, type Instruction, type ParsedDockerfile } from '../../grader-kit/dockerfile';

export interface Msg {
  ko: string;
  en: string;
}

export interface GateNote {
  line: number;
  message: Msg;
  /** The file the line is in when it is not the Dockerfile (`.dockerignore`). */
  file?: string;
}

export interface GateResult {
  ok: boolean;
  /** What stops the build, first line first. */
  refusals: GateNote[];
  /** What the builder is given: the learner's text with the rewrites above (same lines). */
  dockerfile: string;
  /** The rewrites made. */
  notes: GateNote[];
  parsed: ParsedDockerfile;
}

/** docker/dockerfile frontends (any version, with or without a digest): the builder's own frontend stands in. */
const DOCKERFILE_FRONTEND = /^(?:(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?)(?::[A-Za-z0-9._-]+)?(?:@sha256:[0-9a-f]{64})?$/;
const BUILT_IN_FRONTEND = 'BuildKit 0.13';

const RUN_MOUNT_TYPES = new Set(['bind', 'cache', 'tmpfs']);

function flagValue(ins: Instruction, raw: string, df: ParsedDockerfile): string {
  try {
    return expandWord(raw, varsAt(df, ins), df.escape);
  } catch {
    return raw;
  }
}

/** Checks a Dockerfile against the allowed base images; `allowed` are image names such as "lms/node:18". */
export function gateDockerfile(text: string, allowed: readonly string[], shown?: { ko: string; en: string }): GateResult {
  const parsed = readDockerfile(text);
  const refusals: GateNote[] = [];
  const notes: GateNote[] = [];
  const allowedNames = new Set(allowed.map((a) => imageName(parseImageRef(a))));
  // The list a refusal names: every allowed image, or a shorter account of them (`shown`) when there are many tags.
  const list = shown?.en ?? allowed.join(', ');
  const listKo = shown?.ko ?? allowed.join(', ');
  const refuse = (line: number, ko: string, en: string) =>
    refusals.push({ line, message: { ko: `Dockerfile:${line}: ${ko}`, en: `Dockerfile:${line}: ${en}` } });
  const lines = text.replace(/^\uFEFF/, '').split('\n');

  // Parser directives.
  const syntax = parsed.directives.syntax;
  if (syntax) {
    if (DOCKERFILE_FRONTEND.test(syntax.value.trim())) {
      notes.push({
        line: syntax.line,
        message: {
          ko: `Dockerfile:${syntax.line}: # syntax=${syntax.value}은 내려받지 않고 빌더에 들어 있는 Dockerfile 프런트엔드(${BUILT_IN_FRONTEND})로 빌드했습니다. 이 빌더에는 레지스트리가 없습니다.`,
          en: `Dockerfile:${syntax.line}: # syntax=${syntax.value} was not fetched; the builder's own Dockerfile frontend (${BUILT_IN_FRONTEND}) built the file. This builder has no registry.`,
        },
      });
      // Keep the other directives first (a directive after a plain comment is no longer one), the rest as comments.
      const top = Object.values(parsed.directives).sort((a, b) => a.line - b.line);
      const kept = top.filter((d) => d !== syntax).map((d) => lines[d.line - 1]!);
      top.forEach((d, i) => (lines[d.line - 1] = kept[i] ?? '#'));
    } else {
      refuse(
        syntax.line,
        `# syntax=${syntax.value}: 이 빌더는 레지스트리에 닿지 않아 다른 Dockerfile 프런트엔드를 내려받을 수 없습니다. 이 줄을 지우면 빌더에 들어 있는 프런트엔드(${BUILT_IN_FRONTEND})로 빌드합니다.`,
        `# syntax=${syntax.value}: this builder reaches no registry, so it cannot fetch another Dockerfile frontend. Remove the line to build with the builder's own frontend (${BUILT_IN_FRONTEND}).`,
      );
    }
  }

  // Problems that leave a reference unknown: refused here (the others the builder reports itself).
  const refLines = new Set(
    parsed.instructions
      .filter((i) => i.op === 'FROM' || i.flags.some((f) => f.name === 'from' || (f.name === 'mount' && f.options.from !== undefined)))
      .map((i) => i.line),
  );
  for (const p of parsed.problems) if (refLines.has(p.line)) refuse(p.line, p.message, p.message);

  // Everything the build would read from outside its context and its own stages.
  for (const r of parsed.references) {
    const ref = parseImageRef(r.value);
    const name = imageName(ref);
    if (r.kind === 'from') {
      if (!allowedNames.has(name) || (ref.tag === undefined && ref.digest !== undefined)) {
        refuse(
          r.line,
          `FROM ${r.value}: 이 이미지는 여기에 없습니다. 쓸 수 있는 베이스 이미지: ${listKo}.`,
          `FROM ${r.value} is not available here; use one of ${list}.`,
        );
      } else if (ref.digest !== undefined) {
        const ins = parsed.instructions.find((i) => i.op === 'FROM' && i.line === r.line)!;
        const stage = parsed.stages.find((s) => s.line === r.line);
        const platform = ins.flags.find((f) => f.name === 'platform');
        lines[ins.line - 1] = [
          'FROM',
          ...(platform?.value != null ? [`--platform=${platform.value}`] : []),
          name,
          ...(stage?.name ? ['AS', stage.name] : []),
        ].join(' ');
        for (let l = ins.line; l < ins.endLine; l++) lines[l] = '';
        notes.push({
          line: r.line,
          message: {
            ko: `Dockerfile:${r.line}: ${r.value}의 다이제스트는 레지스트리의 매니페스트를 가리키는데, 이 빌더에는 레지스트리가 없습니다. 같은 태그의 로컬 이미지 ${name}(으)로 빌드했습니다.`,
            en: `Dockerfile:${r.line}: the digest in ${r.value} names a registry's manifest, and this builder has no registry; built from the local image of the same tag, ${name}.`,
          },
        });
      }
    } else if (r.kind === 'copy-from' || r.kind === 'mount-from') {
      const what = r.kind === 'copy-from' ? `COPY --from=${r.value}` : `RUN --mount=...,from=${r.value}`;
      if (!allowedNames.has(name) || ref.digest !== undefined) {
        refuse(
          r.line,
          `${what}: 앞선 스테이지의 이름(또는 번호)이나 베이스 이미지(${listKo})만 가리킬 수 있습니다. ${r.value}은(는) 둘 다 아닙니다. 스테이지 이름의 철자를 확인하세요.`,
          `${what}: only an earlier stage (by name or index) or a base image (${list}) can be named here, and ${r.value} is neither. Check the stage name's spelling.`,
        );
      }
    } else {
      const what = r.kind === 'add-git' ? 'git 저장소' : 'URL';
      refuse(
        r.line,
        `ADD ${r.value}: 빌드에는 네트워크가 없어 ${what}에서 내려받을 수 없습니다. 필요한 파일은 제출물에 넣고 COPY하세요.`,
        `ADD ${r.value}: builds here have no network, so nothing can be fetched from a ${r.kind === 'add-git' ? 'git repository' : 'URL'}. Put the file in your submission and COPY it.`,
      );
    }
  }

  // Flags that would reach outside: networks, insecure mode, secrets and agents; and platforms that need emulation.
  for (const top of parsed.instructions) {
    const ins = top.trigger ? { ...top.trigger, stage: top.stage } : top;
    if (ins.op === 'FROM' && !top.trigger) {
      const platform = parsed.stages.find((st) => st.line === ins.line)?.platform;
      if (platform !== undefined && platform !== '' && !/^linux\/amd64(\/v\d)?$/.test(platform)) {
        refuse(
          ins.line,
          `--platform=${platform}: 이 빌더는 linux/amd64 이미지만 만듭니다.`,
          `--platform=${platform}: this builder makes linux/amd64 images only.`,
        );
      }
    }
    if (ins.op !== 'RUN') continue;
    for (const f of ins.flags) {
      const v = f.value != null ? flagValue(ins, f.value, parsed) : '';
      if (f.name === 'network') {
        if (v.toLowerCase() !== 'none')
          refuse(
            ins.line,
            `RUN --network=${v}: 빌드 단계는 네트워크 없이 실행됩니다. --network=none만 쓸 수 있습니다. 필요한 것은 빌드 컨텍스트에서 COPY하세요.`,
            `RUN --network=${v}: build steps run with no network here; only --network=none is accepted. COPY what the step needs from the build context.`,
          );
      } else if (f.name === 'security') {
        if (v.toLowerCase() !== 'sandbox')
          refuse(
            ins.line,
            `RUN --security=${v}: 빌드 단계에 추가 권한을 줄 수 없습니다.`,
            `RUN --security=${v}: build steps cannot be given extra privileges here.`,
          );
      } else if (f.name === 'mount') {
        const type = (f.options.type ?? 'bind').toLowerCase();
        if (type === 'secret' || type === 'ssh') {
          refuse(
            ins.line,
            `RUN --mount=type=${type}: 이 빌드에는 비밀 값이나 SSH 에이전트가 전달되지 않습니다. 채점에 필요한 것은 모두 제출한 파일 안에 있어야 합니다.`,
            `RUN --mount=type=${type}: no secrets or SSH agent are passed to builds here; everything the build needs must be in the files you submit.`,
          );
        } else if (!RUN_MOUNT_TYPES.has(type)) {
          refuse(
            ins.line,
            `RUN --mount=type=${type}: 알 수 없는 마운트 종류입니다. bind, cache, tmpfs를 쓸 수 있습니다.`,
            `RUN --mount=type=${type}: unknown mount type; bind, cache and tmpfs are accepted.`,
          );
        }
      } else {
        refuse(
          ins.line,
          `RUN --${f.name}: 이 빌더에서 쓸 수 없는 옵션입니다(--mount, --network=none만 됩니다).`,
          `RUN --${f.name}: not accepted by this builder (only --mount and --network=none are).`,
        );
      }
    }
  }

  refusals.sort((a, b) => a.line - b.line);
  return { ok: refusals.length === 0, refusals, dockerfile: lines.join('\n'), notes, parsed };
}
