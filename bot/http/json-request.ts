/** The body of a request that must be JSON, read within a size limit, for /api/messages and the sandbox. */
import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'restify';
import { mediaTypeOf } from './ingest.ts';
import { BodyTooLargeError, readRawBody } from './raw-body.ts';

/** The body, or undefined once the refusal is answered: 415 not JSON, 413 too large, 400 unreadable. */
export async function readJsonRequest(
  req: Request,
  res: Response,
  limit: number,
): Promise<Buffer | undefined> {
  const type = mediaTypeOf(req.headers);
  if (type !== 'application/json') {
    req.resume();
    res.send(415, { error: `unsupported content type "${type || 'none'}"; expected application/json` });
    return undefined;
  }
  try {
    return await readRawBody(req as unknown as IncomingMessage, limit);
  } catch (err) {
    if (err instanceof BodyTooLargeError) res.send(413, { error: err.message });
    else res.send(400, { error: 'the body could not be read' });
    return undefined;
  }
}
