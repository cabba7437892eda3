'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { createGroupAction, joinGroupAction, leaveGroupAction, removeMemberAction, rotateInviteAction, setGroupPaceAction, setLeaderboardAction } from '@/app/actions/groups';

const L = {
  ko: { name: '그룹 이름', create: '그룹 만들기', code: '초대 코드', join: '참여하기', leave: '그룹 나가기', remove: '내보내기', rotate: '초대 코드 바꾸기', board: '리더보드에 나를 표시', pace: '일정', own: '우리만의 속도', follow: '코호트 일정 따르기:', copy: '링크 복사', copied: '복사했습니다', newGroup: '새 그룹', joinOne: '초대 코드로 참여', confirmRemove: '이 멤버를 그룹에서 내보낼까요?', confirmRotate: '지금 초대 코드는 더 이상 쓸 수 없게 됩니다. 바꿀까요?', delete: '그룹 삭제 (나 혼자)' },
  en: { name: 'Group name', create: 'Create group', code: 'Invite code', join: 'Join', leave: 'Leave group', remove: 'Remove', rotate: 'New invite code', board: 'Show me on the leaderboard', pace: 'Schedule', own: 'Our own pace', follow: 'Follow cohort:', copy: 'Copy link', copied: 'Copied', newGroup: 'New group', joinOne: 'Join with an invite code', confirmRemove: 'Remove this member from the group?', confirmRotate: 'The current invite code will stop working. Change it?', delete: 'Delete group (only me)' },
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

export function CreateOrJoin({ lang, code = '', cohorts = [] }: { lang: 'ko' | 'en'; code?: string; cohorts?: { id: string; name: string }[] }) {
  const router = useRouter();
  const s = L[lang];
  const { run, busy, alert } = useRun();
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <form
        className="flex flex-wrap items-end gap-2 rounded-xl border border-slate-200 p-4 dark:border-slate-800"
        aria-label={s.newGroup}
        onSubmit={(e) => {
          e.preventDefault();
          const fd = new FormData(e.currentTarget);
          void run(() => createGroupAction({ name: fd.get('name'), cohortId: fd.get('cohortId') ?? '' }), (d) => router.push(`/groups/${d.id}`));
        }}
      >
        <h2 className="w-full font-semibold">{s.newGroup}</h2>
        <label className="flex-1">
          <span className="block text-sm font-medium">{s.name}</span>
          <input name="name" required minLength={2} maxLength={60} className={`${input} w-full`} data-testid="group-name" />
        </label>
        {cohorts.length > 0 && (
          <label className="w-full sm:w-auto">
            <span className="block text-sm font-medium">{s.pace}</span>
            <select name="cohortId" className={input} defaultValue="">
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
          void run(() => joinGroupAction({ code: fd.get('code') }), (d) => router.push(`/groups/${d.id}`));
        }}
      >
        <h2 className="w-full font-semibold">{s.joinOne}</h2>
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

export function MemberControls({ lang, groupId, onBoard, owner, alone }: { lang: 'ko' | 'en'; groupId: string; onBoard: boolean; owner: boolean; alone: boolean }) {
  const router = useRouter();
  const s = L[lang];
  const { run, busy, alert } = useRun();
  return (
    <div className="flex flex-wrap items-center gap-3">
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" defaultChecked={onBoard} disabled={busy} data-testid="leaderboard-optin" onChange={(e) => void run(() => setLeaderboardAction({ groupId, on: e.target.checked }), () => router.refresh())} />
        {s.board}
      </label>
      {owner && (
        <button type="button" disabled={busy} className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800" data-testid="rotate-code" onClick={() => window.confirm(s.confirmRotate) && void run(() => rotateInviteAction({ groupId }), () => router.refresh())}>
          {s.rotate}
        </button>
      )}
      {owner && alone && (
        <button type="button" disabled={busy} className="rounded-md border border-red-300 px-3 py-1 text-sm text-red-700 dark:border-red-800 dark:text-red-400" onClick={() => void run(() => leaveGroupAction({ groupId }), () => router.push('/groups'))}>
          {s.delete}
        </button>
      )}
      {!owner && (
        <button type="button" disabled={busy} className="rounded-md border border-red-300 px-3 py-1 text-sm text-red-700 dark:border-red-800 dark:text-red-400" data-testid="leave-group" onClick={() => void run(() => leaveGroupAction({ groupId }), () => router.push('/groups'))}>
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
      <button type="button" disabled={busy} className="ml-2 text-xs text-red-700 underline dark:text-red-400" onClick={() => window.confirm(L[lang].confirmRemove) && void run(() => removeMemberAction({ groupId, userId }), () => router.refresh())}>
        {L[lang].remove}
      </button>
      {alert}
    </span>
  );
}

export function PaceSelect({ lang, groupId, cohortId, cohorts }: { lang: 'ko' | 'en'; groupId: string; cohortId: string | null; cohorts: { id: string; name: string }[] }) {
  const router = useRouter();
  const s = L[lang];
  const { run, busy, alert } = useRun();
  return (
    <label className="flex flex-wrap items-center gap-2 text-sm">
      <span className="font-medium">{s.pace}</span>
      <select defaultValue={cohortId ?? ''} disabled={busy} className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900" data-testid="group-pace" onChange={(e) => void run(() => setGroupPaceAction({ groupId, cohortId: e.target.value }), () => router.refresh())}>
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

export function CopyLink({ lang, path }: { lang: 'ko' | 'en'; path: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
      onClick={() => {
        void navigator.clipboard?.writeText(new URL(path, window.location.origin).toString()).then(() => setDone(true));
      }}
    >
      {done ? `✓ ${L[lang].copied}` : L[lang].copy}
    </button>
  );
}
