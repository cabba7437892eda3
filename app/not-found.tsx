import Link from 'next/link';

/** A URL no route matches. */
export default function GlobalNotFound() {
  // The root layout passes through, so a URL that matches no route gets its own document here.
  return (
    <html lang="ko">
      <body className="min-h-screen">
        <div className="py-16 text-center">
          <h1 className="text-2xl font-bold">404</h1>
          <p className="mt-2">Page not found. · 페이지를 찾을 수 없습니다.</p>
          <Link href="/" className="mt-4 inline-block text-blue-700 underline dark:text-blue-400">
            Home · 처음으로
          </Link>
        </div>
      </body>
    </html>
  );
}
