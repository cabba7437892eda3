import type { LabManifest } from './manifest';
import { checkEntryName, type SubmittedFile } from '../grading/tar';

/** A submission that does not fit the lab's manifest; the message is for the learner, in both languages. */
export class SubmissionRejected extends Error {
  constructor(readonly msg: { ko: string; en: string }) {
    super(msg.en);
  }
}

/** The lab's own rules: required files present, only allowed names, counts and sizes within the manifest. */
export function checkSubmissionFiles(m: LabManifest, files: SubmittedFile[]): void {
  if (files.length === 0) throw new SubmissionRejected({ ko: '제출한 파일이 없습니다.', en: 'No files were submitted.' });
  if (files.length > m.maxFiles) {
    throw new SubmissionRejected({ ko: `파일은 최대 ${m.maxFiles}개까지 제출할 수 있습니다.`, en: `At most ${m.maxFiles} files may be submitted.` });
  }
  let total = 0;
  const names = new Set(files.map((f) => f.path));
  for (const f of files) {
    const why = checkEntryName(f.path);
    if (why) throw new SubmissionRejected({ ko: `파일 이름을 받을 수 없습니다: ${why}`, en: `File name refused: ${why}` });
    if (f.path === '.lms' || f.path.startsWith('.lms/')) throw new SubmissionRejected({ ko: '.lms/ 아래 이름은 채점 엔진이 씁니다.', en: 'Names under .lms/ are reserved for the grading engine.' });
    const known = m.files.some((x) => x.path === f.path);
    const ext = f.path.includes('.') ? f.path.slice(f.path.lastIndexOf('.')) : '';
    if (!known && !m.extraExtensions.includes(ext)) {
      const allowed = [...m.files.map((x) => x.path), ...m.extraExtensions.map((e) => `*${e}`)].join(', ');
      throw new SubmissionRejected({ ko: `이 실습에서 받지 않는 파일입니다: ${f.path} (받는 파일: ${allowed})`, en: `This lab does not take ${f.path} (it takes: ${allowed})` });
    }
    if (f.content.length > m.maxFileBytes) {
      throw new SubmissionRejected({ ko: `${f.path} 파일이 너무 큽니다 (최대 ${m.maxFileBytes} 바이트).`, en: `${f.path} is too large (at most ${m.maxFileBytes} bytes).` });
    }
    total += f.content.length;
  }
  if (total > m.maxTotalBytes) {
    throw new SubmissionRejected({ ko: `파일 크기의 합이 ${m.maxTotalBytes} 바이트를 넘습니다.`, en: `The files add up to more than ${m.maxTotalBytes} bytes.` });
  }
  for (const req of m.files.filter((x) => x.required)) {
    if (!names.has(req.path)) throw new SubmissionRejected({ ko: `${req.path} 파일이 필요합니다.`, en: `${req.path} is required.` });
  }
}
