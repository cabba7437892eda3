'use client';

/**
 * The last resort when the root layout itself fails: it replaces the whole document, so it brings its own <html>.
 * A readable message in both languages, never the error's text or stack (the digest lets an operator find the log).
 */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="ko">
      <body style={{ fontFamily: 'system-ui, sans-serif', textAlign: 'center', padding: '4rem 1rem' }}>
        <h1 style={{ fontSize: '1.5rem', fontWeight: 700 }}>Something went wrong · 문제가 생겼습니다</h1>
        <p>Please try again in a moment. · 잠시 후 다시 시도해 주세요.</p>
        {error.digest ? <p style={{ color: '#666', fontSize: '0.8rem' }}>ref: {error.digest}</p> : null}
        <button type="button" onClick={reset} style={{ marginTop: '1rem', padding: '0.5rem 1rem' }}>
          Try again · 다시 시도
        </button>
      </body>
    </html>
  );
}
