import { pack } from 'tar-stream';
import { ARCHIVE_LIMITS } from './limits';

export interface SubmittedFile {
  path: string;
  content: Buffer;
}

export class ArchiveError extends Error {}

const SAFE_SEGMENT = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;

/**
 * Checks one entry name: relative, no `..` or `.` segments, no absolute path, no backslashes, no control
 * characters, only plain file-name characters, bounded length and depth. Returns the reason it is refused, or null.
 */
export function checkEntryName(name: string): string | null {
  if (name.length === 0) return 'empty file name';
  if (name.length > ARCHIVE_LIMITS.maxPathLength) return `file name longer than ${ARCHIVE_LIMITS.maxPathLength} characters`;
  if (name.startsWith('/')) return `absolute path "${name}"`;
  if (name.includes('\\')) return `backslash in "${name}"`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'control character in a file name';
  const parts = name.split('/');
  if (parts.length > ARCHIVE_LIMITS.maxDepth) return `"${name}" is nested more than ${ARCHIVE_LIMITS.maxDepth} folders deep`;
  for (const p of parts) {
    if (p === '..') return `".." in "${name}"`;
    if (p === '.' || p === '') return `empty or "." segment in "${name}"`;
    if (!SAFE_SEGMENT.test(p)) return `"${name}" has characters other than letters, digits, "_", "-" and "."`;
  }
  return null;
}

/** Validates every name and size, then builds the archive in memory: regular files only, owned by the sandbox user. */
export async function buildSubmissionTar(files: SubmittedFile[]): Promise<Buffer> {
  if (files.length > ARCHIVE_LIMITS.maxEntries) throw new ArchiveError(`too many files (${files.length} > ${ARCHIVE_LIMITS.maxEntries})`);
  const seen = new Set<string>();
  let total = 0;
  for (const f of files) {
    const why = checkEntryName(f.path);
    if (why) throw new ArchiveError(why);
    if (seen.has(f.path)) throw new ArchiveError(`"${f.path}" appears twice`);
    seen.add(f.path);
    if (f.content.length > ARCHIVE_LIMITS.maxFileBytes) throw new ArchiveError(`"${f.path}" is larger than ${ARCHIVE_LIMITS.maxFileBytes} bytes`);
    total += f.content.length;
  }
  if (total > ARCHIVE_LIMITS.maxTotalBytes) throw new ArchiveError(`the files add up to more than ${ARCHIVE_LIMITS.maxTotalBytes} bytes`);

  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    p.on('data', (c: unknown) => chunks.push(c as Buffer));
    p.on('end', () => resolve(Buffer.concat(chunks)));
    p.on('error', reject);
  });
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    p.entry({ name: f.path, type: 'file', mode: 0o644, uid: 10001, gid: 10001, mtime: new Date(0), size: f.content.length }, f.content);
  }
  p.finalize();
  return done;
}
