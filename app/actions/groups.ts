'use server';
import { z } from 'zod';
import { action } from '@/lib/actions';
import { createGroup, joinGroup, leaveGroup, removeMember, rotateInvite, setLeaderboard } from '@/lib/groups/groups';

const id = z.string().regex(/^[a-z0-9]{10,40}$/, 'Not an id.');
const name = z
  .string()
  .trim()
  .min(2, 'At least 2 characters.')
  .max(60, 'At most 60 characters.')
  .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127), 'No control characters.');

export const createGroupAction = action({ schema: z.object({ name }) }, async (i, u) => ({ id: (await createGroup(u!, i.name)).id }));
export const joinGroupAction = action({ schema: z.object({ code: z.string().trim().regex(/^[A-Za-z0-9_-]{6,40}$/, 'Not an invite code.') }) }, async (i, u) => ({ id: (await joinGroup(u!, i.code)).id }));
export const leaveGroupAction = action({ schema: z.object({ groupId: id }) }, async (i, u) => leaveGroup(u!, i.groupId));
export const removeMemberAction = action({ schema: z.object({ groupId: id, userId: id }) }, async (i, u) => removeMember(u!, i.groupId, i.userId));
export const rotateInviteAction = action({ schema: z.object({ groupId: id }) }, async (i, u) => rotateInvite(u!, i.groupId));
export const setLeaderboardAction = action({ schema: z.object({ groupId: id, on: z.boolean() }) }, async (i, u) => setLeaderboard(u!, i.groupId, i.on));
