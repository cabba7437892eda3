import { z } from 'zod';

/** A text shown to learners in both languages the site speaks. */
export const bilingual = z.object({ ko: z.string().min(1), en: z.string().min(1) });
export type Bilingual = z.infer<typeof bilingual>;

const labId = z.string().regex(/^[a-z0-9][a-z0-9-]{2,62}$/, 'lab id: lower-case letters, digits and dashes');

/** Per-container limits a lab may ask for; the engine clamps them to the ceilings in lib/grading/limits.ts. */
const containerLimits = z
  .object({
    timeoutMs: z.number().int().positive().optional(),
    memoryMb: z.number().int().positive().optional(),
    cpus: z.number().positive().optional(),
    pids: z.number().int().positive().optional(),
    tmpfsMb: z.number().int().positive().optional(),
  })
  .strict();

const checkSpec = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'check id: lower-case letters, digits and dashes'),
    title: bilingual,
    points: z.number().int().positive(),
    hint: bilingual,
    /**
     * The lab is passed only when every required check passes, whatever the score: for the behaviour the week is
     * about (a rule that fires, 5xx lines only), so that partial credit elsewhere cannot carry a wrong solution.
     */
    required: z.boolean().default(false),
  })
  .strict();

/** A file the learner submits: a fixed path, required or optional. */
const submissionFile = z
  .object({
    path: z.string().regex(/^[A-Za-z0-9_.][A-Za-z0-9_.\-/]*$/, 'file path: letters, digits, _ . - /'),
    required: z.boolean().default(true),
    /** The editor mode the lab page uses for this file. */
    language: z.enum(['hcl', 'yaml', 'dockerfile', 'javascript', 'typescript', 'json', 'text', 'python', 'shell']).default('text'),
  })
  .strict();

/** The tools a lab's workspace image adds to the common base (lib/workspaces/images.ts has each recipe). */
const WORKSPACE_TOOLS = ['hcl', 'actionlint', 'bot', 'promtool', 'prometheus', 'syslog-ng', 'k8s', 'istio'] as const;
export type WorkspaceTool = (typeof WORKSPACE_TOOLS)[number];

/**
 * The lab's workspace (issue 16): a long-lived sandbox with a terminal, built per lab from the common base plus
 * `tools`. Limits are clamped to the workspace ceilings (lib/grading/limits.ts).
 */
const workspaceSpec = z
  .object({
    tools: z.array(z.enum(WORKSPACE_TOOLS)).default([]),
    limits: containerLimits.optional(),
    /** Extra environment for the learner's shells. */
    env: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string().max(1000)).default({}),
    /** What the lessons use that this workspace cannot have here, in both languages (`lms help` names it). */
    notInstalled: z.array(bilingual).default([]),
  })
  .strict();

/**
 * A guided step (Killercoda's steps, Instruqt's challenge checks): its text and an optional verification command the
 * platform runs inside the learner's workspace (bash, in /work, as the learner's user, no network, 20 s): exit 0 means
 * done; otherwise the first stdout line starting with "FAIL: " is the message shown.
 */
const stepSpec = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'step id: lower-case letters, digits and dashes'),
    title: bilingual,
    text: bilingual,
    verify: z.string().min(1).max(4000).optional(),
    /**
     * What a learner would run in the terminal for this step (Instruqt's solve script), beyond writing the solution's
     * files: used only by the test that runs every step against the lab's solution.
     */
    solve: z.string().min(1).max(4000).optional(),
  })
  .strict();

const filePath = z
  .string()
  .regex(/^[A-Za-z0-9_.][A-Za-z0-9_.\-/]*$/, 'file path: letters, digits, _ . - /')
  .refine((p) => p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..'), 'file path: no empty, . or .. parts');

/**
 * One running project (issue 17 §3): an earlier lab whose passing work continues in this one. The lab page offers a
 * learner who passed `lab` to put their own files of it (`files`: that lab's path → this lab's path) into the editor
 * over this lab's starter. Checked when the labs load (registry.ts: the lab exists, is of an earlier week, the paths
 * are files both labs take); `bin/lms labs verify` grades the earlier lab's solution mapped onto this starter, which
 * must be gradable and stay below the pass mark (a starting point, not an answer).
 */
const startFromSpec = z
  .object({
    lab: labId,
    files: z.record(filePath, filePath).refine((f) => Object.keys(f).length > 0, 'startFrom.files: at least one file'),
  })
  .strict();
export type StartFromSpec = z.infer<typeof startFromSpec>;

export const labManifest = z
  .object({
    id: labId,
    week: z.number().int().min(1).max(10),
    title: bilingual,
    summary: bilingual,
    /**
     * What the learner does: build something from a starter (the week's main lab), or troubleshoot — find and fix what
     * is broken in a configuration or program that comes with its symptoms.
     */
    purpose: z.enum(['build', 'troubleshoot']).default('build'),
    /** static: the grader reads files and runs none of them; subject: the learner's program runs in its own container. */
    kind: z.enum(['static', 'subject']).default('static'),
    /** Fraction of the points at or above which the lab counts as passed. */
    passRatio: z.number().min(0).max(1).default(0.7),
    files: z.array(submissionFile).min(1),
    /** Extra files a learner may add, matched by extension (for example ".tf"). */
    extraExtensions: z.array(z.string().regex(/^\.[a-z0-9]+$/)).default([]),
    maxFiles: z.number().int().positive().max(200).default(20),
    maxFileBytes: z
      .number()
      .int()
      .positive()
      .max(4 * 1024 * 1024)
      .default(256 * 1024),
    maxTotalBytes: z
      .number()
      .int()
      .positive()
      .max(16 * 1024 * 1024)
      .default(1024 * 1024),
    limits: z
      .object({ grader: containerLimits.default({}), subject: containerLimits.optional() })
      .strict()
      .default({ grader: {} }),
    /**
     * For kind "subject": how the learner's program runs. It starts in its own container (from the runtime image, or
     * the image built from the learner's Dockerfile with `build`) with no network but loopback and the submission
     * unpacked in /tmp/work; the grader joins that container's network namespace and reaches the program at
     * http://127.0.0.1:<port> (SUBJECT_URL). docs/grading.md: "the subject shares a loopback-only namespace".
     */
    subject: z
      .object({
        /** The learner's program; it runs in /tmp/work with the submission unpacked there. Omit when `build` is set. */
        cmd: z.array(z.string().min(1)).min(1).optional(),
        port: z.number().int().min(1024).max(65535),
        /** Extra environment for the learner's program (e.g. the webhook secret and the fake chat server's URL). */
        env: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string().max(1000)).default({}),
        /** A trusted helper from the lab folder, added to the archive as .lms/harness.js (learners cannot use .lms/). */
        harness: z
          .string()
          .regex(/^grader\/[A-Za-z0-9_.-]+\.js$/)
          .optional(),
        /** Build the subject's image from the learner's Dockerfile instead of running `cmd` in the runtime image. */
        build: z
          .object({
            dockerfile: z.string().default('Dockerfile'),
            /** A file whose change must not invalidate the dependency layers: the engine rebuilds once with it touched. */
            cacheProbe: z.string().optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    checks: z.array(checkSpec).min(1),
    workspace: workspaceSpec.optional(),
    steps: z.array(stepSpec).max(20).default([]),
    startFrom: z.array(startFromSpec).max(3).default([]),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.kind === 'subject' && !m.subject) ctx.addIssue({ code: 'custom', message: 'a subject lab needs `subject: { cmd, port }`', path: ['subject'] });
    if (m.subject && !m.subject.cmd && !m.subject.build) ctx.addIssue({ code: 'custom', message: 'subject needs `cmd` or `build`', path: ['subject'] });
    const ids = new Set<string>();
    for (const c of m.checks) {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', message: `duplicate check id "${c.id}"`, path: ['checks'] });
      ids.add(c.id);
    }
    const steps = new Set<string>();
    for (const st of m.steps) {
      if (steps.has(st.id)) ctx.addIssue({ code: 'custom', message: `duplicate step id "${st.id}"`, path: ['steps'] });
      steps.add(st.id);
    }
    if (m.steps.some((st) => st.verify) && !m.workspace) ctx.addIssue({ code: 'custom', message: 'steps with `verify` need a `workspace:`', path: ['steps'] });
    const paths = new Set<string>();
    for (const f of m.files) {
      if (paths.has(f.path)) ctx.addIssue({ code: 'custom', message: `duplicate file "${f.path}"`, path: ['files'] });
      paths.add(f.path);
    }
    const targets = new Set<string>();
    m.startFrom.forEach((sf, i) => {
      if (sf.lab === m.id) ctx.addIssue({ code: 'custom', message: 'startFrom names this lab itself', path: ['startFrom', i, 'lab'] });
      for (const target of Object.values(sf.files)) {
        if (!takesFile(m, target))
          ctx.addIssue({ code: 'custom', message: `startFrom: "${target}" is not a file this lab takes`, path: ['startFrom', i, 'files'] });
        if (targets.has(target)) ctx.addIssue({ code: 'custom', message: `startFrom: "${target}" is filled twice`, path: ['startFrom', i, 'files'] });
        targets.add(target);
      }
    });
  });

export type LabManifest = z.infer<typeof labManifest>;

export function maxPoints(m: LabManifest): number {
  return m.checks.reduce((s, c) => s + c.points, 0);
}

/** Whether a submission may hold this path: one of the lab's files, or a name with one of its extra extensions. */
export function takesFile(m: Pick<LabManifest, 'files' | 'extraExtensions'>, p: string): boolean {
  if (m.files.some((f) => f.path === p)) return true;
  const ext = p.includes('.') ? p.slice(p.lastIndexOf('.')) : '';
  return m.extraExtensions.includes(ext);
}
