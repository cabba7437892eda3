'use server';
import { z } from 'zod';
import { action } from '@/app/_server/actions';
import { createGroup, groupName, inviteCode, joinGroup, leaveGroup, removeMember, rotateInvite, setGroupPace, setLeaderboard } from '@/lib/groups/groups';

const id = z.string().regex(/^[a-z0-9]{10,40}$/, 'Not an id.');
const cohortId = z.union([id, z.literal('').transform(() => null), z.null()]);

export const createGroupAction = action({ schema: z.object({ name: groupName, cohortId: cohortId.optional() }) }, async (i, u) => ({
  id: (await createGroup(u!, i.name, i.cohortId ?? null)).id,
}));
export const joinGroupAction = action({ schema: z.object({ code: inviteCode }) }, async (i, u) => ({ id: (await joinGroup(u!, i.code)).id }));
export const leaveGroupAction = action({ schema: z.object({ groupId: id }) }, async (i, u) => leaveGroup(u!, i.groupId));
export const removeMemberAction = action({ schema: z.object({ groupId: id, userId: id }) }, async (i, u) => removeMember(u!, i.groupId, i.userId));
export const rotateInviteAction = action({ schema: z.object({ groupId: id }) }, async (i, u) => rotateInvite(u!, i.groupId));
export const setLeaderboardAction = action({ schema: z.object({ groupId: id, on: z.boolean() }) }, async (i, u) => setLeaderboard(u!, i.groupId, i.on));
export const setGroupPaceAction = action({ schema: z.object({ groupId: id, cohortId }) }, async (i, u) => setGroupPace(u!, i.groupId, i.cohortId));
