import 'server-only';
import { getWorkspaceEngine, type WorkspaceEngine } from '@/lib/workspaces';
import type { Actor } from '@/lib/auth/actor';
import type { SessionUser } from './session';
import { asAppError } from './http/workspace-errors';

/**
 * The route handlers' way to the workspace engine (the process's singleton, shared with server.ts's terminal relay):
 * runs `fn` and turns the engine's refusals into AppErrors route() recognises (app/_server/http/workspace-errors.ts).
 */
export async function withEngine<T>(fn: (engine: WorkspaceEngine) => Promise<T>): Promise<T> {
  try {
    return await fn(getWorkspaceEngine());
  } catch (e) {
    throw asAppError(e) ?? e;
  }
}

/** The acting user for the engine (route() has checked the session already). */
export function actorOf(user: SessionUser | null): Actor {
  return { id: user!.id, role: user!.role };
}

/** A lab id in a path, as the lab page takes it. */
export const LAB_ID = /^[a-z0-9-]{3,63}$/;
/** A workspace id in a path (a cuid; anything longer or stranger is refused before the database is asked). */
export const WORKSPACE_ID = /^[A-Za-z0-9_-]{1,64}$/;
