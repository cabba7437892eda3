'use server';
import { z } from 'zod';
import { headers } from 'next/headers';
import { action } from '@/app/_server/actions';
import { setRole } from '@/lib/admin/users';
import { clientAddress } from '@/lib/security/client-address';

/** Admins only (checked here and again next to the data in lib/admin/users.ts). */
export const setRoleAction = action(
  { schema: z.object({ userId: z.string().regex(/^[a-z0-9]{10,40}$/, 'Not an id.'), role: z.enum(['LEARNER', 'INSTRUCTOR', 'ADMIN']) }), roles: ['ADMIN'] },
  async ({ userId, role }, user) => {
    const u = await setRole(user!, userId, role, clientAddress(await headers()));
    return { role: u.role };
  },
);
