/**
 * A workspace's files in the database: the one source of truth the editor and the terminal both write to. Only the
 * lab's files are kept (the manifest's `files` and `extraExtensions`), with the names and sizes a submission may have
 * (lib/labs/files.ts, lib/grading/tar.ts): whatever a learner makes in /work besides (notes, test files) stays in the
 * container only.
 */
import { getDb, type Prisma } from '../db';
import type { Lab } from '../labs/registry';
import { readFolderFiles } from '../labs/registry';
import { fileRefusal, setRefusal } from '../labs/files';
import type { FileRules } from './agent/protocol';
import { WorkspaceError } from './errors';
import path from 'node:path';
import fs from 'node:fs';

export interface FileView {
  path: string;
  content: string;
  updatedAt: string;
}

export interface WorkspaceFiles {
  workspaceId: string;
  revision: number;
  files: FileView[];
}

export function fileRules(lab: Lab): FileRules {
  const m = lab.manifest;
  return { files: m.files.map((f) => f.path), extraExtensions: m.extraExtensions, maxFileBytes: m.maxFileBytes, maxFiles: m.maxFiles };
}

export function isLabFile(lab: Lab, rel: string): boolean {
  const m = lab.manifest;
  if (m.files.some((f) => f.path === rel)) return true;
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 && m.extraExtensions.includes(base.slice(dot));
}

/** Why a file cannot be stored for this lab, or null: the submission gate's rule for one file (lib/labs/files.ts). */
export function refuseFile(lab: Lab, rel: string, size: number): { ko: string; en: string } | null {
  return fileRefusal(lab.manifest, rel, size)?.bilingual() ?? null;
}

/** Whether a whole set fits the lab (count and total size); a message when not. */
export function refuseSet(lab: Lab, files: { path: string; content: Buffer }[]): { ko: string; en: string } | null {
  return setRefusal(lab.manifest, files)?.bilingual() ?? null;
}

export function starterFiles(lab: Lab): { path: string; content: Buffer }[] {
  const dir = path.join(lab.dir, 'starter');
  if (!fs.existsSync(dir)) return [];
  return readFolderFiles(dir).filter((f) => !refuseFile(lab, f.path, f.content.length));
}

type Tx = Prisma.TransactionClient;

/** The learner's workspace row for a lab, created (with the starter's files) on first use. */
export async function ensureRow(userId: string, lab: Lab, lang?: 'ko' | 'en') {
  const db = getDb();
  const found = await db.workspace.findUnique({ where: { userId_labId: { userId, labId: lab.manifest.id } } });
  if (found) return found;
  const files = starterFiles(lab);
  try {
    return await db.workspace.create({
      data: {
        userId,
        labId: lab.manifest.id,
        lang: lang ?? 'ko',
        revision: 1,
        files: { create: files.map((f) => ({ path: f.path, content: new Uint8Array(f.content) })) },
      },
    });
  } catch {
    // Created at the same moment by another request.
    return db.workspace.findUniqueOrThrow({ where: { userId_labId: { userId, labId: lab.manifest.id } } });
  }
}

export async function readRowFiles(workspaceId: string, tx: Tx = getDb()): Promise<WorkspaceFiles> {
  const row = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { revision: true, files: { orderBy: { path: 'asc' } } } });
  return {
    workspaceId,
    revision: row.revision,
    files: row.files.map((f) => ({ path: f.path, content: Buffer.from(f.content).toString('utf8'), updatedAt: f.updatedAt.toISOString() })),
  };
}

export async function rawFiles(workspaceId: string): Promise<{ path: string; content: Buffer }[]> {
  const rows = await getDb().workspaceFile.findMany({ where: { workspaceId }, orderBy: { path: 'asc' } });
  return rows.map((r) => ({ path: r.path, content: Buffer.from(r.content) }));
}

/**
 * Applies a change (upserts and deletes) in one transaction under a row lock, checking every name and size and the
 * resulting set against the lab. `baseRevision` (the editor's) must be current when given. Returns the new revision
 * and what actually changed (files whose content is the same are left alone).
 */
export async function applyChange(
  lab: Lab,
  workspaceId: string,
  change: { files: { path: string; content: Buffer }[]; delete: string[]; replace?: boolean; baseRevision?: number },
): Promise<{ revision: number; changed: { path: string; content: Buffer }[]; deleted: string[]; stale?: boolean }> {
  for (const f of change.files) {
    const why = refuseFile(lab, f.path, f.content.length);
    if (why) throw new WorkspaceError('invalid_input', why);
  }
  return getDb().$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<{ revision: number }[]>`SELECT revision FROM "Workspace" WHERE id = ${workspaceId} FOR UPDATE`;
      if (!row) throw new WorkspaceError('not_found', { ko: '작업 공간이 없습니다.', en: 'No such workspace.' });
      if (change.baseRevision !== undefined && change.baseRevision !== row.revision) return { revision: row.revision, changed: [], deleted: [], stale: true };
      const current = new Map((await tx.workspaceFile.findMany({ where: { workspaceId } })).map((f): [string, Buffer] => [f.path, Buffer.from(f.content)]));
      const next = new Map(current);
      const deleted = new Set(change.delete.filter((p) => current.has(p)));
      if (change.replace) for (const p of current.keys()) if (!change.files.some((f) => f.path === p)) deleted.add(p);
      for (const p of deleted) next.delete(p);
      const changed = change.files.filter((f) => !current.get(f.path)?.equals(new Uint8Array(f.content)));
      for (const f of changed) next.set(f.path, f.content);
      const whySet = refuseSet(
        lab,
        [...next.entries()].map(([p, c]) => ({ path: p, content: c })),
      );
      if (whySet) throw new WorkspaceError('invalid_input', whySet);
      if (!changed.length && !deleted.size) return { revision: row.revision, changed: [], deleted: [] };
      for (const f of changed) {
        await tx.workspaceFile.upsert({
          where: { workspaceId_path: { workspaceId, path: f.path } },
          create: { workspaceId, path: f.path, content: new Uint8Array(f.content) },
          update: { content: new Uint8Array(f.content) },
        });
      }
      if (deleted.size) await tx.workspaceFile.deleteMany({ where: { workspaceId, path: { in: [...deleted] } } });
      const up = await tx.workspace.update({
        where: { id: workspaceId },
        data: { revision: { increment: 1 }, lastActiveAt: new Date() },
        select: { revision: true },
      });
      return { revision: up.revision, changed, deleted: [...deleted] };
    },
    { timeout: 15_000, maxWait: 10_000 },
  );
}
