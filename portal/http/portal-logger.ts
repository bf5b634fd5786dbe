import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * What is never written to a log line, wherever it appears in a logged object: bearer tokens and
 * cookies, the raw ID number of an appointment booking, and request bodies and citizen fields as
 * a whole (a body is never logged on purpose; this catches one logged by mistake).
 */
export const REDACTED_PATHS: readonly string[] = [
  'authorization',
  'cookie',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'body',
  'req.body',
  'request.body',
  'idNumber',
  '*.idNumber',
  '*.*.idNumber',
  'citizenHmac',
  '*.citizenHmac',
  '*.*.citizenHmac',
  'citizenKey',
  '*.citizenKey',
];

export interface PortalLoggerOptions {
  /** pino level; `silent` for none. */
  level?: string;
  /** Where lines go; default stderr (the CLI's stdout carries exactly one JSON line). */
  destination?: DestinationStream;
}

/** The portal's pino logger: JSON lines on stderr, secrets and citizen data censored. */
export function createPortalLogger(options: PortalLoggerOptions = {}): Logger {
  return pino(
    {
      name: 'portal',
      level: options.level ?? 'info',
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
}
