/** Why the embedded PostgreSQL could not be started or stopped. */
export enum EmbeddedPgErrorCode {
  /** A live postmaster that is not an orphan serves the data folder. */
  DataDirInUse = 'data-dir-in-use',
  /** The folder exists, is not empty, and is not a PostgreSQL cluster. */
  DataDirInvalid = 'data-dir-invalid',
  /** Running as root: the `postgres` system user is missing and could not be created. */
  SystemUser = 'system-user',
  /** Running as root: the binaries or the cluster could not be put where the `postgres` user can reach them. */
  Placement = 'placement',
  /** The password file beside the cluster folder is unusable (owner, content). */
  PasswordFile = 'password-file',
  /** Neither the stored password nor the pre-migration one is accepted by the cluster. */
  PasswordRejected = 'password-rejected',
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
