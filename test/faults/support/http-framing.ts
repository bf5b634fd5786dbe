/**
 * Just enough HTTP/1.1 framing for a fault-injecting proxy to tell where one request (or response)
 * ends and the next begins on a keep-alive connection: the head up to CRLF CRLF, then a body by
 * Content-Length, chunked transfer coding, or (responses only) until the connection closes.
 */

const HEAD_END = Buffer.from('\r\n\r\n');
/** A head longer than this is not HTTP we want to parse. */
const MAX_HEAD_BYTES = 64 * 1024;

export class HttpFramingError extends Error {
  readonly code = 'bad-http-framing';
  constructor(message: string) {
    super(message);
    this.name = 'HttpFramingError';
  }
}

export interface ParsedHead {
  /** Bytes of the head including the final CRLF CRLF. */
  headLength: number;
  startLine: string;
  /** Header names lower-cased; repeated headers joined with ', '. */
  headers: Map<string, string>;
}

export interface FramedRequest {
  /** The whole request, head and body. */
  bytes: Buffer;
  method: string;
  path: string;
}

export interface FramedResponse {
  bytes: Buffer;
  status: number;
  /** The server will close the connection after this response. */
  closes: boolean;
}

export function parseHead(buffer: Buffer): ParsedHead | null {
  const end = buffer.indexOf(HEAD_END);
  if (end < 0) {
    if (buffer.length > MAX_HEAD_BYTES) throw new HttpFramingError('HTTP head too long');
    return null;
  }
  const lines = buffer.subarray(0, end).toString('latin1').split('\r\n');
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new HttpFramingError(`bad header line: ${line.slice(0, 80)}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return { headLength: end + HEAD_END.length, startLine: lines[0] ?? '', headers };
}

/** Length of a chunked body starting at `from` (trailers included), or null if not all here yet. */
function chunkedBodyLength(buffer: Buffer, from: number): number | null {
  let pos = from;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', pos, 'latin1');
    if (lineEnd < 0) return null;
    const sizeText = buffer.subarray(pos, lineEnd).toString('latin1').split(';')[0]?.trim() ?? '';
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new HttpFramingError(`bad chunk size: ${sizeText.slice(0, 20)}`);
    const size = parseInt(sizeText, 16);
    pos = lineEnd + 2;
    if (size === 0) {
      // Trailer fields, then an empty line.
      for (;;) {
        const trailerEnd = buffer.indexOf('\r\n', pos, 'latin1');
        if (trailerEnd < 0) return null;
        const empty = trailerEnd === pos;
        pos = trailerEnd + 2;
        if (empty) return pos - from;
      }
    }
    if (buffer.length < pos + size + 2) return null;
    pos += size + 2;
  }
}

function contentLength(headers: Map<string, string>): number | null {
  const value = headers.get('content-length');
  if (value === undefined) return null;
  if (!/^\d+$/.test(value)) throw new HttpFramingError(`bad content-length: ${value}`);
  return Number(value);
}

function isChunked(headers: Map<string, string>): boolean {
  return /(^|,)\s*chunked\s*$/i.test(headers.get('transfer-encoding') ?? '');
}

/** The first complete request in `buffer`, or null when more bytes are needed. */
export function frameRequest(buffer: Buffer): FramedRequest | null {
  const head = parseHead(buffer);
  if (!head) return null;
  const [method = '', target = ''] = head.startLine.split(' ');
  const bodyLength = isChunked(head.headers) ? chunkedBodyLength(buffer, head.headLength) : (contentLength(head.headers) ?? 0);
  if (bodyLength === null) return null;
  const total = head.headLength + bodyLength;
  if (buffer.length < total) return null;
  return { bytes: Buffer.from(buffer.subarray(0, total)), method, path: target.split('?')[0] ?? target };
}

/**
 * The first complete response in `buffer`, or null when more bytes are needed. `ended` says the
 * server closed the connection, which completes a response delimited by close.
 */
export function frameResponse(buffer: Buffer, requestMethod: string, ended: boolean): FramedResponse | null {
  const head = parseHead(buffer);
  if (!head) return null;
  const status = Number(head.startLine.split(' ')[1]);
  if (!Number.isInteger(status)) throw new HttpFramingError(`bad status line: ${head.startLine.slice(0, 80)}`);
  const closes = /(^|,)\s*close\s*($|,)/i.test(head.headers.get('connection') ?? '');
  const noBody = requestMethod === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
  let total: number;
  if (noBody) {
    total = head.headLength;
  } else if (isChunked(head.headers)) {
    const length = chunkedBodyLength(buffer, head.headLength);
    if (length === null) return null;
    total = head.headLength + length;
  } else {
    const length = contentLength(head.headers);
    if (length === null) {
      // Delimited by the server closing the connection.
      if (!ended) return null;
      return { bytes: Buffer.from(buffer), status, closes: true };
    }
    total = head.headLength + length;
  }
  if (buffer.length < total) return null;
  return { bytes: Buffer.from(buffer.subarray(0, total)), status, closes };
}
