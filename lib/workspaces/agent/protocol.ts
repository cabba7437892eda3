/**
 * The JSON-lines protocol between the engine (web process) and the agent inside a workspace container (PID 1 under
 * tini, attached: the engine writes to its stdin and reads its stdout). The container has no network, so this and
 * `docker exec` are the only ways in. Everything the agent says is read as hostile input by the engine (the learner
 * owns the container and can replace or impersonate the agent): the engine checks each message's shape, every path
 * and size against the lab's manifest, and never takes the agent's word for anything but the learner's own files and
 * requests (a step's verdict comes from an exec the engine runs itself).
 */

/** The longest line either side accepts (a full set of files, base64, fits: maxTotalBytes is at most 16 MiB). */
export const MAX_LINE_BYTES = 24 * 1024 * 1024;
export const PROTOCOL_VERSION = 1;
/** Where the agent listens for the in-container `lms` command. */
export const AGENT_SOCKET = '/tmp/.lms/agent.sock';
export const WORK_DIR = '/work';

export interface WireFile {
  path: string;
  /** base64 */
  b64: string;
}

/** Which files of /work are the lab's (synced and stored): the manifest's files and extra extensions. */
export interface FileRules {
  files: string[];
  extraExtensions: string[];
  maxFileBytes: number;
  maxFiles: number;
}

export type ToAgent =
  | { op: 'config'; rules: FileRules; lang: 'ko' | 'en' }
  /** Writes files into /work (and deletes); `replace`: also removes the lab's files not listed. Acked by seq. */
  | { op: 'put'; seq: number; files: WireFile[]; delete?: string[]; replace?: boolean }
  /** Reports every lab file as it is now (`state`), after a reattach. */
  | { op: 'hello'; seq: number }
  /** Scans now and reports changes, then acks (before a check, a stop). */
  | { op: 'flush'; seq: number }
  /** A line for an `lms` request still running (progress), and its end. */
  | { op: 'print'; req: number; text: string }
  | { op: 'answer'; req: number; text: string; exit: number }
  /** Ends a terminal's shell (its process group gets SIGHUP). */
  | { op: 'kill-shell'; id: string };

export type FromAgent =
  | { t: 'ready'; version: number; tools: { name: string; version: string }[] }
  | { t: 'ack'; seq: number; errors?: string[] }
  | { t: 'state'; seq: number; files: WireFile[]; refused: { path: string; why: string }[]; tools?: { name: string; version: string }[] }
  | { t: 'changed'; files: WireFile[]; deleted: string[]; refused: { path: string; why: string }[] }
  /** A request from the in-container `lms` command. */
  | { t: 'req'; req: number; cmd: 'check' | 'files' | 'step' | 'steps' | 'submit' | 'help'; args: string[] };
