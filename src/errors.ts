// The base of every error that is the user's to fix (a setting, a path, a question, an input file): front ends print
// its message as one line, with no stack trace; anything else is a bug and is reported with its stack.

/** A mistake or missing piece the user can act on; the message says what to do. */
export class UserError extends Error {
  override name = 'UserError';
}

/** True for errors whose message is the whole story for the user. */
export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
