import { redirect } from 'next/navigation';

/** A shared group link: the groups page with the code filled in (joining stays a deliberate click). */
export default async function JoinGroupLink({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  redirect(/^[A-Za-z0-9_-]{6,40}$/.test(code) ? `/groups?code=${code}` : '/groups');
}
