'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { setWebhookAction } from '@/app/actions/cohorts';
import type { Messages } from '@/lib/i18n';

export function WebhookForm({
  cohortId,
  url,
  kind,
  stuckAfter,
  m,
}: {
  cohortId: string;
  url: string;
  kind: 'slack' | 'discord';
  stuckAfter: number;
  m: Messages['cohortForms'];
}) {
  const router = useRouter();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const field = 'rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900';
  return (
    <form
      className="space-y-2"
      onSubmit={async (e) => {
        e.preventDefault();
        const fd = new FormData(e.currentTarget);
        const u = String(fd.get('url') ?? '').trim();
        setBusy(true);
        const r = await setWebhookAction({ cohortId, webhook: u ? { url: u, kind: fd.get('kind') } : null, stuckAfter: fd.get('stuckAfter') });
        setBusy(false);
        setMsg(r.ok ? { ok: true, text: m.saved } : { ok: false, text: r.error });
        if (r.ok) router.refresh();
      }}
    >
      <input
        name="url"
        defaultValue={url}
        placeholder="https://hooks.slack.com/services/…"
        maxLength={500}
        aria-label={m.webhookUrl}
        className={`${field} w-full font-mono`}
      />
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <select name="kind" defaultValue={kind} aria-label={m.webhookKind} className={field}>
          <option value="slack">Slack</option>
          <option value="discord">Discord</option>
        </select>
        <label>
          {m.stuckAfter} <input name="stuckAfter" type="number" min={1} max={20} defaultValue={stuckAfter} className={`${field} w-16`} />
        </label>
        <button disabled={busy} className="rounded-md bg-blue-600 px-3 py-1 font-medium text-white hover:bg-blue-700 disabled:opacity-60">
          {m.save}
        </button>
      </div>
      {msg && (
        <p role={msg.ok ? 'status' : 'alert'} className={`text-sm ${msg.ok ? 'text-emerald-700' : 'text-red-600'}`}>
          {msg.text}
        </p>
      )}
    </form>
  );
}
