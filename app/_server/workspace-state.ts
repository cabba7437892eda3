import 'server-only';
import { AppError } from '@/lib/errors';
import { getLab } from '@/lib/labs/registry';
import type { Actor } from '@/lib/auth/actor';
import type { StepView, WorkspaceFiles, WorkspaceInfo } from '@/lib/workspaces';
import { withEngine } from './workspaces';

/** What the lab page and GET /api/labs/<id>/workspace know of the learner's workspace for a lab. */
export interface WorkspaceState {
  /** Null until the learner first opens a terminal for this lab. */
  workspace: WorkspaceInfo | null;
  /** The workspace's files (the one copy the editor and the terminal share), null before the first open. */
  files: WorkspaceFiles | null;
  /** The lab's guided steps with the learner's progress (none done before the first open). */
  steps: StepView[];
}

/** The actor's own workspace state for a lab; starts nothing and creates nothing. not_found for a lab without one. */
export async function workspaceState(actor: Actor, labId: string): Promise<WorkspaceState> {
  const lab = getLab(labId);
  if (!lab?.manifest.workspace) throw new AppError('not_found');
  return withEngine(async (e) => {
    const workspace = await e.find(actor, labId);
    if (!workspace) {
      const steps = lab.manifest.steps.map((s) => ({ id: s.id, title: s.title, text: s.text, verifiable: !!s.verify, done: false, doneAt: null }));
      return { workspace: null, files: null, steps };
    }
    const [files, steps] = await Promise.all([e.readFiles(actor, labId), e.listSteps(actor, labId)]);
    return { workspace, files, steps };
  });
}
