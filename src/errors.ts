// The closed set of errors that services throw and one renderer turns into responses.
// Never classify an error by its message: use its class and code.

export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'gone'
  | 'invalid'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media_type'
  | 'too_many'
  | 'unavailable';

/** What an error says, in every language: a message key of src/i18n/catalogs/ and its values. */
export interface Said {
  key: string;
  values?: Record<string, string | number>;
}

export abstract class HearthError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 503;
  /** The message (and field messages) as catalog keys, for pages in the reader's language. */
  said?: { message?: Said; fields?: Record<string, Said> };

  /** This error, able to speak the reader's language (its own message stays the English text). */
  saying(said: { message?: Said; fields?: Record<string, Said> }): this {
    this.said = said;
    return this;
  }
}

/**
 * A request that cannot be read at all: a broken multipart body, a cursor this site never gave
 * out. Nothing in it is a field a person could correct, so there is no form to show again.
 */
export class BadRequestError extends HearthError {
  readonly code = 'bad_request';
  readonly status = 400;
}

export class UnauthorizedError extends HearthError {
  readonly code = 'unauthorized';
  readonly status = 401;
  constructor(message = 'Sign in to continue.') {
    super(message);
  }
}

export class ForbiddenError extends HearthError {
  readonly code = 'forbidden';
  readonly status = 403;
  constructor(message = 'You may not do that.') {
    super(message);
  }
}

export class NotFoundError extends HearthError {
  readonly code = 'not_found';
  readonly status = 404;
  constructor(message = 'Not found.') {
    super(message);
  }
}

/** Something that was here and was deleted on purpose (a post): 410, so that links to it can be let go. */
export class GoneError extends HearthError {
  readonly code = 'gone';
  readonly status = 410;
  constructor(message = 'This was deleted.') {
    super(message);
  }
}

/** Bad input; `fields` maps a field name to what is wrong with it. */
export class InvalidError extends HearthError {
  readonly code = 'invalid';
  readonly status = 422;
  constructor(
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class ConflictError extends HearthError {
  readonly code = 'conflict';
  readonly status = 409;
}

export class TooLargeError extends HearthError {
  readonly code = 'too_large';
  readonly status = 413;
}

/** A body in a form the endpoint does not read (JSON sent as text/plain, say). */
export class UnsupportedMediaTypeError extends HearthError {
  readonly code = 'unsupported_media_type';
  readonly status = 415;
}

export class TooManyError extends HearthError {
  readonly code = 'too_many';
  readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A part Hearth needs (the database) does not answer: the client is asked to come back. */
export class UnavailableError extends HearthError {
  readonly code = 'unavailable';
  readonly status = 503;
  readonly retryAfterSeconds = 5;
}
