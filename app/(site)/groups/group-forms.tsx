'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { createGroupAction, joinGroupAction, leaveGroupAction, removeMemberAction, rotateInviteAction, setLeaderboardAction } from '@/app/actions/groups';

const L = {
  ko: { name: '그룹 이름', create: '그룹 만들기', code: '초대 코드', join: '참여하기', leave: '그룹 나가기', remove: '내보내기', rotate: '초대 코드 바꾸기', board: '리더보드에 나를 표시' },
  en: { name: 'Group name', create: 'Create group', code: 'Invite code', join: 'Join', leave: 'Leave group', remove: 'Remove', rotate: 'New invite code', board: 'Show me on the leaderboard' },
};
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

export function CreateOrJoin({ lang, code = '' }: { lang: 'ko' | 'en'; code?: string }) {
  const router = useRouter();
  const s = L[lang];
  const { run, busy, alert } = useRun();
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const fd = new FormData(e.currentTarget);
          void run(() => createGroupAction({ name: fd.get('name') }), (d) => router.push(`/groups/${d.id}`));
        }}
      >
        <label className="flex-1">
          <span className="block text-sm font-medium">{s.name}</span>
          <input name="name" required minLength={2} maxLength={60} className={`${input} w-full`} />
        </label>
        <button disabled={busy} className={button}>
          {s.create}
        </button>
      </form>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const fd = new FormData(e.currentTarget);
          void run(() => joinGroupAction({ code: fd.get('code') }), (d) => router.push(`/groups/${d.id}`));
        }}
      >
        <label className="flex-1">
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

export function MemberControls({ lang, groupId, onBoard, owner }: { lang: 'ko' | 'en'; groupId: string; onBoard: boolean; owner: boolean }) {
  const router = useRouter();
  const s = L[lang];
  const { run, busy, alert } = useRun();
  return (
    <div className="flex flex-wrap items-center gap-3">
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" defaultChecked={onBoard} disabled={busy} data-testid="leaderboard-optin" onChange={(e) => void run(() => setLeaderboardAction({ groupId, on: e.target.checked }), () => router.refresh())} />
        {s.board}
      </label>
      {owner ? (
        <button type="button" disabled={busy} className="rounded-md border border-slate-300 px-3 py-1 text-sm dark:border-slate-700" onClick={() => void run(() => rotateInviteAction({ groupId }), () => router.refresh())}>
          {s.rotate}
        </button>
      ) : (
        <button type="button" disabled={busy} className="rounded-md border border-red-300 px-3 py-1 text-sm text-red-700" onClick={() => void run(() => leaveGroupAction({ groupId }), () => router.push('/groups'))}>
          {s.leave}
        </button>
      )}
      {alert}
    </div>
  );
}

export function RemoveButton({ lang, groupId, userId }: { lang: 'ko' | 'en'; groupId: string; userId: string }) {
  const router = useRouter();
  const { run, busy, alert } = useRun();
  return (
    <span>
      <button type="button" disabled={busy} className="text-xs text-red-700 underline" onClick={() => void run(() => removeMemberAction({ groupId, userId }), () => router.refresh())}>
        {L[lang].remove}
      </button>
      {alert}
    </span>
  );
}
