/**
 * GET /api/inbox/events: Server-Sent Events of the conversations that changed, for the caller's
 * scope. `id:` is a cursor: a client that reconnects with Last-Event-ID gets what it missed (or
 * "reset" when that is too much to replay). Streams end after a while so that the token and the
 * caller's team memberships are checked again on the reconnect.
 */
import type { ServerResponse } from 'node:http';
import type restify from 'restify';
import { type ChangeBatch, type ChangeHub, isCursor } from './change-hub.ts';
import { type InboxRoute, queryOf } from './http.ts';
import { narrowTo, sees } from './visibility.ts';
import type { ChangeEvent } from './wire.ts';

const HEARTBEAT_MS = 15_000;
const MAX_STREAM_MS = 10 * 60_000;
const RETRY_MS = 1_000;

export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  constructor(private readonly hub: ChangeHub) {}

  route(): InboxRoute {
    return async (req, res, caller) => {
      const scope = narrowTo(caller.scope, queryOf(req)['channel']);
      const last = req.header('last-event-id');
      const catchUp = isCursor(last) ? await this.hub.since(last) : undefined;
      const raw = res as unknown as ServerResponse;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write(`retry: ${RETRY_MS}\n\n`);
      const send = (batch: ChangeBatch) => {
        const conversations = batch.threads.filter((t) => sees(scope, t.conversationId)).map((t) => t.id);
        // The id moves on even when nothing here is for this caller, so a resume starts later.
        const data: ChangeEvent = { conversations };
        raw.write(`id: ${batch.cursor}\nevent: change\ndata: ${JSON.stringify(data)}\n\n`);
      };
      if (isCursor(last) && !catchUp) raw.write(`id: ${this.hub.now()}\nevent: reset\ndata: {}\n\n`);
      else if (catchUp && catchUp.threads.length > 0) send(catchUp);
      else raw.write(`id: ${catchUp?.cursor ?? this.hub.now()}\nevent: ready\ndata: {}\n\n`);
      this.follow(req, raw, send);
    };
  }

  /** Ends every stream (the server is stopping; clients reconnect to the next instance). */
  closeAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }

  private follow(req: restify.Request, raw: ServerResponse, send: (b: ChangeBatch) => void) {
    this.open.add(raw);
    const unsubscribe = this.hub.subscribe(send);
    const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
    const expiry = setTimeout(() => raw.end(), MAX_STREAM_MS);
    heartbeat.unref();
    expiry.unref();
    const done = () => {
      unsubscribe();
      clearInterval(heartbeat);
      clearTimeout(expiry);
      this.open.delete(raw);
    };
    req.once('close', done);
    raw.once('close', done);
  }
}
