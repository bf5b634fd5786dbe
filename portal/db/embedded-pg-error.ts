/** Why the embedded PostgreSQL could not be started or stopped. */
export enum EmbeddedPgErrorCode {
  /** A live postmaster that is not an orphan serves the data folder. */
  DataDirInUse = 'data-dir-in-use',
  /** The folder exists, is not empty, and is not a PostgreSQL cluster. */
  DataDirInvalid = 'data-dir-invalid',
  /** Running as root: the `postgres` system user is missing and could not be created. */
  SystemUser = 'system-user',
  /** Running as root: the `postgres` user cannot reach the data folder or the binaries. */
  Unreachable = 'unreachable',
  InitFailed = 'init-failed',
  StartFailed = 'start-failed',
}

export class EmbeddedPgError extends Error {
  readonly code: EmbeddedPgErrorCode;
  constructor(code: EmbeddedPgErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbeddedPgError';
    this.code = code;
  }
}
