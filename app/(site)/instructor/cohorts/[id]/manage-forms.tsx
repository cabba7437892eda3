'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import {
  fillScheduleAction,
  inviteEmailsAction,
  removeMemberAction,
  revokeInviteAction,
  rotateInviteAction,
  setLatePolicyAction,
  setScheduleAction,
} from '@/app/actions/cohorts';
import type { ActionResult } from '@/app/_server/actions';

type Lang = 'ko' | 'en';
const field = 'rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900';
const primary = 'rounded-md bg-blue-600 px-3 py-1 text-sm font-medium text-white hover:bg-blue-700 disabled:opacity-60';
const quiet = 'rounded-md border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800';

/** Runs an action, shows its message, refreshes the server-rendered page on success. */
function useRun(lang: Lang) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  async function run<T>(p: () => Promise<ActionResult<T>>, ok: (d: T) => string = () => (lang === 'ko' ? '저장했습니다.' : 'Saved.')) {
    setBusy(true);
    setMsg(null);
    const r = await p();
    setBusy(false);
    setMsg(r.ok ? { ok: true, text: ok(r.data) } : { ok: false, text: r.error });
    if (r.ok) router.refresh();
    return r.ok;
  }
  const note = msg && (
    <p role={msg.ok ? 'status' : 'alert'} className={`mt-1 text-sm ${msg.ok ? 'text-emerald-700' : 'text-red-600'}`}>
      {msg.text}
    </p>
  );
  return { busy, run, note };
}

export function RotateInviteButton({ cohortId, lang }: { cohortId: string; lang: Lang }) {
  const { busy, run, note } = useRun(lang);
  const ko = lang === 'ko';
  return (
    <span>
      <button
        type="button"
        disabled={busy}
        className={quiet}
        data-testid="rotate-invite"
        onClick={() => {
          if (confirm(ko ? '새 링크를 만들면 지금 링크는 더 이상 쓸 수 없습니다.' : 'The current link stops working. Make a new one?')) void run(() => rotateInviteAction({ cohortId }), () => (ko ? '새 링크를 만들었습니다.' : 'New link made.'));
        }}
      >
        {ko ? '새 링크 만들기' : 'New link'}
      </button>
      {note}
    </span>
  );
}

/** Paste addresses (any list, or a CSV with an e-mail column) or pick a .csv/.txt file. */
export function InviteEmailsForm({ cohortId, lang }: { cohortId: string; lang: Lang }) {
  const { busy, run, note } = useRun(lang);
  const [text, setText] = useState('');
  const ko = lang === 'ko';
  return (
    <form
      className="space-y-2"
      onSubmit={async (e) => {
        e.preventDefault();
        const ok = await run(
          () => inviteEmailsAction({ cohortId, text }),
          (d) =>
            (ko ? `초대 ${d.invited.length}명 (수락하면 참여) · 이미 참여 ${d.already.length}명` : `${d.invited.length} invited (they join when they accept) · ${d.already.length} already in`) +
            (d.invalid.length ? (ko ? ` · 주소가 아님: ${d.invalid.join(', ')}` : ` · not addresses: ${d.invalid.join(', ')}`) : ''),
        );
        if (ok) setText('');
      }}
    >
      <textarea
        name="emails"
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={3}
        maxLength={200_000}
        placeholder={ko ? 'kim@example.com, lee@example.com (줄바꿈·쉼표·CSV 모두 가능)' : 'kim@example.com, lee@example.com (one per line, commas or a CSV)'}
        className={`${field} w-full font-mono`}
      />
      <div className="flex flex-wrap items-center gap-2">
        <label className="text-sm">
          <span className="sr-only">CSV</span>
          <input
            type="file"
            accept=".csv,.txt,text/csv,text/plain"
            data-testid="invite-csv"
            className="text-xs"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (!f) return;
              const body = (await f.text()).slice(0, 200_000);
              setText((t) => (t ? `${t}\n` : '') + body);
            }}
          />
        </label>
        <button disabled={busy || !text.trim()} className={primary} data-testid="invite-emails">
          {ko ? '이메일로 초대' : 'Invite by e-mail'}
        </button>
      </div>
      {note}
    </form>
  );
}

export function RevokeInviteButton({ cohortId, email, lang }: { cohortId: string; email: string; lang: Lang }) {
  const { busy, run, note } = useRun(lang);
  return (
    <span>
      <button type="button" disabled={busy} className={quiet} onClick={() => void run(() => revokeInviteAction({ cohortId, email }))}>
        {lang === 'ko' ? '취소' : 'Revoke'}
      </button>
      {note}
    </span>
  );
}

export function RemoveMemberButton({ cohortId, userId, name, lang }: { cohortId: string; userId: string; name: string; lang: Lang }) {
  const { busy, run, note } = useRun(lang);
  const ko = lang === 'ko';
  return (
    <span>
      <button
        type="button"
        disabled={busy}
        className={quiet}
        data-testid="remove-member"
        onClick={() => {
          if (confirm(ko ? `${name} 님을 코호트에서 뺄까요? 제출 기록은 남습니다.` : `Remove ${name} from the cohort? Their submissions stay.`)) void run(() => removeMemberAction({ cohortId, userId }));
        }}
      >
        {ko ? '빼기' : 'Remove'}
      </button>
      {note}
    </span>
  );
}

export function LatePolicyForm({ cohortId, pct, lang }: { cohortId: string; pct: number; lang: Lang }) {
  const { busy, run, note } = useRun(lang);
  const ko = lang === 'ko';
  return (
    <form
      className="flex flex-wrap items-center gap-2 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        const fd = new FormData(e.currentTarget);
        void run(() => setLatePolicyAction({ cohortId, latePenaltyPct: fd.get('latePenaltyPct') }));
      }}
    >
      <label>
        {ko ? '지각 제출 감점(%)' : 'Late penalty (%)'}{' '}
        <input name="latePenaltyPct" type="number" min={0} max={100} defaultValue={pct} className={`${field} w-20`} data-testid="late-penalty" />
      </label>
      <button disabled={busy} className={primary}>
        {ko ? '저장' : 'Save'}
      </button>
      {note}
    </form>
  );
}

/** Every week's opening and due time on the instructor's clock (`zoneName`), edited together; plus "fill the 10 weeks from a start date". */
export function ScheduleEditor({ cohortId, weeks, zoneName, lang }: { cohortId: string; weeks: { week: number; unlockAt: string; dueAt: string }[]; zoneName: string; lang: Lang }) {
  const save = useRun(lang);
  const fill = useRun(lang);
  const ko = lang === 'ko';
  const byWeek = new Map(weeks.map((w) => [w.week, w]));
  return (
    <div className="space-y-3">
      <form
        className="flex flex-wrap items-end gap-2 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          const fd = new FormData(e.currentTarget);
          void fill.run(() => fillScheduleAction({ cohortId, start: `${fd.get('start')}T09:00` }), () => (ko ? '10주 일정을 채웠습니다.' : 'Filled the 10 weeks.'));
        }}
      >
        <label>
          <span className="block text-slate-500">{ko ? `1주차 시작일 (09:00, ${zoneName})` : `Week 1 starts (09:00, ${zoneName})`}</span>
          <input name="start" type="date" required className={field} data-testid="fill-start" />
        </label>
        <button disabled={fill.busy} className={quiet} data-testid="fill-schedule">
          {ko ? '1주 간격으로 10주 채우기' : 'Fill 10 weeks, one week apart'}
        </button>
        {fill.note}
      </form>
      <form
        key={weeks.map((w) => w.unlockAt + w.dueAt).join()}
        onSubmit={(e) => {
          e.preventDefault();
          const fd = new FormData(e.currentTarget);
          const out: { week: number; unlockAt: string; dueAt: string }[] = [];
          for (let w = 1; w <= 10; w++) {
            const unlockAt = String(fd.get(`unlock-${w}`) ?? '');
            const dueAt = String(fd.get(`due-${w}`) ?? '');
            if (unlockAt || dueAt) out.push({ week: w, unlockAt, dueAt });
          }
          void save.run(() => setScheduleAction({ cohortId, weeks: out }));
        }}
      >
        <table className="w-full text-sm" data-testid="schedule">
          <thead>
            <tr className="text-left text-slate-500">
              <th className="py-1">{ko ? '주차' : 'Week'}</th>
              <th>{ko ? '열림' : 'Opens'}</th>
              <th>{ko ? '마감' : 'Due'}</th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: 10 }, (_, i) => i + 1).map((w) => (
              <tr key={w} className="border-t border-slate-200 dark:border-slate-800" data-week={w} data-scheduled={byWeek.has(w)}>
                <td className="py-1">{ko ? `${w}주차` : `Week ${w}`}</td>
                <td>
                  <input type="datetime-local" name={`unlock-${w}`} defaultValue={byWeek.get(w)?.unlockAt ?? ''} aria-label={ko ? `${w}주차 열림` : `Week ${w} opens`} className={field} />
                </td>
                <td>
                  <input type="datetime-local" name={`due-${w}`} defaultValue={byWeek.get(w)?.dueAt ?? ''} aria-label={ko ? `${w}주차 마감` : `Week ${w} due`} className={field} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-1 text-xs text-slate-500" data-testid="schedule-zone">
          {ko ? `시각은 ${zoneName} 기준입니다 (대시보드에서 바꿀 수 있습니다). 비워 둔 주차는 각자 속도로 진행합니다. 이미 한 제출의 지각 표시는 바뀌지 않습니다.` : `Times are in ${zoneName} (change it on your dashboard). Weeks left empty are self-paced. Submissions already made keep their late marks.`}
        </p>
        <button disabled={save.busy} className={`${primary} mt-2`} data-testid="save-schedule">
          {ko ? '일정 저장' : 'Save schedule'}
        </button>
        {save.note}
      </form>
    </div>
  );
}
