/** SW3 of a SAM reply (SW1 SW2 = 00 00), docs/devices.md. Values are the byte in hex. */
export enum SamStatus {
  Ok = '90',
  CardFound = '9f',
  ChecksumError = '10',
  LengthError = '11',
  BadCommand = '21',
  UnknownError = '24',
  ReaderAuthFailed = '31',
  ReaderAuthFailed2 = '32',
  VerificationFailed = '33',
  WrongCard = '40',
  ReadFailed = '41',
  RandomNumberFailed = '47',
  SelfTestFailed = '60',
  NotAuthorized = '66',
  FindFailed = '80',
  SelectFailed = '81',
  /** A byte the table does not know. */
  Unknown = 'unknown',
}

const MESSAGES: Record<SamStatus, string> = {
  [SamStatus.Ok]: 'OK',
  [SamStatus.CardFound]: 'card found',
  [SamStatus.ChecksumError]: 'the reader saw a checksum error',
  [SamStatus.LengthError]: 'the reader saw a length error',
  [SamStatus.BadCommand]: 'bad command',
  [SamStatus.UnknownError]: 'unknown error',
  [SamStatus.ReaderAuthFailed]: 'card-reader authentication failed',
  [SamStatus.ReaderAuthFailed2]: 'card-reader authentication failed',
  [SamStatus.VerificationFailed]: 'verification failed',
  [SamStatus.WrongCard]: 'wrong card',
  [SamStatus.ReadFailed]: 'read failed',
  [SamStatus.RandomNumberFailed]: 'random-number failure',
  [SamStatus.SelfTestFailed]: 'reader self-test failed',
  [SamStatus.NotAuthorized]: 'reader not authorised',
  [SamStatus.FindFailed]: 'no card (find failed)',
  [SamStatus.SelectFailed]: 'select failed',
  [SamStatus.Unknown]: 'status byte not in the table',
};

const KNOWN = new Set<string>(Object.values(SamStatus));

export function samStatusOf(sw3: number): SamStatus {
  const hex = sw3.toString(16).padStart(2, '0');
  return KNOWN.has(hex) && hex !== SamStatus.Unknown ? (hex as SamStatus) : SamStatus.Unknown;
}

export function samStatusMessage(status: SamStatus): string {
  return MESSAGES[status];
}

/** The SW3 byte for a status (the simulator sends it). Unknown has none. */
export function samStatusByte(status: Exclude<SamStatus, SamStatus.Unknown>): number {
  return parseInt(status, 16);
}
