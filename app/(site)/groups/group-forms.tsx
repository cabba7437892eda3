'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { Messages } from '@/lib/i18n';
import {
  createGroupAction,
  joinGroupAction,
  leaveGroupAction,
  removeMemberAction,
  rotateInviteAction,
  setGroupPaceAction,
  setLeaderboardAction,
} from '@/app/actions/groups';

const input = 'rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-900';
const button = 'rounded-md bg-blue-600 px-4 py-2 font-medium text-white hover:bg-blue-700 disabled:opacity-60';

function useRun() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async <T,>(f: () => Promise<{ ok: true; data: T } | { ok: false; error: string }>, then: (d: T) => void) => {
    setBusy(true);
    setError(null);
    const r = await f();
    setBusy(false);
    if (!r.ok) setError(r.error);
    else then(r.data);
  };
  const alert = error ? (
    <p role="alert" className="text-sm text-red-600">
      {error}
    </p>
  ) : null;
  return { run, busy, alert };
}

export function CreateOrJoin({ m: s, code = '', cohorts = [] }: { m: Messages['groupForms']; code?: string; cohorts?: { id: string; name: string }[] }) {
  const router = useRouter();
  const { run, busy, alert } = useRun();
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <form
        className="flex flex-wrap items-end gap-2 rounded-xl border border-slate-200 p-4 dark:border-slate-800"
        aria-label={s.newGroup}
        onSubmit={(e) => {
          e.preventDefault();
          const fd = new FormData(e.currentTarget);
          void run(
            () => createGroupAction({ name: fd.get('name'), cohortId: fd.get('cohortId') ?? '' }),
            (d) => router.push(`/groups/${d.id}`),
          );
        }}
      >
        <h2 className="w-full font-semibold">{s.newGroup}</h2>
        <label className="min-w-0 flex-[1_1_12rem]">
          <span className="block text-sm font-medium">{s.name}</span>
          <input name="name" required minLength={2} maxLength={60} className={`${input} w-full`} data-testid="group-name" />
        </label>
        {cohorts.length > 0 && (
          <label className="w-full min-w-0 sm:w-auto">
            <span className="block text-sm font-medium">{s.pace}</span>
            <select name="cohortId" className={`${input} w-full max-w-full`} defaultValue="">
              <option value="">{s.own}</option>
              {cohorts.map((c) => (
                <option key={c.id} value={c.id}>
                  {s.follow} {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button disabled={busy} className={button} data-testid="create-group">
          {s.create}
        </button>
      </form>
      <form
        className="flex flex-wrap items-end gap-2 rounded-xl border border-slate-200 p-4 dark:border-slate-800"
        aria-label={s.joinOne}
        onSubmit={(e) => {
          e.preventDefault();
          const fd = new FormData(e.currentTarget);
          void run(
            () => joinGroupAction({ code: fd.get('code') }),
            (d) => router.push(`/groups/${d.id}`),
          );
        }}
      >
        <h2 className="w-full font-semibold">{s.joinOne}</h2>
        <label className="min-w-0 flex-[1_1_12rem]">
          <span className="block text-sm font-medium">{s.code}</span>
          <input name="code" required maxLength={40} defaultValue={code} className={`${input} w-full font-mono`} data-testid="join-code" />
        </label>
        <button disabled={busy} className={button} data-testid="join-group">
          {s.join}
        </button>
      </form>
      <div className="md:col-span-2">{alert}</div>
    </div>
  );
}

export function MemberControls({
  m: s,
  groupId,
  onBoard,
  owner,
  alone,
}: {
  m: Messages['groupForms'];
  groupId: string;
  onBoard: boolean;
  owner: boolean;
  alone: boolean;
}) {
  const router = useRouter();
  const { run, busy, alert } = useRun();
  return (
    <div className="flex flex-wrap items-center gap-3">
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          defaultChecked={onBoard}
          disabled={busy}
          data-testid="leaderboard-optin"
          onChange={(e) =>
            void run(
              () => setLeaderboardAction({ groupId, on: e.target.checked }),
              () => router.refresh(),
            )
          }
        />
        {s.board}
      </label>
      {owner && (
        <button
          type="button"
          disabled={busy}
          className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          data-testid="rotate-code"
          onClick={() =>
            window.confirm(s.confirmRotate) &&
            void run(
              () => rotateInviteAction({ groupId }),
              () => router.refresh(),
            )
          }
        >
          {s.rotate}
        </button>
      )}
      {owner && alone && (
        <button
          type="button"
          disabled={busy}
          className="rounded-md border border-red-300 px-3 py-1 text-sm text-red-700 dark:border-red-800 dark:text-red-400"
          onClick={() =>
            void run(
              () => leaveGroupAction({ groupId }),
              () => router.push('/groups'),
            )
          }
        >
          {s.delete}
        </button>
      )}
      {!owner && (
        <button
          type="button"
          disabled={busy}
          className="rounded-md border border-red-300 px-3 py-1 text-sm text-red-700 dark:border-red-800 dark:text-red-400"
          data-testid="leave-group"
          onClick={() =>
            void run(
              () => leaveGroupAction({ groupId }),
              () => router.push('/groups'),
            )
          }
        >
          {s.leave}
        </button>
      )}
      {alert}
    </div>
  );
}

export function RemoveButton({ m, groupId, userId }: { m: Messages['groupForms']; groupId: string; userId: string }) {
  const router = useRouter();
  const { run, busy, alert } = useRun();
  return (
    <span>
      <button
        type="button"
        disabled={busy}
        className="ml-2 text-xs text-red-700 underline dark:text-red-400"
        onClick={() =>
          window.confirm(m.confirmRemove) &&
          void run(
            () => removeMemberAction({ groupId, userId }),
            () => router.refresh(),
          )
        }
      >
        {m.remove}
      </button>
      {alert}
    </span>
  );
}

export function PaceSelect({
  m: s,
  groupId,
  cohortId,
  cohorts,
}: {
  m: Messages['groupForms'];
  groupId: string;
  cohortId: string | null;
  cohorts: { id: string; name: string }[];
}) {
  const router = useRouter();
  const { run, busy, alert } = useRun();
  return (
    <label className="flex flex-wrap items-center gap-2 text-sm">
      <span className="font-medium">{s.pace}</span>
      <select
        defaultValue={cohortId ?? ''}
        disabled={busy}
        className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
        data-testid="group-pace"
        onChange={(e) =>
          void run(
            () => setGroupPaceAction({ groupId, cohortId: e.target.value }),
            () => router.refresh(),
          )
        }
      >
        <option value="">{s.own}</option>
        {cohorts.map((c) => (
          <option key={c.id} value={c.id}>
            {s.follow} {c.name}
          </option>
        ))}
      </select>
      {alert}
    </label>
  );
}

export function CopyLink({ m, path }: { m: Messages['groupForms']; path: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
      onClick={() => {
        void navigator.clipboard?.writeText(new URL(path, window.location.origin).toString()).then(() => setDone(true));
      }}
    >
      {done ? `✓ ${m.copied}` : m.copy}
    </button>
  );
}
