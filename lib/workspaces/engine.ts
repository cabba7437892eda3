/**
 * The workspace engine (issue 16): one long-lived container per learner and lab, with terminals, file sync, practice
 * checks and guided steps. It runs in the web process (server.ts relays each terminal's WebSocket to a `docker exec`
 * TTY stream through it) and keeps nothing in memory that a restart would lose: the database holds the files, steps
 * and which container is whose; containers carry labels; a new engine reattaches to running workspaces on demand and
 * sweeps what nobody owns. The interface for the web side is written in /work/notes/workspace-api.md and
 * docs/workspaces.md.
 */
import crypto from 'node:crypto';
import { Duplex } from 'node:stream';
import Docker from 'dockerode';
import { getDb } from '../db';
import { getEnv } from '../env';
import type { Actor } from '../auth/actor';
import { getLab, type Lab } from '../labs/registry';
import { resolveWorkspaceLimits } from '../grading/limits';
import { AppError } from '../errors';
import { AgentLink } from './agent-link';
import type { FromAgent } from './agent/protocol';
import { createWorkspaceContainer, LABEL_ENGINE, LABEL_LAB, LABEL_OWNER, LABEL_PREFIX, LABEL_WORKSPACE } from './container';
import { applyChange, ensureRow, fileRules, rawFiles, readRowFiles, refuseFile, starterFiles, type WorkspaceFiles } from './files';
import { ensureWorkspaceImage } from './images';
import { M, WorkspaceError, WorkspaceStale, type Bi } from './errors';
import { queuePractice, waitPractice, type PracticeResult } from './practice';
import { runStep, stepViews, type StepView } from './steps';
import { workspaceCap } from './cap';
import { helpText, filesText, stepsText } from './texts';

export type Lang = 'ko' | 'en';
export type Status = 'starting' | 'running' | 'stopped';
export type StopReason = 'idle' | 'replaced' | 'closed' | 'swept' | 'error';

export interface WorkspaceInfo {
  id: string;
  labId: string;
  status: Status;
  lang: Lang;
  idleDeadline: number | null;
  image: string | null;
  tools: { name: string; version: string }[];
  missing: Bi[];
}

export type WorkspaceEvent =
  | { type: 'files'; revision: number; source: 'terminal' | 'editor' | 'reset'; changed: { path: string; content: string }[]; deleted: string[] }
  | { type: 'status'; status: Status; reason?: StopReason }
  | { type: 'step'; stepId: string; done: boolean; message?: string }
  | { type: 'check'; state: 'queued' | 'running' | 'done'; submissionId: string; result?: PracticeResult };

export interface Terminal {
  stream: Duplex;
  resize(size: { cols: number; rows: number }): Promise<void>;
  close(): Promise<void>;
  ended: Promise<{ reason: 'exit' | 'closed' | 'stopped' }>;
}

export interface EngineOptions {
  docker?: Docker;
  idleMs?: number;
  /** Host-wide cap of live workspace containers (pool included). */
  max?: number;
  poolSize?: number;
  /** How often idle workspaces, dead sessions and leftovers are swept. */
  sweepMs?: number;
  runtime?: string;
  log?: (m: string) => void;
}

export const MAX_TERMINALS = 4;

interface Live {
  id: string;
  userId: string;
  lab: Lab;
  lang: Lang;
  container: Docker.Container;
  containerId: string;
  link: AgentLink;
  image: string;
  tools: { name: string; version: string }[];
  lastActive: number;
  persistedActive: number;
  terminals: Set<{ close: (reason: 'stopped') => Promise<void> }>;
  refused: { path: string; why: string }[];
  /** Resolves when the agent has taken the files (a shell's go line waits for it). */
  filesIn: Promise<unknown>;
  /** A shell started ahead of the first terminal (its runc exec off the critical path). */
  preShell?: Promise<Shell | null>;
  stopping?: Promise<void>;
  /** Serialises the agent's file reports (each is one database transaction). */
  chain: Promise<unknown>;
}

interface Pooled {
  container: Docker.Container;
  link: AgentLink;
  image: string;
  createdAt: number;
  tools: { name: string; version: string }[];
  /** The agent's first message, for a container not waited for. */
  ready?: Promise<FromAgent | null>;
  preShell?: Promise<Shell | null>;
}

/** A terminal's shell process: a docker exec with a TTY, waiting for its go line until the files are in. */
interface Shell {
  exec: Docker.Exec;
  sock: Duplex;
  id: string;
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(Number.isFinite(v) ? v : lo)));

export class WorkspaceEngine {
  readonly docker: Docker;
  readonly idleMs: number;
  readonly max: number;
  readonly poolSize: number;
  readonly id = `e-${process.pid}-${Date.now().toString(36)}`;
  private live = new Map<string, Live>();
  private opening = new Map<string, Promise<Live>>();
  private userLocks = new Map<string, Promise<unknown>>();
  private listeners = new Map<string, Set<(e: WorkspaceEvent) => void>>();
  private pool = new Map<string, Pooled[]>();
  private poolFilling = new Map<string, number>();
  private poolUsed = new Map<string, number>();
  private timer: NodeJS.Timeout;
  private closed = false;
  private log: (m: string) => void;
  private runtime?: string;
  private prefix: string;

  constructor(opts: EngineOptions = {}) {
    const env = getEnv();
    this.docker = opts.docker ?? new Docker();
    this.idleMs = opts.idleMs ?? env.WORKSPACE_IDLE_MS;
    this.max = opts.max ?? workspaceCap(env);
    this.poolSize = opts.poolSize ?? env.WORKSPACE_POOL_SIZE;
    this.runtime = opts.runtime;
    this.log = opts.log ?? ((m) => console.log(`[workspaces] ${m}`));
    this.prefix = env.REDIS_PREFIX;
    this.timer = setInterval(() => void this.sweep().catch((e) => this.log(`sweep: ${(e as Error).message}`)), opts.sweepMs ?? 15_000);
    this.timer.unref();
  }

  // ---- access -------------------------------------------------------------------------------------------------

  private labOf(labId: string): Lab {
    const lab = getLab(labId);
    if (!lab) throw new AppError('not_found');
    if (!lab.manifest.workspace) throw new WorkspaceError('not_found', M.noWorkspace);
    return lab;
  }

  /** The workspace row if it is the actor's own; anyone else (instructors and admins included) gets not_found. */
  private async ownRow(actor: Actor, workspaceId: string) {
    if (typeof workspaceId !== 'string' || workspaceId.length > 64) throw new AppError('not_found');
    const row = await getDb().workspace.findUnique({ where: { id: workspaceId } });
    if (!row || row.userId !== actor.id) throw new AppError('not_found');
    return row;
  }

  /** One open/close at a time per learner (one workspace per learner). */
  private withUser<T>(userId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.userLocks.get(userId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => {});
    this.userLocks.set(userId, tail);
    void tail.then(() => {
      if (this.userLocks.get(userId) === tail) this.userLocks.delete(userId);
    });
    return next;
  }

  // ---- events -------------------------------------------------------------------------------------------------

  private emit(workspaceId: string, e: WorkspaceEvent): void {
    for (const l of this.listeners.get(workspaceId) ?? []) {
      try {
        l(e);
      } catch (err) {
        this.log(`listener: ${(err as Error).message}`);
      }
    }
  }

  async subscribe(actor: Actor, workspaceId: string, listener: (e: WorkspaceEvent) => void): Promise<() => void> {
    await this.ownRow(actor, workspaceId);
    let set = this.listeners.get(workspaceId);
    if (!set) this.listeners.set(workspaceId, (set = new Set()));
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (!set!.size) this.listeners.delete(workspaceId);
    };
  }

  // ---- info ---------------------------------------------------------------------------------------------------

  private infoOf(row: { id: string; labId: string; lang: string; status: string; image: string | null }, live?: Live): WorkspaceInfo {
    const lab = getLab(row.labId);
    return {
      id: row.id,
      labId: row.labId,
      status: live ? 'running' : (row.status as Status) === 'running' ? 'running' : 'stopped',
      lang: (live?.lang ?? row.lang) === 'en' ? 'en' : 'ko',
      idleDeadline: live ? live.lastActive + this.idleMs : null,
      image: live?.image ?? row.image,
      tools: live?.tools ?? [],
      missing: lab?.manifest.workspace?.notInstalled ?? [],
    };
  }

  async info(actor: Actor, workspaceId: string): Promise<WorkspaceInfo> {
    const row = await this.ownRow(actor, workspaceId);
    return this.infoOf(row, this.live.get(row.id));
  }

  async find(actor: Actor, labId: string): Promise<WorkspaceInfo | null> {
    const row = await getDb().workspace.findUnique({ where: { userId_labId: { userId: actor.id, labId } } });
    return row ? this.infoOf(row, this.live.get(row.id)) : null;
  }

  touch(actor: Actor, workspaceId: string): void {
    const l = this.live.get(workspaceId);
    if (l && l.userId === actor.id) l.lastActive = Date.now();
  }

  async setLang(actor: Actor, workspaceId: string, lang: Lang): Promise<void> {
    const row = await this.ownRow(actor, workspaceId);
    const l = lang === 'en' ? 'en' : 'ko';
    await getDb().workspace.update({ where: { id: row.id }, data: { lang: l } });
    const live = this.live.get(row.id);
    if (live) {
      live.lang = l;
      live.link.send({ op: 'config', rules: fileRules(live.lab), lang: l });
    }
  }

  // ---- open / reattach / stop ---------------------------------------------------------------------------------

  async open(actor: Actor, labId: string, opts: { lang: Lang }): Promise<WorkspaceInfo> {
    const lab = this.labOf(labId);
    const lang: Lang = opts.lang === 'en' ? 'en' : 'ko';
    const row = await ensureRow(actor.id, lab, lang);
    // A live workspace's language changes in memory at once; the row follows (a start writes it with its status).
    if (row.lang !== lang && this.live.has(row.id))
      void getDb()
        .workspace.update({ where: { id: row.id }, data: { lang } })
        .catch(() => {});
    const live = await this.ensureLive(actor.id, row.id, lab, lang);
    return this.infoOf({ ...row, lang, status: 'running' }, live);
  }

  /** The live workspace for a row: already live in this process, reattached, or started (pool or cold). */
  private ensureLive(userId: string, workspaceId: string, lab: Lab, lang?: Lang): Promise<Live> {
    const have = this.live.get(workspaceId);
    if (have && !have.stopping && !have.link.closed) {
      have.lastActive = Date.now();
      if (lang && have.lang !== lang) {
        have.lang = lang;
        have.link.send({ op: 'config', rules: fileRules(lab), lang });
      }
      return Promise.resolve(have);
    }
    let p = this.opening.get(workspaceId);
    if (!p) {
      p = this.withUser(userId, () => this.start(userId, workspaceId, lab, lang)).finally(() => this.opening.delete(workspaceId));
      this.opening.set(workspaceId, p);
    }
    return p;
  }

  private async start(userId: string, workspaceId: string, lab: Lab, lang?: Lang): Promise<Live> {
    if (this.closed) throw new WorkspaceError('server_error', M.unavailable);
    const have = this.live.get(workspaceId);
    if (have?.stopping) await have.stopping;
    else if (have && !have.link.closed) return have;
    const db = getDb();
    // What the start needs, read at once (each is a round trip; the time to a prompt is the figure that matters).
    // The image check and the host-wide count are Docker round trips that need none of the rows: they run alongside.
    const imageP = ensureWorkspaceImage(this.docker, lab, this.log);
    const countP = this.poolReady(lab.manifest.id) > 0 ? null : this.countContainers();
    imageP.catch(() => {});
    countP?.catch(() => {});
    const [others, row, user, files] = await Promise.all([
      db.workspace.findMany({ where: { userId, id: { not: workspaceId }, status: { not: 'stopped' } }, select: { id: true, containerId: true } }),
      db.workspace.findUniqueOrThrow({ where: { id: workspaceId } }),
      db.user.findUnique({ where: { id: userId }, select: { sessionVersion: true } }),
      rawFiles(workspaceId),
    ]);
    // One workspace per learner: any other of theirs stops first (its files are already saved).
    for (const o of others) await this.stopById(o.id, o.containerId, 'replaced');
    const useLang: Lang = (lang ?? row.lang) === 'en' ? 'en' : 'ko';
    // A container from before a restart of this process: reattach.
    if (row.containerId) {
      const adopted = await this.reattach(row.id, row.userId, lab, row.containerId, useLang).catch((e) => {
        this.log(`reattach ${row.containerId!.slice(0, 12)}: ${(e as Error).message}`);
        return null;
      });
      if (adopted) return adopted;
    }
    // The row says "running" only once there is a container to name (a process that dies in between leaves a labelled
    // container no row owns, which the sweep removes).
    this.emit(workspaceId, { type: 'status', status: 'starting' });
    const fail = async (why: StopReason | null) => {
      await db.workspace.update({ where: { id: workspaceId }, data: { status: 'stopped', containerId: null } });
      if (why) this.emit(workspaceId, { type: 'status', status: 'stopped', reason: why });
    };
    let image: string;
    try {
      image = await imageP;
    } catch (e) {
      await fail('error');
      this.log(`image for ${lab.manifest.id}: ${(e as Error).message}`);
      throw new WorkspaceError('server_error', M.unavailable);
    }
    let got = this.takePooled(lab.manifest.id, image);
    if (!got) {
      // Counted alongside the reads; again when one of this learner's other workspaces stopped since (or none was).
      const count = countP && !others.length ? await countP : await this.countContainers();
      if (count >= this.max) {
        await fail('error');
        throw new WorkspaceError('rate_limited', M.full(this.max), { retryAfterS: 60 });
      }
      try {
        got = await this.createFor(lab, image, { [LABEL_OWNER]: userId, 'lms.workspace.id': workspaceId }, false);
      } catch (e) {
        await fail('error');
        this.log(`create for ${lab.manifest.id}: ${(e as Error).message}`);
        throw new WorkspaceError('server_error', M.unavailable);
      }
    }
    this.refillPool(lab, image);
    const live = this.adopt(workspaceId, userId, lab, useLang, got.container, got.link, image, got.tools);
    // The agent reads these when it is up (a cold one may still be starting): the files go in, it marks them ready,
    // and a terminal's shell waits for that mark. So a terminal can be opened at once; the acknowledgement is awaited
    // in the background, and a workspace whose agent never answers is stopped.
    live.link.send({ op: 'config', rules: fileRules(lab), lang: useLang });
    const ack = live.link.request({ op: 'put', files: files.map((f) => ({ path: f.path, b64: f.content.toString('base64') })), replace: true }, 30_000);
    live.filesIn = ack;
    // The first terminal's shell: the pool's, already started, or one started now while the agent boots.
    live.preShell = got.preShell ?? this.spawnShell(live.container, lab).catch(() => null);
    void live.preShell.then((sh) => sh && this.goShell(live, sh));
    void ack.then((r) => {
      // No answer because this process is shutting down or the container went away (containerGone handles that).
      if (r || live.stopping || this.closed || live.link.closed) return;
      this.log(`${workspaceId}: the agent did not take the files; stopping the workspace`);
      void this.stopLive(live, 'error');
    });
    // The row names its container now, while the agent boots (two waits at once, not one after the other). A Prisma
    // query runs only once something calls its then(): Promise.resolve does, here; the catch keeps a failure for the
    // await below instead of an unhandled rejection meanwhile.
    const saved = Promise.resolve(
      db.workspace.update({
        where: { id: workspaceId },
        data: { status: 'running', containerId: got.container.id, image, lang: useLang, sessionVersion: user?.sessionVersion ?? 0, lastActiveAt: new Date() },
      }),
    );
    saved.catch(() => {});
    if (!got.tools.length && got.ready) {
      // The agent's first words list the image's tools (for the page). They come as it boots, which a terminal's
      // prompt waits for anyway (its files), so waiting here costs the learner nothing.
      const m = await Promise.race([got.ready, new Promise<null>((r) => setTimeout(() => r(null), 5000).unref())]);
      if (m?.t === 'ready') live.tools = m.tools;
    }
    await saved;
    this.emit(workspaceId, { type: 'status', status: 'running' });
    return live;
  }

  private async reattach(workspaceId: string, userId: string, lab: Lab, containerId: string, lang: Lang): Promise<Live | null> {
    const container = this.docker.getContainer(containerId);
    const info = await container.inspect().catch(() => null);
    if (!info || !info.State.Running || info.Config.Labels?.[LABEL_WORKSPACE] === undefined) {
      if (info) await container.remove({ force: true }).catch(() => {});
      return null;
    }
    const link = await AgentLink.attach(this.docker, container, (l) => this.log(`agent ${containerId.slice(0, 12)}: ${l.trim()}`));
    const live = this.adopt(workspaceId, userId, lab, lang, container, link, info.Config.Image, []);
    link.send({ op: 'config', rules: fileRules(lab), lang });
    const state = await link.request({ op: 'hello' }, 10_000);
    if (!state || state.t !== 'state') {
      link.close();
      this.live.delete(workspaceId);
      await container.remove({ force: true }).catch(() => {});
      return null;
    }
    live.tools = state.tools ?? [];
    // What changed in the container while nobody listened (the web process was down) is the learner's latest work.
    await this.fromTerminal(live, state.files, [], state.refused, true);
    await getDb().workspace.update({ where: { id: workspaceId }, data: { status: 'running' } });
    this.log(`reattached ${workspaceId} (${containerId.slice(0, 12)})`);
    return live;
  }

  private adopt(id: string, userId: string, lab: Lab, lang: Lang, container: Docker.Container, link: AgentLink, image: string, tools: Live['tools']): Live {
    const live: Live = {
      id,
      userId,
      lab,
      lang,
      container,
      containerId: container.id,
      link,
      image,
      tools,
      lastActive: Date.now(),
      persistedActive: Date.now(),
      terminals: new Set(),
      refused: [],
      chain: Promise.resolve(),
      filesIn: Promise.resolve(),
    };
    this.live.set(id, live);
    link.on('message', (m: FromAgent) => this.onAgent(live, m));
    link.on('bad', (what: string) => this.log(`${id}: ignored a malformed agent message (${what.slice(0, 80)})`));
    link.on('close', () => {
      // The attach broke (the container died, the engine restarted): this process no longer has the workspace.
      if (this.live.get(id) === live && !live.stopping) {
        this.live.delete(id);
        void this.containerGone(live);
      }
    });
    return live;
  }

  private async containerGone(live: Live): Promise<void> {
    const info = await live.container.inspect().catch(() => null);
    if (info?.State.Running) return; // only the stream broke: the next call reattaches
    await live.container.remove({ force: true }).catch(() => {});
    await getDb()
      .workspace.updateMany({ where: { id: live.id, containerId: live.containerId }, data: { status: 'stopped', containerId: null } })
      .catch(() => {});
    for (const t of [...live.terminals]) void t.close('stopped');
    this.emit(live.id, { type: 'status', status: 'stopped', reason: 'error' });
  }

  /** Saves (the agent's last scan first), ends the terminals and removes the container. */
  private stopLive(live: Live, reason: StopReason): Promise<void> {
    live.stopping ??= (async () => {
      // The agent's last scan first (generous: on a loaded host the agent may be slow, and this is the learner's work).
      if (!live.link.closed) await live.link.request({ op: 'flush' }, 10_000);
      await live.chain.catch(() => {});
      for (const t of [...live.terminals]) await t.close('stopped').catch(() => {});
      void live.preShell?.then((sh) => sh?.sock.destroy());
      live.link.close();
      // The row first: a container the row no longer names is a leftover the sweep removes if this removal fails.
      await getDb().workspace.updateMany({ where: { id: live.id }, data: { status: 'stopped', containerId: null, lastActiveAt: new Date(live.lastActive) } });
      await live.container.remove({ force: true, v: true }).catch(() => {});
      if (this.live.get(live.id) === live) this.live.delete(live.id);
      this.emit(live.id, { type: 'status', status: 'stopped', reason });
      this.log(`stopped ${live.id} (${reason})`);
    })();
    return live.stopping;
  }

  /** Stops a workspace whether this process has it live or not (after a restart: reattach to save, then remove). */
  private async stopById(workspaceId: string, containerId: string | null, reason: StopReason): Promise<void> {
    const live = this.live.get(workspaceId);
    if (live) return this.stopLive(live, reason);
    const row = await getDb().workspace.findUnique({ where: { id: workspaceId } });
    if (row && containerId) {
      const lab = getLab(row.labId);
      const adopted = lab ? await this.reattach(row.id, row.userId, lab, containerId, row.lang === 'en' ? 'en' : 'ko').catch(() => null) : null;
      if (adopted) return this.stopLive(adopted, reason);
      await this.docker
        .getContainer(containerId)
        .remove({ force: true })
        .catch(() => {});
    }
    await getDb().workspace.updateMany({ where: { id: workspaceId }, data: { status: 'stopped', containerId: null } });
    this.emit(workspaceId, { type: 'status', status: 'stopped', reason });
  }

  async closeWorkspace(actor: Actor, workspaceId: string): Promise<void> {
    const row = await this.ownRow(actor, workspaceId);
    await this.withUser(actor.id, () => this.stopById(row.id, row.containerId, 'closed'));
  }

  // ---- containers, cap and pool ---------------------------------------------------------------------------------

  private async countContainers(): Promise<number> {
    const list = await this.docker.listContainers({ all: true, filters: { label: [LABEL_WORKSPACE] } });
    return list.length;
  }

  private workspaceEnv(lab: Lab): string[] {
    return [`LMS_LAB=${lab.manifest.id}`, ...Object.entries(lab.manifest.workspace?.env ?? {}).map(([k, v]) => `${k}=${v}`)];
  }

  /** A started workspace container; `waitReady` (the pool) waits for the agent's first message, a cold start does not. */
  private async createFor(lab: Lab, image: string, labels: Record<string, string>, waitReady = true): Promise<Pooled> {
    const {
      container,
      link,
      ready: readyP,
    } = await createWorkspaceContainer(
      this.docker,
      {
        image,
        limits: resolveWorkspaceLimits(lab.manifest.workspace?.limits),
        labels: { [LABEL_LAB]: lab.manifest.id, [LABEL_ENGINE]: this.id, ...labels },
        env: this.workspaceEnv(lab),
        runtime: this.runtime,
      },
      (l) => this.log(`agent (${lab.manifest.id}): ${l.trim()}`),
    );
    if (!waitReady) return { container, link, image, createdAt: Date.now(), tools: [], ready: readyP };
    const ready = await readyP;
    if (!ready || ready.t !== 'ready') {
      link.close();
      await container.remove({ force: true }).catch(() => {});
      throw new Error('the workspace agent did not start');
    }
    return { container, link, image, createdAt: Date.now(), tools: ready.tools };
  }

  private takePooled(labId: string, image: string): Pooled | null {
    const list = this.pool.get(labId) ?? [];
    this.poolUsed.set(labId, Date.now());
    while (list.length) {
      const p = list.shift()!;
      if (p.image === image && !p.link.closed) return p;
      p.link.close();
      void p.container.remove({ force: true }).catch(() => {});
    }
    return null;
  }

  /** Keeps `poolSize` started containers for the lab's image, within the host's cap. */
  refillPool(lab: Lab, image: string): void {
    if (this.closed || this.poolSize <= 0) return;
    const labId = lab.manifest.id;
    this.poolUsed.set(labId, Date.now());
    const list = this.pool.get(labId) ?? [];
    this.pool.set(labId, list);
    const want = this.poolSize - list.length - (this.poolFilling.get(labId) ?? 0);
    for (let i = 0; i < want; i++) {
      this.poolFilling.set(labId, (this.poolFilling.get(labId) ?? 0) + 1);
      void (async () => {
        try {
          if ((await this.countContainers()) >= this.max) return;
          const p = await this.createFor(lab, image, { 'lms.pooled': '1' });
          p.preShell = this.spawnShell(p.container, lab).catch(() => null);
          await p.preShell;
          if (this.closed) {
            p.link.close();
            await p.container.remove({ force: true }).catch(() => {});
          } else list.push(p);
        } catch (e) {
          this.log(`pool ${labId}: ${(e as Error).message}`);
        } finally {
          this.poolFilling.set(labId, (this.poolFilling.get(labId) ?? 1) - 1);
        }
      })();
    }
  }

  /** Starts the pool for a lab ahead of its first learner (the image is built if needed). */
  async warm(labId: string): Promise<void> {
    const lab = this.labOf(labId);
    this.refillPool(lab, await ensureWorkspaceImage(this.docker, lab, this.log));
  }

  poolReady(labId: string): number {
    return this.pool.get(labId)?.length ?? 0;
  }

  // ---- the agent's messages -------------------------------------------------------------------------------------

  private onAgent(live: Live, m: FromAgent): void {
    if (m.t === 'changed') {
      live.lastActive = Date.now();
      live.chain = live.chain
        .then(() => this.fromTerminal(live, m.files, m.deleted, m.refused, false))
        .catch((e) => this.log(`${live.id}: saving terminal changes: ${(e as Error).message}`));
    } else if (m.t === 'req') {
      live.lastActive = Date.now();
      void this.onRequest(live, m).catch((e) => {
        live.link.send({
          op: 'answer',
          req: m.req,
          text: `lms: ${e instanceof AppError ? e.text(live.lang) : live.lang === 'ko' ? '처리하지 못했습니다.' : 'failed.'}\n`,
          exit: 1,
        });
        if (!(e instanceof AppError)) this.log(`${live.id}: lms ${m.cmd}: ${(e as Error).message}`);
      });
    }
  }

  /**
   * Files from the container (hostile: names, sizes and the set are checked as the editor's are). `full`: the agent's
   * whole state after a reattach, so the lab files it does not have are deleted too.
   */
  private async fromTerminal(
    live: Live,
    wire: { path: string; b64: string }[],
    deleted: string[],
    refused: { path: string; why: string }[],
    full: boolean,
  ): Promise<void> {
    live.refused = refused.slice(0, 50);
    const files: { path: string; content: Buffer }[] = [];
    for (const f of wire) {
      const content = Buffer.from(f.b64, 'base64');
      const why = refuseFile(live.lab, f.path, content.length);
      if (why) live.refused.push({ path: f.path.slice(0, 200), why: why.en });
      else files.push({ path: f.path, content });
    }
    const del = deleted.filter((p) => !refuseFile(live.lab, p, 0));
    let res;
    try {
      res = await applyChange(live.lab, live.id, { files, delete: del, replace: full });
    } catch (e) {
      if (e instanceof WorkspaceError) {
        live.refused.push({ path: '*', why: e.said.en });
        return;
      }
      throw e;
    }
    if (res.changed.length || res.deleted.length) {
      this.emit(live.id, {
        type: 'files',
        revision: res.revision,
        source: 'terminal',
        changed: res.changed.map((f) => ({ path: f.path, content: f.content.toString('utf8') })),
        deleted: res.deleted,
      });
    }
  }

  private async onRequest(live: Live, m: Extract<FromAgent, { t: 'req' }>): Promise<void> {
    const answer = (text: string, exit = 0) => live.link.send({ op: 'answer', req: m.req, text, exit });
    const lang = live.lang;
    switch (m.cmd) {
      case 'help':
        return answer(helpText(live.lab, live.tools, lang));
      case 'files': {
        await live.chain;
        return answer(filesText(live.lab, await rawFiles(live.id), live.refused, lang));
      }
      case 'steps':
        return answer(stepsText(live.lab, await stepViews(live.id, live.lab), lang));
      case 'step': {
        const stepId = m.args[0];
        if (!stepId) return answer(stepsText(live.lab, await stepViews(live.id, live.lab), lang));
        const r = await this.verifyStep(live, stepId);
        return answer(
          r.done ? `\x1b[32m✓\x1b[0m ${stepId}${r.message ? `: ${r.message}` : ''}\n` : `\x1b[31m✗\x1b[0m ${stepId}: ${r.message}\n`,
          r.done ? 0 : 1,
        );
      }
      case 'check': {
        await live.link.request({ op: 'flush' }, 10_000);
        await live.chain;
        const r = await this.practice(live, (text) => live.link.send({ op: 'print', req: m.req, text }));
        return answer(r.text, r.passed ? 0 : 1);
      }
      case 'submit': {
        await live.link.request({ op: 'flush' }, 10_000);
        await live.chain;
        const user = await getDb().user.findUniqueOrThrow({ where: { id: live.userId }, select: { id: true, role: true } });
        const { submissionId } = await this.submitFiles(user, live.lab, live.id);
        return answer(
          lang === 'ko'
            ? `제출했습니다 (${submissionId}). 결과는 실습 페이지에서 볼 수 있습니다.\n`
            : `Submitted (${submissionId}). See the result on the lab page.\n`,
        );
      }
    }
  }

  // ---- files --------------------------------------------------------------------------------------------------

  async readFiles(actor: Actor, labId: string): Promise<WorkspaceFiles> {
    const lab = this.labOf(labId);
    const row = await ensureRow(actor.id, lab);
    return readRowFiles(row.id);
  }

  async writeFiles(
    actor: Actor,
    labId: string,
    change: { files?: { path: string; content: string }[]; delete?: string[]; baseRevision?: number },
  ): Promise<WorkspaceFiles> {
    const lab = this.labOf(labId);
    const row = await ensureRow(actor.id, lab);
    const files = (change.files ?? []).slice(0, 500).map((f) => ({ path: String(f.path), content: Buffer.from(String(f.content), 'utf8') }));
    const del = (change.delete ?? []).slice(0, 500).map(String);
    return this.editorChange(row.id, lab, { files, delete: del, baseRevision: change.baseRevision }, 'editor');
  }

  async resetFiles(actor: Actor, labId: string): Promise<WorkspaceFiles> {
    const lab = this.labOf(labId);
    const row = await ensureRow(actor.id, lab);
    return this.editorChange(row.id, lab, { files: starterFiles(lab), delete: [], replace: true }, 'reset');
  }

  private async editorChange(
    workspaceId: string,
    lab: Lab,
    change: { files: { path: string; content: Buffer }[]; delete: string[]; replace?: boolean; baseRevision?: number },
    source: 'editor' | 'reset',
  ): Promise<WorkspaceFiles> {
    const live = this.live.get(workspaceId);
    // A terminal change still being saved goes first, so the revision the editor compares with is current.
    if (live) await live.chain;
    const res = await applyChange(lab, workspaceId, change);
    if (res.stale) throw new WorkspaceStale(await readRowFiles(workspaceId));
    if (live && !live.link.closed && (res.changed.length || res.deleted.length)) {
      live.lastActive = Date.now();
      await live.link.request({ op: 'put', files: res.changed.map((f) => ({ path: f.path, b64: f.content.toString('base64') })), delete: res.deleted }, 5000);
    }
    if (res.changed.length || res.deleted.length) {
      this.emit(workspaceId, {
        type: 'files',
        revision: res.revision,
        source,
        changed: res.changed.map((f) => ({ path: f.path, content: f.content.toString('utf8') })),
        deleted: res.deleted,
      });
    }
    return readRowFiles(workspaceId);
  }

  // ---- terminals ----------------------------------------------------------------------------------------------

  /** Starts a shell (docker exec with a TTY) that waits for its go line; see images/workspace/shell. */
  private async spawnShell(container: Docker.Container, lab: Lab): Promise<Shell> {
    const id = crypto.randomBytes(8).toString('hex');
    const exec = await container.exec({
      Cmd: ['/opt/lms/shell', id],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      User: '10001:10001',
      WorkingDir: '/work',
      Env: ['TERM=xterm-256color', ...this.workspaceEnv(lab)],
    });
    const sock = (await exec.start({ hijack: true, stdin: true, Tty: true } as Docker.ExecStartOptions)) as unknown as Duplex;
    sock.pause();
    sock.on('error', () => {});
    return { exec, sock, id };
  }

  /** Lets a waiting shell go once the files are in, in the workspace's language. */
  private goShell(live: Live, shell: Shell): void {
    void live.filesIn.then(() => {
      if (!shell.sock.destroyed) shell.sock.write(`${live.lang}\n`);
    });
  }

  async attachTerminal(actor: Actor, workspaceId: string, size: { cols: number; rows: number }): Promise<Terminal> {
    // The owner check: this process's live workspace says whose it is (it came from the row); otherwise the row does.
    const held = this.live.get(workspaceId);
    let live: Live;
    if (held && !held.stopping && !held.link.closed) {
      if (held.userId !== actor.id) throw new AppError('not_found');
      live = held;
      live.lastActive = Date.now();
    } else {
      const row = await this.ownRow(actor, workspaceId);
      live = await this.ensureLive(actor.id, row.id, this.labOf(row.labId));
    }
    const lab = live.lab;
    if (live.terminals.size >= MAX_TERMINALS) throw new WorkspaceError('rate_limited', M.tooManyTerminals(MAX_TERMINALS), { retryAfterS: 5 });
    const cols = clamp(size?.cols, 1, 500);
    const rows = clamp(size?.rows, 1, 200);
    const pre = live.preShell;
    live.preShell = undefined;
    let shell = pre ? await pre : null;
    if (shell && (shell.sock.destroyed || !shell.sock.readable)) shell = null;
    if (!shell) {
      shell = await this.spawnShell(live.container, lab);
      this.goShell(live, shell);
    }
    const { exec, sock, id: shellId } = shell;
    // The shell may already be at its prompt; the resize (SIGWINCH) redraws it at the browser's size.
    void exec.resize({ h: rows, w: cols }).catch(() => {});
    let endReason: 'exit' | 'closed' | 'stopped' = 'exit';
    let resolveEnded!: (v: { reason: 'exit' | 'closed' | 'stopped' }) => void;
    const ended = new Promise<{ reason: 'exit' | 'closed' | 'stopped' }>((r) => (resolveEnded = r));
    // The stream the web side reads and writes: keystrokes count as activity (the idle timer).
    const stream = new Duplex({
      write(chunk: Buffer, _enc, cb) {
        live.lastActive = Date.now();
        if (sock.writable) sock.write(chunk, cb);
        else cb();
      },
      read() {
        sock.resume();
      },
      final(cb) {
        void close('closed').then(() => cb());
      },
      destroy(err, cb) {
        void close('closed');
        cb(err);
      },
    });
    sock.on('data', (c: Buffer) => {
      if (!stream.push(c)) sock.pause();
    });
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      live.terminals.delete(handle);
      stream.push(null);
      resolveEnded({ reason: endReason });
    };
    sock.on('end', finish);
    sock.on('close', finish);
    sock.on('error', finish);
    const close = async (reason: 'closed' | 'stopped') => {
      if (done) return;
      endReason = reason;
      live.link.send({ op: 'kill-shell', id: shellId });
      sock.end();
      await Promise.race([ended, new Promise((r) => setTimeout(r, 1000))]);
      sock.destroy();
      finish();
    };
    const handle = { close };
    live.terminals.add(handle);
    return {
      stream,
      ended,
      resize: async (s) => {
        await exec.resize({ h: clamp(s?.rows, 1, 200), w: clamp(s?.cols, 1, 500) }).catch(() => {});
      },
      close: () => close('closed'),
    };
  }

  // ---- practice checks, submit, steps --------------------------------------------------------------------------

  private async practice(live: Live, print?: (text: string) => void): Promise<PracticeResult> {
    const files = await rawFiles(live.id);
    const submissionId = await queuePractice(live.userId, live.lab, files);
    const lang = live.lang;
    this.emit(live.id, { type: 'check', state: 'queued', submissionId });
    print?.(lang === 'ko' ? '채점 대기열에 넣었습니다...\n' : 'Queued for grading...\n');
    const r = await waitPractice(live.lab, submissionId, lang, (phase) => {
      if (phase === 'starting' || phase === 'running') {
        this.emit(live.id, { type: 'check', state: 'running', submissionId });
        if (phase === 'running') print?.(lang === 'ko' ? '채점 중...\n' : 'Grading...\n');
      }
      live.lastActive = Date.now();
    });
    if (!r)
      throw new WorkspaceError('server_error', {
        ko: '채점 결과가 아직 나오지 않았습니다. 잠시 뒤 다시 해 보세요.',
        en: 'No grading result yet. Try again in a moment.',
      });
    this.emit(live.id, { type: 'check', state: 'done', submissionId, result: r });
    return r;
  }

  async runCheck(actor: Actor, workspaceId: string): Promise<PracticeResult> {
    const row = await this.ownRow(actor, workspaceId);
    const lab = this.labOf(row.labId);
    const live = this.live.get(row.id);
    if (live) {
      await live.link.request({ op: 'flush' }, 10_000);
      await live.chain;
      return this.practice(live);
    }
    // No container: the saved files are the workspace's files.
    const submissionId = await queuePractice(actor.id, lab, await rawFiles(row.id));
    const r = await waitPractice(lab, submissionId, row.lang === 'en' ? 'en' : 'ko');
    if (!r) throw new WorkspaceError('server_error', { ko: '채점 결과가 아직 나오지 않았습니다.', en: 'No grading result yet.' });
    return r;
  }

  private async submitFiles(actor: Actor, lab: Lab, workspaceId: string): Promise<{ submissionId: string }> {
    const { submitLabAttempt } = await import('../submissions/submit-lab-attempt');
    const files = await rawFiles(workspaceId);
    return submitLabAttempt(actor, { labId: lab.manifest.id, files: files.map((f) => ({ path: f.path, content: new Uint8Array(f.content) })) });
  }

  async submit(actor: Actor, labId: string): Promise<{ submissionId: string }> {
    const lab = this.labOf(labId);
    const row = await ensureRow(actor.id, lab);
    const live = this.live.get(row.id);
    if (live) {
      await live.link.request({ op: 'flush' }, 10_000);
      await live.chain;
    }
    return this.submitFiles(actor, lab, row.id);
  }

  async listSteps(actor: Actor, labId: string): Promise<StepView[]> {
    const lab = this.labOf(labId);
    const row = await ensureRow(actor.id, lab);
    return stepViews(row.id, lab);
  }

  private async verifyStep(live: Live, stepId: string): Promise<{ done: boolean; message?: string }> {
    // A step checks the learner's files: on a workspace just started, they are in first.
    await live.filesIn;
    const r = await runStep(this.docker, live.container, live.lab, live.id, stepId, live.lang, this.workspaceEnv(live.lab));
    this.emit(live.id, { type: 'step', stepId, done: r.done, ...(r.message ? { message: r.message } : {}) });
    return r;
  }

  async checkStep(actor: Actor, workspaceId: string, stepId: string): Promise<{ done: boolean; message?: string }> {
    const row = await this.ownRow(actor, workspaceId);
    const lab = this.labOf(row.labId);
    const live = await this.ensureLive(actor.id, row.id, lab);
    live.lastActive = Date.now();
    return this.verifyStep(live, stepId);
  }

  // ---- the sweep ----------------------------------------------------------------------------------------------

  /**
   * Every `sweepMs`: idle workspaces are saved and removed; workspaces whose owner signed out (session version
   * bumped) are removed; rows that say running without a container are set straight; containers of this deployment
   * that no row owns (and no engine's pool) are removed; pools of labs not used for 30 minutes are drained.
   */
  async sweep(): Promise<void> {
    if (this.closed) return;
    const now = Date.now();
    const db = getDb();
    for (const live of [...this.live.values()]) {
      if (live.stopping) continue;
      if (now - live.lastActive > this.idleMs) await this.stopLive(live, 'idle');
      else if (live.lastActive - live.persistedActive > 30_000) {
        live.persistedActive = live.lastActive;
        await db.workspace.updateMany({ where: { id: live.id }, data: { lastActiveAt: new Date(live.lastActive) } }).catch(() => {});
      }
    }
    const rows = await db.workspace.findMany({
      where: { status: { not: 'stopped' } },
      select: {
        id: true,
        userId: true,
        containerId: true,
        sessionVersion: true,
        lastActiveAt: true,
        status: true,
        updatedAt: true,
        user: { select: { sessionVersion: true } },
      },
    });
    for (const r of rows) {
      if (this.opening.has(r.id)) continue;
      if (r.user.sessionVersion !== r.sessionVersion) {
        await this.withUser(r.userId, () => this.stopById(r.id, r.containerId, 'swept'));
        continue;
      }
      if (this.live.has(r.id)) continue;
      if (!r.containerId) {
        // "starting" with no container for long: a process died while starting it.
        if (now - r.updatedAt.getTime() > 120_000) await db.workspace.updateMany({ where: { id: r.id, containerId: null }, data: { status: 'stopped' } });
        continue;
      }
      // Not live here: another process's, or this process's before a restart. Idle by the saved time: stop it.
      if (now - r.lastActiveAt.getTime() > this.idleMs + 60_000) await this.withUser(r.userId, () => this.stopById(r.id, r.containerId, 'idle'));
    }
    const owned = new Set((await db.workspace.findMany({ where: { containerId: { not: null } }, select: { containerId: true } })).map((r) => r.containerId!));
    const pooled = new Set([...this.pool.values()].flat().map((p) => p.container.id));
    const list = await this.docker.listContainers({ all: true, filters: { label: [LABEL_WORKSPACE, `${LABEL_PREFIX}=${this.prefix}`] } });
    for (const c of list) {
      if (owned.has(c.Id) || pooled.has(c.Id) || [...this.live.values()].some((l) => l.containerId === c.Id)) continue;
      // A container being created right now has no row yet; others' pools are theirs while their engine lives.
      if (now - c.Created * 1000 < 120_000) continue;
      if (c.Labels[LABEL_ENGINE] && c.Labels[LABEL_ENGINE] !== this.id && c.Labels['lms.pooled'] && now - c.Created * 1000 < 3600_000) continue;
      await this.docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => {});
      this.log(`removed leftover workspace container ${c.Id.slice(0, 12)}`);
    }
    for (const [labId, used] of this.poolUsed) {
      if (now - used < 30 * 60_000) continue;
      for (const p of this.pool.get(labId) ?? []) {
        p.link.close();
        await p.container.remove({ force: true }).catch(() => {});
      }
      this.pool.delete(labId);
      this.poolUsed.delete(labId);
    }
  }

  /** Stops timers and drains the pool; live workspaces keep running (a new engine reattaches to them). */
  async shutdown(opts: { stopWorkspaces?: boolean } = {}): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    const pooled = [...this.pool.values()].flat();
    this.pool.clear();
    await Promise.all(
      pooled.map(async (p) => {
        p.link.close();
        await p.container.remove({ force: true }).catch(() => {});
      }),
    );
    if (opts.stopWorkspaces) await Promise.all([...this.live.values()].map((l) => this.stopLive(l, 'closed')));
    for (const l of this.live.values()) {
      for (const t of [...l.terminals]) await t.close('stopped').catch(() => {});
      l.link.removeAllListeners('close');
      l.link.close();
    }
    this.live.clear();
  }

  /** For tests and the bench: the live container of a workspace in this process. */
  containerOf(workspaceId: string): Docker.Container | null {
    return this.live.get(workspaceId)?.container ?? null;
  }
}

const g = globalThis as unknown as { __lmsWorkspaces?: WorkspaceEngine };

/** The process's engine (server.ts), created on first use. */
export function getWorkspaceEngine(): WorkspaceEngine {
  g.__lmsWorkspaces ??= new WorkspaceEngine();
  return g.__lmsWorkspaces;
}
