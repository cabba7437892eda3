import type { LabManifest } from './manifest';
import { checkEntryName, type SubmittedFile } from '../grading/tar';
import { AppError, msg, type ErrorMessage } from '../errors';

/**
 * A submission that does not fit the lab's manifest: an AppError (invalid_input) whose message is for the learner.
 * Kept as its own name only for lib/grading/grade.ts, which reads `msg`; new code catches AppError.
 */
export class SubmissionRejected extends AppError {
  constructor(message: ErrorMessage) {
    super('invalid_input', { message });
  }

  get msg(): { ko: string; en: string } {
    return this.bilingual();
  }
}

/** The lab's own rules: required files present, only allowed names, counts and sizes within the manifest. */
export function checkSubmissionFiles(m: LabManifest, files: SubmittedFile[]): void {
  if (files.length === 0) throw new SubmissionRejected(msg('errors.noFiles'));
  if (files.length > m.maxFiles) {
    throw new SubmissionRejected(msg('errors.too_many_files', { max: m.maxFiles }));
  }
  let total = 0;
  const names = new Set(files.map((f) => f.path));
  for (const f of files) {
    const why = checkEntryName(f.path);
    if (why) throw new SubmissionRejected(msg('errors.fileNameRefused', { why }));
    if (f.path === '.lms' || f.path.startsWith('.lms/')) throw new SubmissionRejected(msg('errors.reservedName'));
    const known = m.files.some((x) => x.path === f.path);
    const ext = f.path.includes('.') ? f.path.slice(f.path.lastIndexOf('.')) : '';
    if (!known && !m.extraExtensions.includes(ext)) {
      const allowed = [...m.files.map((x) => x.path), ...m.extraExtensions.map((e) => `*${e}`)].join(', ');
      throw new SubmissionRejected(msg('errors.fileNotTaken', { path: f.path, allowed }));
    }
    if (f.content.length > m.maxFileBytes) {
      throw new SubmissionRejected(msg('errors.file_too_large', { path: f.path, max: m.maxFileBytes }));
    }
    total += f.content.length;
  }
  if (total > m.maxTotalBytes) {
    throw new SubmissionRejected(msg('errors.files_too_large', { max: m.maxTotalBytes }));
  }
  for (const req of m.files.filter((x) => x.required)) {
    if (!names.has(req.path)) throw new SubmissionRejected(msg('errors.fileRequired', { path: req.path }));
  }
}
