'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';

export interface TerminalStrings {
  terminal: string;
  shellExited: string;
  newShell: string;
  reconnecting: string;
  disconnected: string;
  signedOut: string;
  keys: string;
  tabMoves: string;
  tabMovesOn: string;
  tabMovesOff: string;
}

/** Why the terminal stopped for good (the parent shows "Reopen" for `stopped`). */
export type TerminalEnd = 'stopped' | 'signedOut' | 'failed';

export interface WorkspaceTerminalProps {
  workspaceId: string;
  s: TerminalStrings;
  onEnd?: (why: TerminalEnd, message?: string) => void;
}

/** A paste bigger than this goes to the server in pieces (its frame limit is 64 KiB). */
const PIECE = 16 * 1024;
const RETRIES = [500, 1000, 2000, 4000, 8000];
const enc = new TextEncoder();

type Phase = 'connecting' | 'open' | 'exited' | 'reconnecting' | 'failed' | 'signedOut' | 'stopped';

/** Copies text, with the Clipboard API where the page may use it (HTTPS, localhost), else the old way. */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    /* not a secure context, or no permission */
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  document.execCommand('copy');
  ta.remove();
}

/**
 * The workspace's terminal: xterm.js on a WebSocket to server.ts (`/api/workspaces/<id>/tty`). A client island of
 * the lab page only (next/dynamic, like the editor). Bytes both ways as binary frames; the size as a text frame.
 *
 * Keys: the terminal takes Tab (shell completion), so Ctrl+M switches Tab to moving focus and back (as VS Code's
 * "Tab moves focus"), said next to the terminal and announced when switched. Copy: Ctrl+Shift+C, or Ctrl+C while
 * text is selected, or the context menu; paste: Ctrl+V, Ctrl+Shift+V, the context menu (the browser's paste event,
 * which xterm.js turns into a bracketed paste).
 */
export default function WorkspaceTerminal({ workspaceId, s, onEnd }: WorkspaceTerminalProps) {
  const host = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const [phase, setPhase] = useState<Phase>('connecting');
  const [note, setNote] = useState<string | null>(null);
  const [tabMoves, setTabMoves] = useState(false);
  const tabMovesRef = useRef(false);
  const [shell, setShell] = useState(0);
  const ended = useRef(onEnd);
  const texts = useRef(s);

  useEffect(() => {
    ended.current = onEnd;
    texts.current = s;
  }, [onEnd, s]);

  const toggleTabMoves = useCallback(() => {
    const on = !tabMovesRef.current;
    tabMovesRef.current = on;
    setTabMoves(on);
    setNote(on ? texts.current.tabMovesOn : texts.current.tabMovesOff);
  }, []);

  // The terminal itself: created once, sized to its box, disposed with the component.
  useEffect(() => {
    if (!host.current) return;
    const narrow = window.matchMedia('(max-width: 640px)').matches;
    const mono = getComputedStyle(document.documentElement).getPropertyValue('--font-mono').trim();
    Terminal.strings.promptLabel = texts.current.terminal;
    const term = new Terminal({
      fontSize: narrow ? 13 : 14,
      fontFamily: `${mono || 'ui-monospace, monospace'}, 'Noto Sans Mono CJK KR', 'Noto Sans KR Variable', monospace`,
      cursorBlink: true,
      scrollback: 5000,
      rightClickSelectsWord: true,
      theme: { background: '#0f172a', foreground: '#e2e8f0', cursor: '#f8fafc', selectionBackground: '#1e40af' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host.current);
    try {
      fit.fit();
    } catch {
      /* not laid out yet */
    }
    termRef.current = term;
    term.attachCustomKeyEventHandler((e) => {
      const ctrlOnly = e.ctrlKey && !e.altKey && !e.metaKey;
      if (ctrlOnly && !e.shiftKey && e.code === 'KeyM') {
        if (e.type === 'keydown') {
          e.preventDefault();
          toggleTabMoves();
        }
        return false;
      }
      if (e.key === 'Tab' && tabMovesRef.current) return false; // the browser moves focus
      if ((ctrlOnly && e.shiftKey && e.code === 'KeyC') || (ctrlOnly && !e.shiftKey && e.code === 'KeyC' && term.hasSelection())) {
        if (e.type === 'keydown') {
          e.preventDefault();
          const text = term.getSelection();
          if (text) void copyText(text);
          if (!e.shiftKey) term.clearSelection();
        }
        return false;
      }
      // Paste: leave the key to the browser, whose paste event xterm.js reads.
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.code === 'KeyV') return false;
      return true;
    });
    let frame = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        try {
          fit.fit();
        } catch {
          /* hidden */
        }
      });
    });
    ro.observe(host.current);
    return () => {
      ro.disconnect();
      cancelAnimationFrame(frame);
      term.dispose();
      termRef.current = null;
    };
  }, [toggleTabMoves]);

  // The connection: one per shell; reconnects when the network or the server drops it.
  useEffect(() => {
    const term = termRef.current;
    if (!term) return;
    let ws: WebSocket | null = null;
    let disposed = false;
    let tries = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const subs: { dispose(): void }[] = [];
    const send = (bytes: Uint8Array) => {
      if (ws?.readyState !== WebSocket.OPEN) return;
      for (let i = 0; i < bytes.length; i += PIECE) ws.send(bytes.subarray(i, i + PIECE));
    };
    subs.push(term.onData((d) => send(enc.encode(d))));
    subs.push(
      term.onBinary((d) => {
        const b = new Uint8Array(d.length);
        for (let i = 0; i < d.length; i++) b[i] = d.charCodeAt(i) & 0xff;
        send(b);
      }),
    );
    subs.push(term.onResize(({ cols, rows }) => ws?.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ type: 'resize', cols, rows }))));

    const finish = (p: Phase, why?: TerminalEnd, message?: string) => {
      setPhase(p);
      if (why) ended.current?.(why, message);
    };

    /** A socket that closed without a reason the server gave: ask the API what is going on. */
    const diagnose = async () => {
      try {
        const r = await fetch(`/api/workspaces/${workspaceId}`, { cache: 'no-store' });
        if (r.status === 401) return finish('signedOut', 'signedOut');
        if (!r.ok) {
          const body = (await r.json().catch(() => null)) as { error?: string } | null;
          return finish('failed', 'failed', body?.error);
        }
        const info = (await r.json()) as { status: string };
        if (info.status === 'stopped') return finish('stopped', 'stopped');
      } catch {
        /* offline: retry below */
      }
      if (tries < RETRIES.length) {
        setPhase('reconnecting');
        timer = setTimeout(connect, RETRIES[tries++]);
      } else finish('failed', 'failed');
    };

    function connect() {
      if (disposed) return;
      const proto = location.protocol === 'https:' ? 'wss' : 'ws';
      const sock = new WebSocket(`${proto}://${location.host}/api/workspaces/${encodeURIComponent(workspaceId)}/tty?cols=${term!.cols}&rows=${term!.rows}`);
      ws = sock;
      sock.binaryType = 'arraybuffer';
      sock.onopen = () => {
        tries = 0;
        setPhase('open');
        term!.focus();
      };
      sock.onmessage = (ev) => {
        if (ev.data instanceof ArrayBuffer) term!.write(new Uint8Array(ev.data));
      };
      sock.onclose = (ev) => {
        if (disposed || ws !== sock) return;
        ws = null;
        if (ev.code === 4000) finish('exited');
        else if (ev.code === 4001) finish('stopped', 'stopped');
        else if (ev.code === 4401) finish('signedOut', 'signedOut');
        else void diagnose();
      };
    }

    setPhase('connecting');
    term.reset();
    connect();
    return () => {
      disposed = true;
      clearTimeout(timer);
      for (const d of subs) d.dispose();
      ws?.close(1000, 'closed');
    };
  }, [workspaceId, shell]);

  const message =
    phase === 'exited'
      ? s.shellExited
      : phase === 'reconnecting'
        ? s.reconnecting
        : phase === 'failed'
          ? s.disconnected
          : phase === 'signedOut'
            ? s.signedOut
            : null;
  return (
    <div className="space-y-2" data-testid="terminal" data-phase={phase}>
      <div className="relative w-full overflow-hidden rounded-md border border-slate-700 bg-[#0f172a] p-1">
        <div ref={host} className="h-72 w-full sm:h-96" role="group" aria-label={s.terminal} />
        {message && (
          <div className="absolute inset-x-0 bottom-0 flex flex-wrap items-center gap-3 bg-slate-900/90 px-3 py-2 text-sm text-slate-100" role="status">
            <span>{message}</span>
            {phase === 'exited' && (
              <button
                type="button"
                onClick={() => setShell((n) => n + 1)}
                className="rounded border border-slate-400 px-2 py-0.5 hover:bg-slate-800"
                data-testid="new-shell"
              >
                {s.newShell}
              </button>
            )}
          </div>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
        <span id={`keys-${workspaceId}`}>{s.keys}</span>
        <button
          type="button"
          aria-pressed={tabMoves}
          onClick={toggleTabMoves}
          className={`rounded border px-2 py-0.5 ${tabMoves ? 'border-blue-600 bg-blue-50 text-blue-900 dark:bg-blue-950/50 dark:text-blue-100' : 'border-slate-300 dark:border-slate-700'}`}
          data-testid="tab-moves"
        >
          {s.tabMoves}
        </button>
      </div>
      <p className="sr-only" aria-live="polite">
        {note}
      </p>
    </div>
  );
}
