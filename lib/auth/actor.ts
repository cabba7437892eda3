import type { Role } from '../generated/prisma/enums';

/** Who is acting: every domain function takes one and checks access itself, next to the data. */
export interface Actor {
  id: string;
  role: Role;
}

export class AccessDenied extends Error {
  constructor(what = 'You do not have access to this.') {
    super(what);
  }
}

export class NotFound extends Error {}

/** A learner's input that cannot be taken; the message is shown as is. */
export class UserInputError extends Error {
  constructor(
    message: string,
    readonly ko: string = message,
  ) {
    super(message);
  }
}
