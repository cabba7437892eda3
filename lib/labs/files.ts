import type { LabManifest } from './manifest';
import { checkEntryName, type SubmittedFile } from '../grading/tar';
import { AppError, msg } from '../errors';

/** A file as it arrives at any edge: text from the editor or an API, bytes from an upload, a workspace or a folder. */
export interface RawFile {
  path: string;
  content: string | Uint8Array;
}

/**
 * Why one file cannot be part of a submission of this lab, or null: a name the archive refuses (climbing out, links,
 * control characters...), the engine's reserved `.lms/`, a name the manifest does not take, or a size over its limit.
 * The workspace engine asks the same question of each file a learner saves (lib/workspaces/files.ts).
 */
export function fileRefusal(m: LabManifest, path: string, size: number): AppError | null {
  const why = checkEntryName(path);
  if (why) return new AppError('invalid_input', { message: msg('errors.fileNameRefused', { why }) });
  if (path === '.lms' || path.startsWith('.lms/')) return new AppError('invalid_input', { message: msg('errors.reservedName') });
  const known = m.files.some((x) => x.path === path);
  const ext = path.includes('.') ? path.slice(path.lastIndexOf('.')) : '';
  if (!known && !m.extraExtensions.includes(ext)) {
    const allowed = [...m.files.map((x) => x.path), ...m.extraExtensions.map((e) => `*${e}`)].join(', ');
    return new AppError('invalid_input', { message: msg('errors.fileNotTaken', { path, allowed }) });
  }
  if (size > m.maxFileBytes) return new AppError('file_too_large', { params: { path, max: m.maxFileBytes } });
  return null;
}

/** Whether a whole set fits the lab (count, total size), or null. */
export function setRefusal(m: LabManifest, files: readonly { content: { length: number } }[]): AppError | null {
  if (files.length > m.maxFiles) return new AppError('too_many_files', { params: { max: m.maxFiles } });
  const total = files.reduce((n, f) => n + f.content.length, 0);
  if (total > m.maxTotalBytes) return new AppError('files_too_large', { params: { max: m.maxTotalBytes } });
  return null;
}

/**
 * The one gate for a submission's files, wherever they come from (the lab page, the API, a workspace's submit or
 * practice check, `bin/lms grade`, the worker before it builds the archive): the count and sizes first (413s:
 * too_many_files, file_too_large, files_too_large), then each name (invalid_input), then the required files. Returns the
 * files as Buffers (text as UTF-8). Every refusal is an AppError with a ko/en message for the learner.
 */
export function acceptFiles(m: LabManifest, raw: readonly RawFile[]): (SubmittedFile & { content: Buffer<ArrayBuffer> })[] {
  const files = raw.map((f) => ({ path: f.path, content: typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : Buffer.from(f.content) }));
  if (files.length === 0) throw new AppError('invalid_input', { message: msg('errors.noFiles') });
  if (files.length > m.maxFiles) throw new AppError('too_many_files', { params: { max: m.maxFiles } });
  const big = files.find((f) => f.content.length > m.maxFileBytes);
  if (big) throw new AppError('file_too_large', { params: { path: big.path, max: m.maxFileBytes } });
  const tooMuch = setRefusal(m, files);
  if (tooMuch) throw tooMuch;
  for (const f of files) {
    const r = fileRefusal(m, f.path, f.content.length);
    if (r) throw r;
  }
  const names = new Set(files.map((f) => f.path));
  for (const req of m.files.filter((x) => x.required)) {
    if (!names.has(req.path)) throw new AppError('invalid_input', { message: msg('errors.fileRequired', { path: req.path }) });
  }
  return files;
}
