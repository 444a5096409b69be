/** A pino logger whose lines are kept for assertions: each must be one JSON object. */
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export interface CapturedLog {
  log: Logger;
  /** Every line written, as written. */
  lines: string[];
  /** The lines parsed (a line that is not JSON throws). */
  entries(): Array<Record<string, unknown>>;
}

/** A stream that keeps what is written to it, line by line. */
export function lineCollector(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  let partial = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
      done();
    },
  });
  return { stream, lines };
}

export function captureLog(level = 'info'): CapturedLog {
  const { stream, lines } = lineCollector();
  return {
    log: pino({ level }, stream),
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
