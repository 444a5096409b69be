import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PageWatch, watchPages } from '../../bot/cli/page-watch.ts';
import { sleep } from '../helpers/wait.ts';

describe('watchPages (the demo waits for the Playground page)', () => {
  const received: Array<{ method: string; url: string; body: string }> = [];
  const bot = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ echoed: body.length }));
    });
  });
  let watch: PageWatch;
  beforeAll(async () => {
    await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
    watch = await watchPages(`http://127.0.0.1:${(bot.address() as AddressInfo).port}`, 200);
  });
  afterAll(async () => {
    await watch?.close();
    await new Promise((resolve) => bot.close(resolve));
  });

  const post = (activity: unknown, path = '/api/messages') =>
    fetch(`${watch.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });

  it('passes every request through unchanged, and answers with what the bot answered', async () => {
    const res = await post({ type: 'message', text: 'hello' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ echoed: 33 });
    expect((await fetch(`${watch.url}/missing`)).status).toBe(404);
    expect(received[0]).toEqual({
      method: 'POST',
      url: '/api/messages',
      body: '{"type":"message","text":"hello"}',
    });
  });

  it('resolves firstPage on the activities a page sends as it loads, and tells of later loads', async () => {
    let opened = false;
    void watch.firstPage.then(() => {
      opened = true;
    });
    await post({ type: 'message', text: 'not a page' });
    await sleep(50);
    expect(opened).toBe(false);
    const later: number[] = [];
    watch.onLaterPage(() => later.push(Date.now()));
    await post({ type: 'installationUpdate' });
    await post({ type: 'conversationUpdate' });
    await watch.firstPage;
    expect(later).toHaveLength(0);
    await sleep(300);
    await post({ type: 'conversationUpdate' });
    expect(later).toHaveLength(1);
  });
});
