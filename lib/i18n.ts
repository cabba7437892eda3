import type { Lang } from './content/schema';

export type { Lang };

const dict = {
  appName: { ko: 'DevOps 10주 로드맵', en: 'DevOps 10-Week Roadmap' },
  roadmap: { ko: '로드맵', en: 'Roadmap' },
  dashboard: { ko: '대시보드', en: 'Dashboard' },
  signIn: { ko: '로그인', en: 'Sign in' },
  signOut: { ko: '로그아웃', en: 'Sign out' },
  signUp: { ko: '가입하기', en: 'Sign up' },
  email: { ko: '이메일', en: 'Email' },
  password: { ko: '비밀번호', en: 'Password' },
  name: { ko: '이름', en: 'Name' },
  startLearning: { ko: '학습 시작하기', en: 'Start learning' },
  intro: { ko: '들어가며', en: 'Introduction' },
  week: { ko: '주차', en: 'Week' },
  lessons: { ko: '레슨', en: 'Lessons' },
  lab: { ko: '실습', en: 'Lab' },
  troubleshootLab: { ko: '문제 해결 실습', en: 'Troubleshooting lab' },
  goals: { ko: '학습 목표', en: 'Goals' },
  officialDocs: { ko: '공식 문서', en: 'Official docs' },
  assumes: { ko: '기준 버전', en: 'Assumes' },
  minutes: { ko: '분', en: 'min' },
  previous: { ko: '이전', en: 'Previous' },
  next: { ko: '다음', en: 'Next' },
  comingSoon: { ko: '준비 중', en: 'Coming soon' },
  submit: { ko: '제출하기', en: 'Submit' },
  submitting: { ko: '제출 중…', en: 'Submitting…' },
  uploadFiles: { ko: '파일 업로드', en: 'Upload files' },
  starterDownload: { ko: '시작 파일 받기', en: 'Download starter' },
  history: { ko: '제출 기록', en: 'Submission history' },
  noSubmissions: { ko: '아직 제출한 적이 없습니다. 파일을 작성하고 제출해 보세요.', en: 'No submissions yet. Write your files and submit.' },
  score: { ko: '점수', en: 'Score' },
  hint: { ko: '힌트 보기', en: 'Show hint' },
  attempt: { ko: '시도', en: 'Attempt' },
  passed: { ko: '통과', en: 'Passed' },
  failed: { ko: '미통과', en: 'Not passed' },
  notGradable: { ko: '채점 불가', en: 'Not gradable' },
  status_QUEUED: { ko: '대기 중', en: 'Queued' },
  status_RUNNING: { ko: '채점 중', en: 'Grading' },
  status_GRADED: { ko: '채점 완료', en: 'Graded' },
  status_TIMED_OUT: { ko: '시간 초과', en: 'Timed out' },
  status_ERROR: { ko: '오류', en: 'Error' },
  phase_queued: { ko: '대기열에서 기다리는 중', en: 'Waiting in the queue' },
  phase_starting: { ko: '샌드박스 시작 중', en: 'Starting the sandbox' },
  phase_building: { ko: '이미지 빌드 중', en: 'Building the image' },
  phase_running: { ko: '검사 실행 중', en: 'Running the checks' },
  phase_finished: { ko: '완료', en: 'Finished' },
  queuePosition: { ko: '대기 순서', en: 'Position in queue' },
  signInToSubmit: { ko: '제출하려면 로그인하세요.', en: 'Sign in to submit.' },
  invalidLogin: { ko: '이메일 또는 비밀번호가 올바르지 않습니다.', en: 'Wrong email or password.' },
  noAccount: { ko: '계정이 없나요?', en: 'No account yet?' },
  haveAccount: { ko: '이미 계정이 있나요?', en: 'Already have an account?' },
  language: { ko: '언어', en: 'Language' },
  myLabs: { ko: '실습 점수', en: 'Lab scores' },
  recent: { ko: '최근 제출', en: 'Recent submissions' },
  nextStep: { ko: '다음 단계', en: 'Next step' },
  notFound: { ko: '페이지를 찾을 수 없습니다.', en: 'Page not found.' },
  backHome: { ko: '처음으로', en: 'Back to home' },
  viewLab: { ko: '실습 열기', en: 'Open the lab' },
  best: { ko: '최고 점수', en: 'Best score' },
  files: { ko: '파일', en: 'Files' },
  instructions: { ko: '실습 안내', en: 'Instructions' },
  demoHint: { ko: '데모 계정', en: 'Demo accounts' },
} as const;

export type MsgKey = keyof typeof dict;

export function t(lang: Lang, key: MsgKey): string {
  return dict[key][lang];
}

export function isLang(x: unknown): x is Lang {
  return x === 'ko' || x === 'en';
}

/** "1주차" in Korean, "Week 1" in English; week 0 is the introduction. */
export function weekLabel(lang: Lang, week: number): string {
  if (week === 0) return dict.intro[lang];
  return lang === 'ko' ? `${week}주차` : `Week ${week}`;
}
