/** Workspaces (issue 16): see engine.ts and /work/notes/workspace-api.md. Server-only: talks to the Docker engine. */
export { WorkspaceEngine, getWorkspaceEngine, MAX_TERMINALS } from './engine';
export type { WorkspaceInfo, WorkspaceEvent, Terminal, EngineOptions, Lang, Status, StopReason } from './engine';
export type { WorkspaceFiles, FileView } from './files';
export type { PracticeResult, PracticeCheck } from './practice';
export type { StepView } from './steps';
export { WorkspaceError, WorkspaceStale } from './errors';
export { workspaceCap, WORKSPACES_PER_SLOT } from './cap';
