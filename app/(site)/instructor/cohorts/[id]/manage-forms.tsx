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
import type { Messages } from '@/lib/i18n';
import { format } from '@/lib/i18n/format';
import { ScrollTable } from '@/components/scroll-table';

/** This file's messages: the catalogue's `cohortForms` section in the reader's language. */
type M = Messages['cohortForms'];
const field = 'rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900';
const primary = 'rounded-md bg-blue-600 px-3 py-1 text-sm font-medium text-white hover:bg-blue-700 disabled:opacity-60';
const quiet = 'rounded-md border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800';

/** Runs an action, shows its message, refreshes the server-rendered page on success. */
function useRun(m: M) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  async function run<T>(p: () => Promise<ActionResult<T>>, ok: (d: T) => string = () => m.saved) {
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

export function RotateInviteButton({ cohortId, m }: { cohortId: string; m: M }) {
  const { busy, run, note } = useRun(m);
  return (
    <span>
      <button
        type="button"
        disabled={busy}
        className={quiet}
        data-testid="rotate-invite"
        onClick={() => {
          if (confirm(m.confirmRotate))
            void run(
              () => rotateInviteAction({ cohortId }),
              () => m.rotated,
            );
        }}
      >
        {m.newLink}
      </button>
      {note}
    </span>
  );
}

/** Paste addresses (any list, or a CSV with an e-mail column) or pick a .csv/.txt file. */
export function InviteEmailsForm({ cohortId, m }: { cohortId: string; m: M }) {
  const { busy, run, note } = useRun(m);
  const [text, setText] = useState('');
  return (
    <form
      className="space-y-2"
      onSubmit={async (e) => {
        e.preventDefault();
        const ok = await run(
          () => inviteEmailsAction({ cohortId, text }),
          (d) =>
            format(m.invited, { invited: d.invited.length, already: d.already.length }) +
            (d.invalid.length ? format(m.notAddresses, { list: d.invalid.join(', ') }) : ''),
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
        placeholder={m.emailsPlaceholder}
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
          {m.inviteByEmail}
        </button>
      </div>
      {note}
    </form>
  );
}

export function RevokeInviteButton({ cohortId, email, m }: { cohortId: string; email: string; m: M }) {
  const { busy, run, note } = useRun(m);
  return (
    <span>
      <button type="button" disabled={busy} className={quiet} onClick={() => void run(() => revokeInviteAction({ cohortId, email }))}>
        {m.revoke}
      </button>
      {note}
    </span>
  );
}

export function RemoveMemberButton({ cohortId, userId, name, m }: { cohortId: string; userId: string; name: string; m: M }) {
  const { busy, run, note } = useRun(m);
  return (
    <span>
      <button
        type="button"
        disabled={busy}
        className={quiet}
        data-testid="remove-member"
        onClick={() => {
          if (confirm(format(m.confirmRemove, { name }))) void run(() => removeMemberAction({ cohortId, userId }));
        }}
      >
        {m.remove}
      </button>
      {note}
    </span>
  );
}

export function LatePolicyForm({ cohortId, pct, m }: { cohortId: string; pct: number; m: M }) {
  const { busy, run, note } = useRun(m);
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
        {m.latePenalty}{' '}
        <input name="latePenaltyPct" type="number" min={0} max={100} defaultValue={pct} className={`${field} w-20`} data-testid="late-penalty" />
      </label>
      <button disabled={busy} className={primary}>
        {m.save}
      </button>
      {note}
    </form>
  );
}

/** Every week's opening and due time on the instructor's clock (`zoneName`), edited together; plus "fill the 10 weeks from a start date". */
export function ScheduleEditor({
  cohortId,
  weeks,
  zoneName,
  m,
}: {
  cohortId: string;
  weeks: { week: number; unlockAt: string; dueAt: string }[];
  zoneName: string;
  m: M;
}) {
  const save = useRun(m);
  const fill = useRun(m);
  const byWeek = new Map(weeks.map((w) => [w.week, w]));
  return (
    <div className="space-y-3">
      <form
        className="flex flex-wrap items-end gap-2 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          const fd = new FormData(e.currentTarget);
          void fill.run(
            () => fillScheduleAction({ cohortId, start: `${fd.get('start')}T09:00` }),
            () => m.filled,
          );
        }}
      >
        <label>
          <span className="block text-slate-500">{format(m.week1Starts, { zone: zoneName })}</span>
          <input name="start" type="date" required className={field} data-testid="fill-start" />
        </label>
        <button disabled={fill.busy} className={quiet} data-testid="fill-schedule">
          {m.fill}
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
        <ScrollTable label={m.scheduleTable}>
          <table className="w-full text-sm" data-testid="schedule">
            <thead>
              <tr className="text-left text-slate-500">
                <th className="py-1">{m.week}</th>
                <th>{m.opens}</th>
                <th>{m.due}</th>
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: 10 }, (_, i) => i + 1).map((w) => (
                <tr key={w} className="border-t border-slate-200 dark:border-slate-800" data-week={w} data-scheduled={byWeek.has(w)}>
                  <td className="py-1">{format(m.weekN, { week: w })}</td>
                  <td>
                    <input
                      type="datetime-local"
                      name={`unlock-${w}`}
                      defaultValue={byWeek.get(w)?.unlockAt ?? ''}
                      aria-label={format(m.weekOpens, { week: w })}
                      className={field}
                    />
                  </td>
                  <td>
                    <input
                      type="datetime-local"
                      name={`due-${w}`}
                      defaultValue={byWeek.get(w)?.dueAt ?? ''}
                      aria-label={format(m.weekDue, { week: w })}
                      className={field}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
        <p className="mt-1 text-xs text-slate-500" data-testid="schedule-zone">
          {format(m.zoneNote, { zone: zoneName })}
        </p>
        <button disabled={save.busy} className={`${primary} mt-2`} data-testid="save-schedule">
          {m.saveSchedule}
        </button>
        {save.note}
      </form>
    </div>
  );
}
