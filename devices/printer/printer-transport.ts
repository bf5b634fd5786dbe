/**
 * How ESC/POS bytes reach a printer (TCP here; serial or a spooler file later). Operations run one
 * at a time in call order, so a status reply is never read by the wrong caller.
 */
export interface PrinterTransport {
  /** Write bytes; resolves when the OS accepted them. */
  write(bytes: Uint8Array): Promise<void>;
  /** Write a query and wait for exactly `replyLength` bytes, or throw DeviceError(Timeout). */
  query(bytes: Uint8Array, replyLength: number, timeoutMs: number): Promise<Buffer>;
  close(): Promise<void>;
}
