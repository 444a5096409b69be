/** Request and response plumbing the provider fakes share (node:http servers on loopback). */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type ParsedBody = { ok: true; value: unknown } | { ok: false };

/** An empty body parses to undefined; text that is not JSON is reported, not thrown. */
export function parseJson(raw: string): ParsedBody {
  if (raw === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The body goes out as JSON (a string too); no body, or a 204, goes out empty. */
export function answer(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined || status === 204) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A plain-text answer, as gateways and proxies give for some failures. */
export function answerText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'text/plain', ...headers });
  res.end(text);
}
