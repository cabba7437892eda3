/**
 * Where to send someone after signing in, from a `callbackUrl` anybody can write into a link: only a path on this
 * site. The text is read the way a browser reads it (WHATWG URL parsing: tabs and newlines dropped, leading and
 * trailing spaces and control characters trimmed, `\` taken as `/`, `.` and `..` segments resolved), relative to this
 * site's origin; the answer is the path, query and fragment if the result is still this origin, else `fallback`.
 * So `/\evil.example`, `/<tab>/evil.example`, `//evil.example`, `https://evil.example` and `javascript:` all give the
 * fallback, and a path that would itself read as another host (`/.//evil.example` resolves to `//evil.example`) too.
 * Used by the login form (client side, with the page's origin) and by next-auth's redirect callback.
 */
export function safeCallbackPath(raw: unknown, origin: string, fallback = '/dashboard'): string {
  if (typeof raw !== 'string' || !raw || raw.length > 2048) return fallback;
  let here: URL;
  let url: URL;
  try {
    here = new URL(origin);
    url = new URL(raw, here.origin);
  } catch {
    return fallback;
  }
  if (url.origin !== here.origin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // a path a browser would take for a host of its own (pathname never holds a backslash for http(s), but be plain)
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return fallback;
  return path;
}
