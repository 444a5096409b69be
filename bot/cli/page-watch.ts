/**
 * Sees when an Agents Playground page opens. The Playground keeps what the bot posts while no page
 * is open for the first page that connects, and a page starts empty: a thread posted before the
 * page opened is lost with a page closed early, and a reloaded page never shows the threads of
 * earlier customers. So the demo waits for the page before any customer texts.
 *
 * The demo puts this forwarder between the Playground and the bot: every request goes through
 * unchanged, and the installationUpdate / conversationUpdate activities a page sends when it
 * loads tell that one opened.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PageWatch {
  /** The forwarder's base URL: give the Playground `${url}/api/messages`. */
  url: string;
  /** Resolves when the first page has loaded. */
  firstPage: Promise<void>;
  /** Called for every page load after the first. */
  onLaterPage(listener: () => void): void;
  close(): Promise<void>;
}

/** Headers of one connection, not of the request: each hop sets its own. */
const HOP_BY_HOP = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'upgrade',
  'expect',
]);

const PAGE_LOAD_ACTIVITIES = new Set(['installationUpdate', 'conversationUpdate']);
/** A page load sends several activities at once; loads closer than this are one. */
const SAME_LOAD_MS = 3_000;

export async function watchPages(botUrl: string, sameLoadMs = SAME_LOAD_MS): Promise<PageWatch> {
  let pageSeen: () => void = () => {};
  const firstPage = new Promise<void>((resolve) => {
    pageSeen = resolve;
  });
  const later: Array<() => void> = [];
  let lastLoad = 0;
  const sawLoad = () => {
    const now = Date.now();
    const newLoad = now - lastLoad > sameLoadMs;
    if (newLoad && lastLoad > 0) for (const listener of later) listener();
    lastLoad = now;
    pageSeen();
  };

  const server = createServer((req, res) => {
    forward(botUrl, req, res, sawLoad).catch((err: unknown) => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `the bot did not answer: ${(err as Error).message}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    firstPage,
    onLaterPage: (listener) => later.push(listener),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function forward(
  botUrl: string,
  req: IncomingMessage,
  res: ServerResponse,
  sawLoad: () => void,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  if (req.method === 'POST' && req.url?.startsWith('/api/messages') && isPageLoad(body)) sawLoad();
  const headers = Object.fromEntries(
    Object.entries(req.headers).filter(([name, value]) => !HOP_BY_HOP.has(name) && typeof value === 'string'),
  ) as Record<string, string>;
  const answer = await fetch(new URL(req.url ?? '/', botUrl), {
    method: req.method ?? 'GET',
    headers,
    ...(body.length > 0 && req.method !== 'GET' && req.method !== 'HEAD' ? { body } : {}),
  });
  // fetch has already undone any transfer or content encoding of the body.
  const answerHeaders = [...answer.headers].filter(
    ([name]) => !HOP_BY_HOP.has(name) && name !== 'content-encoding',
  );
  res.writeHead(answer.status, Object.fromEntries(answerHeaders));
  res.end(Buffer.from(await answer.arrayBuffer()));
}

function isPageLoad(body: Buffer): boolean {
  try {
    const type = (JSON.parse(body.toString('utf8')) as { type?: unknown }).type;
    return typeof type === 'string' && PAGE_LOAD_ACTIVITIES.has(type);
  } catch {
    // Not JSON: not an activity, so not a page load; the bot answers it as it sees fit.
    return false;
  }
}
