import type { Role } from '../generated/prisma/enums';

/** Who is acting: every domain function takes one and checks access itself, next to the data. */
export interface Actor {
  id: string;
  role: Role;
}
