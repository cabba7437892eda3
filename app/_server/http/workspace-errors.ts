import { AppError, ERRORS, type ErrorCode } from '@/lib/errors';
import { WorkspaceError } from '@/lib/workspaces/errors';

type Bi = { ko: string; en: string };

/**
 * The workspace engine is one object per process (globalThis), but the web process loads lib/ twice: once through
 * server.ts (tsx) and once inside Next's server bundle. Whichever created the engine, its refusals are AppErrors of
 * that copy, which `instanceof` in the other copy does not recognise. This reads a refusal by its shape (name, a code of
 * the ERRORS table, bilingual()) and gives back an AppError of this copy with the same code, message and Retry-After,
 * so route(), the terminal's upgrade and server actions answer it as usual. Anything else stays unknown (null).
 */
export function asAppError(e: unknown): AppError | null {
  if (e instanceof AppError) return e;
  if (!e || typeof e !== 'object') return null;
  const x = e as { name?: unknown; code?: unknown; bilingual?: unknown; retryAfterS?: unknown };
  if (x.name !== 'AppError' || typeof x.code !== 'string' || !Object.hasOwn(ERRORS, x.code) || typeof x.bilingual !== 'function') return null;
  let said: Bi;
  try {
    said = (x.bilingual as () => Bi).call(e);
  } catch {
    return null;
  }
  if (typeof said?.ko !== 'string' || typeof said?.en !== 'string') return null;
  return new WorkspaceError(x.code as ErrorCode, said, typeof x.retryAfterS === 'number' ? { retryAfterS: x.retryAfterS } : {});
}

/** writeFiles refused for a stale baseRevision (lib/workspaces WorkspaceStale, either copy): the stored files. */
export function staleCurrent(e: unknown): unknown {
  if (!e || typeof e !== 'object' || !('current' in e)) return undefined;
  const x = e as { name?: unknown; current?: unknown };
  return x.name === 'AppError' && x.current && typeof x.current === 'object' ? x.current : undefined;
}
