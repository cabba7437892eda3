/**
 * Workspace refusals: AppErrors (lib/errors.ts) whose message is bilingual text of their own, so route handlers and
 * actions translate them as any other (`text(lang)`, `bilingual()`).
 */
import { AppError, type ErrorCode } from '../errors';
import type { Lang } from '../i18n';

export type Bi = { ko: string; en: string };

export class WorkspaceError extends AppError {
  readonly said: Bi;
  constructor(code: ErrorCode, said: Bi, opts: { retryAfterS?: number } = {}) {
    super(code, { message: { text: said.en }, ...(opts.retryAfterS !== undefined ? { retryAfterS: opts.retryAfterS } : {}) });
    this.said = said;
  }
  override text(lang: Lang): string {
    return this.said[lang] ?? this.said.en;
  }
}

/** writeFiles with a baseRevision older than the stored one: nothing written; `current` is what is stored. */
export class WorkspaceStale extends WorkspaceError {
  constructor(readonly current: unknown) {
    super('invalid_input', {
      ko: '그 사이 터미널에서 파일이 바뀌었습니다. 바뀐 내용을 불러온 뒤 다시 저장하세요.',
      en: 'The files changed in the terminal meanwhile. Load the changes, then save again.',
    });
  }
}

export const M = {
  noWorkspace: { ko: '이 실습에는 작업 공간이 없습니다.', en: 'This lab has no workspace.' },
  full: (n: number) => ({
    ko: `이 서버의 작업 공간이 모두 쓰이고 있습니다 (${n}개 중 ${n}개). 1분쯤 뒤에 다시 열어 보세요. 파일은 저장되어 있습니다.`,
    en: `All workspaces on this server are in use (${n} of ${n}). Try again in a minute; your files are saved.`,
  }),
  unavailable: {
    ko: '지금은 작업 공간을 열 수 없습니다. 파일은 저장되어 있으니 잠시 뒤 다시 해 보세요.',
    en: 'Workspaces are unavailable right now; your files are saved. Try again in a moment.',
  },
  tooManyTerminals: (n: number) => ({
    ko: `터미널은 한 번에 ${n}개까지 열 수 있습니다. 다른 터미널을 닫고 다시 여세요.`,
    en: `At most ${n} terminals can be open at once. Close another one first.`,
  }),
  practiceLimit: (max: number, minutes: number) => ({
    ko: `연습 채점은 ${minutes}분에 ${max}번까지입니다. 조금 뒤에 다시 해 보세요.`,
    en: `Practice checks are limited to ${max} every ${minutes} minutes. Try again a little later.`,
  }),
  practiceBusy: {
    ko: '연습 채점이 이미 진행 중입니다. 결과가 나온 뒤 다시 해 보세요.',
    en: 'A practice check is already running. Wait for its result, then try again.',
  },
  noStep: { ko: '이 실습에 그런 단계가 없습니다.', en: 'This lab has no such step.' },
};
