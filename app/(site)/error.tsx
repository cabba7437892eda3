'use client';

/** Any unexpected error: a readable message, never the error's text or stack (the digest lets an operator find the log). */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="py-16 text-center">
      <h1 className="text-2xl font-bold">Something went wrong · 문제가 생겼습니다</h1>
      <p className="mt-2">Please try again in a moment. · 잠시 후 다시 시도해 주세요.</p>
      {error.digest ? <p className="mt-1 text-xs text-slate-500">ref: {error.digest}</p> : null}
      <button type="button" onClick={reset} className="mt-4 rounded-md bg-blue-600 px-4 py-2 text-white">
        Try again · 다시 시도
      </button>
    </div>
  );
}
