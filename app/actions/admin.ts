'use server';
import { z } from 'zod';
import { headers } from 'next/headers';
import { action } from '@/lib/actions';
import { setRole } from '@/lib/admin/users';

export const setRoleAction = action(
  { schema: z.object({ userId: z.string().regex(/^[a-z0-9]{10,40}$/), role: z.enum(['LEARNER', 'INSTRUCTOR', 'ADMIN']) }), roles: ['ADMIN'] },
  async ({ userId, role }, user) => {
    const ip = (await headers()).get('x-forwarded-for');
    const u = await setRole(user!, userId, role, ip);
    return { role: u.role };
  },
);
