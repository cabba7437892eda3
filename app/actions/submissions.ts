'use server';
import { z } from 'zod';
import { action } from '@/app/_server/actions';
import { submitLabAttempt } from '@/lib/submissions/submit-lab-attempt';

/** FormData from the lab page: the lab id and one File per submitted path (editor text or an upload). */
const form = z.instanceof(FormData);

export const submitLab = action({ schema: form }, async (fd, user) => {
  const labId = fd.get('labId');
  const files: { path: string; content: Uint8Array }[] = [];
  for (const [key, value] of fd.entries()) {
    if (!key.startsWith('file:')) continue;
    if (typeof value === 'string') files.push({ path: key.slice(5), content: new TextEncoder().encode(value) });
    else files.push({ path: key.slice(5), content: new Uint8Array(await value.arrayBuffer()) });
  }
  return submitLabAttempt(user!, { labId, files });
});
