'use client';
import { useEffect, useState } from 'react';
import { useRouter } from 'next/navigation';
import { setTimeZone } from '@/app/actions/preferences';
import type { Messages } from '@/lib/i18n';
import { format } from '@/lib/i18n/format';

/** The zones this browser knows (the server checks the one picked against its own list). */
function browserZones(): string[] {
  const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return list.includes('UTC') ? list : ['UTC', ...list];
}

/**
 * Picks the zone streak days are counted and dates shown in; offers the browser's own zone. The ~420 zones are listed
 * by the browser after the page loads, not sent with it: they were half of the dashboard's HTML and of its render.
 */
export function TimeZoneForm({ m, current }: { m: Messages['timeZone']; current: string }) {
  const [zones, setZones] = useState<string[]>([current]);
  useEffect(
    () => setZones((z) => [...new Set([current, ...browserZones(), ...z])].sort((a, b) => (a === 'UTC' ? -1 : b === 'UTC' ? 1 : a.localeCompare(b)))),
    [current],
  );
  const router = useRouter();
  const [value, setValue] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Read after mount: the server does not know the browser's zone, and the first render must match the server's.
  const [browser, setBrowser] = useState<string | undefined>();
  useEffect(() => setBrowser(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  const save = async (tz: string) => {
    setBusy(true);
    setError(null);
    const r = await setTimeZone(tz);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setValue(tz);
    router.refresh();
  };
  const field = 'rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900';
  return (
    <details className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800">
      <summary className="cursor-pointer font-medium">
        {m.title}: <span data-testid="time-zone-current">{current}</span>
      </summary>
      <form
        className="mt-3 flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void save(value);
        }}
      >
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">{m.hint}</span>
          <select name="timeZone" value={value} onChange={(e) => setValue(e.target.value)} className={field} data-testid="time-zone-select">
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
        <button disabled={busy} className="rounded-md bg-blue-600 px-3 py-1 font-medium text-white disabled:opacity-60">
          {m.save}
        </button>
        {browser && browser !== current && zones.includes(browser) && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void save(browser)}
            className="rounded-md border border-slate-300 px-3 py-1 dark:border-slate-700"
          >
            {format(m.browserZone, { zone: browser })}
          </button>
        )}
        {error && (
          <p role="alert" className="w-full text-red-600">
            {error}
          </p>
        )}
      </form>
    </details>
  );
}
