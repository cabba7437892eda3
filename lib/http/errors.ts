import { UserInputError } from '../auth/actor';

/**
 * A refusal with its HTTP status: a limit (413 too large, 429 too many) or a malformed request (400, 403, 415).
 * It is a UserInputError, so a server action shows its message as is; a route handler (lib/http/route.ts) also
 * answers with its status and, for 429, Retry-After.
 */
export class HttpRefusal extends UserInputError {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 411 | 413 | 415 | 429,
    readonly code: string,
    en: string,
    ko: string,
    readonly retryAfterS?: number,
  ) {
    super(en, ko);
  }
}

/** What an error body looks like on every route handler: a readable message in the reader's language, never a stack. */
export interface ErrorBody {
  error: string;
  code: string;
  message: { ko: string; en: string };
  fields?: Record<string, string>;
}
