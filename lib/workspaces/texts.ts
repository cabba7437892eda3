/** What the in-container `lms` prints for help, files and steps, in the workspace's language. */
import type { Lab } from '../labs/registry';
import type { StepView } from './steps';

const B = (s: string) => `\x1b[1m${s}\x1b[0m`;
const D = (s: string) => `\x1b[2m${s}\x1b[0m`;

const TOOL_HELP: Record<string, { ko: string; en: string }> = {
  hcl: {
    ko: 'lms hcl validate [파일]   HCL 문법 검사 (HashiCorp 파서)   lms hcl json <파일>',
    en: 'lms hcl validate [files]   HCL syntax check (HashiCorp parser)   lms hcl json <file>',
  },
  actionlint: { ko: 'actionlint [파일]   워크플로 검사 (채점기와 같은 actionlint)', en: "actionlint [files]   lint workflows (the grader's actionlint)" },
  bot: {
    ko: 'lms chat   가짜 채팅 서버 · lms webhook [ping|deployment_status] [--state failure] [--bad-signature]   서명한 웹훅 보내기',
    en: 'lms chat   fake chat server · lms webhook [ping|deployment_status] [--state failure] [--bad-signature]   send a signed webhook',
  },
  promtool: {
    ko: 'promtool check rules alerts.yml · promtool test rules <테스트 파일>',
    en: 'promtool check rules alerts.yml · promtool test rules <test file>',
  },
  prometheus: {
    ko: 'lms prometheus start|alerts|reload|demo errors|stop   데모 앱을 수집하는 Prometheus',
    en: 'lms prometheus start|alerts|reload|demo errors|stop   a Prometheus scraping a demo app',
  },
  'syslog-ng': {
    ko: 'syslog-ng -Fe -f <설정 파일>   (syslog-ng --syntax-only -f <파일> 로 설정 검사)',
    en: 'syslog-ng -Fe -f <config>   (syslog-ng --syntax-only -f <file> checks a config)',
  },
  k8s: { ko: 'lms validate [파일]   Kubernetes 스키마 검사 (채점기와 같은 검사)', en: "lms validate [files]   Kubernetes schema check (the grader's own)" },
  istio: {
    ko: 'lms validate [파일]   Istio·Kubernetes 스키마 검사 (채점기와 같은 검사)',
    en: "lms validate [files]   Istio and Kubernetes schema check (the grader's own)",
  },
};

export function helpText(lab: Lab, tools: { name: string; version: string }[], lang: 'ko' | 'en'): string {
  const ko = lang === 'ko';
  const lines = [
    B(ko ? `${lab.manifest.title.ko} — 작업 공간` : `${lab.manifest.title.en} — workspace`),
    '',
    ko
      ? '  lms check        지금 파일로 연습 채점 (제출 횟수에 들어가지 않음)'
      : '  lms check        practice grading of the files as they are (not an attempt)',
    ko ? '  lms files        저장되는 실습 파일 목록' : '  lms files        the lab files that are saved',
    ...(lab.manifest.steps.length
      ? [ko ? '  lms steps        안내 단계 · lms step <id> 단계 확인' : '  lms steps        guided steps · lms step <id> checks one']
      : []),
    ko ? '  lms submit       지금 파일을 제출 (한 번의 제출로 셈)' : '  lms submit       submit the files as they are (counts as an attempt)',
    '',
  ];
  const own = lab.manifest.workspace?.tools ?? [];
  if (own.length) {
    lines.push(B(ko ? '이 실습의 도구' : "This lab's tools"));
    for (const t of own) lines.push(`  ${TOOL_HELP[t]?.[lang] ?? t}`);
    lines.push('');
  }
  if (tools.length) lines.push(D(tools.map((t) => `${t.name} ${t.version}`).join(' · ')), '');
  const missing = lab.manifest.workspace?.notInstalled ?? [];
  if (missing.length) {
    lines.push(B(ko ? '여기 없는 것' : 'Not available here'));
    for (const m of missing) lines.push(`  - ${m[lang]}`);
    lines.push('');
  }
  lines.push(
    D(
      ko
        ? `/work 의 실습 파일만 저장됩니다. 네트워크는 없습니다 (127.0.0.1만).`
        : `Only the lab files in /work are saved. There is no network (127.0.0.1 only).`,
    ),
  );
  return lines.join('\n') + '\n';
}

export function filesText(lab: Lab, files: { path: string; content: Buffer }[], refused: { path: string; why: string }[], lang: 'ko' | 'en'): string {
  const ko = lang === 'ko';
  const lines = [B(ko ? '저장된 실습 파일' : 'Saved lab files')];
  for (const f of files) lines.push(`  ${f.path}  ${D(`${f.content.length} B`)}`);
  if (!files.length) lines.push(ko ? '  (없음)' : '  (none)');
  const allowed = [...lab.manifest.files.map((x) => x.path), ...lab.manifest.extraExtensions.map((e) => `*${e}`)].join(', ');
  lines.push(D(ko ? `이 실습이 받는 파일: ${allowed}` : `This lab takes: ${allowed}`));
  if (refused.length) {
    lines.push(B(ko ? '저장하지 않은 파일' : 'Not saved'));
    for (const r of refused.slice(0, 20)) lines.push(`  ${r.path}: ${r.why}`);
  }
  return lines.join('\n') + '\n';
}

export function stepsText(lab: Lab, steps: StepView[], lang: 'ko' | 'en'): string {
  if (!steps.length) return lang === 'ko' ? '이 실습에는 안내 단계가 없습니다.\n' : 'This lab has no guided steps.\n';
  return steps.map((s, i) => `${s.done ? '\x1b[32m✓\x1b[0m' : '·'} ${i + 1}. ${s.title[lang]}  ${D(`(lms step ${s.id})`)}`).join('\n') + '\n';
}
