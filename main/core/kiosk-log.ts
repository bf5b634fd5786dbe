import { redactIdNumbers } from '../../common/domain/masking.js';

export enum LogLevel {
  Info = 'info',
  Warn = 'warn',
  Error = 'error',
}

/**
 * Masks anything shaped like a card or pass number, in every format the kiosk may meet (see
 * redactIdNumbers). Defence in depth: the core never logs card data on purpose, but a device's
 * error message or a stack might carry one.
 */
export function redactPersonalData(text: string): string {
  return redactIdNumbers(text);
}

export interface KioskLogOptions {
  /** Lines kept for the technician screen and export. */
  capacity?: number;
  now?: () => Date;
  /** Also write warnings and errors to stderr (the service manager's journal). */
  echo?: boolean;
}

/**
 * The core's recent log lines, in memory, masked at the point of writing: the technician screen
 * shows the tail, and exportLogs hands out all of them.
 */
export class KioskLog {
  private readonly lines: string[] = [];
  private readonly capacity: number;
  private readonly now: () => Date;
  private readonly echo: boolean;

  constructor(options: KioskLogOptions = {}) {
    this.capacity = options.capacity ?? 2_000;
    this.now = options.now ?? (() => new Date());
    this.echo = options.echo ?? true;
  }

  info(source: string, message: string): void {
    this.write(LogLevel.Info, source, message);
  }

  warn(source: string, message: string): void {
    this.write(LogLevel.Warn, source, message);
  }

  error(source: string, message: string, err?: unknown): void {
    const detail = err === undefined ? '' : `: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
    this.write(LogLevel.Error, source, `${message}${detail}`);
  }

  /** The last `limit` lines, oldest first. */
  tail(limit: number): string[] {
    return this.lines.slice(Math.max(0, this.lines.length - limit));
  }

  all(): string[] {
    return [...this.lines];
  }

  private write(level: LogLevel, source: string, message: string): void {
    const line = redactPersonalData(`${this.now().toISOString()} ${level} ${source}: ${message.replace(/[\r\n]+/g, ' ')}`).slice(0, 2_000);
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
    if (!this.echo) return;
    if (level === LogLevel.Error) console.error(line);
    else if (level === LogLevel.Warn) console.warn(line);
  }
}
