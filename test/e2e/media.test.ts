/**
 * Inbound media end to end: Sinch MMS bytes are kept and shown inline through a signed, expiring
 * GET /media/<id> link; a file over MEDIA_MAX_BYTES is named but not kept; a wrong or tampered
 * link is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardText } from '../helpers/cards.ts';
import { type Harness, postWebhook, startSinchHarness } from '../helpers/sinch-app.ts';
import { channelMessage, postActivity } from '../helpers/teams-activity.ts';
import { eventually } from '../helpers/wait.ts';

const BUSINESS = '+61491570000';
// A 1×1 PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

function images(activity: unknown): string[] {
  const urls: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o['type'] === 'Image' && typeof o['url'] === 'string') urls.push(o['url']);
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk((activity as { attachments?: unknown })?.attachments);
  return urls;
}

describe('inbound media on the cards', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSinchHarness({ MEDIA_MAX_BYTES: '1000' });
    await postActivity(
      h.url,
      channelMessage({ serviceUrl: h.connector.serviceUrl, text: `link sinch ${BUSINESS}` }),
    );
    await eventually('the link', () => h.connector.posts.length === 1);
  });
  afterAll(async () => {
    await h?.close();
  });

  const mms = (from: string, attachments: unknown[]) => ({
    ...h.sinch.inboundBody({ from, to: BUSINESS, text: '' }),
    content: undefined,
    attachments,
  });

  it('shows an MMS image inline through a signed link that serves the bytes', async () => {
    const body = mms('+61491572001', [
      { content_type: 'image/png', content: PNG, original_name: 'dent.png' },
    ]);
    expect((await postWebhook(h.url, body)).status).toBe(200);
    const card = await eventually('the card', () =>
      h.connector.posts.find((p) => cardText(p.activity).includes('dent.png')),
    );
    const [url] = images(card.activity);
    expect(url).toMatch(new RegExp(`^${h.url}/media/[0-9a-f-]{36}\\?sig=\\d+\\.[\\w-]{43}$`));
    const res = await fetch(url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(PNG, 'base64'))).toBe(true);
    // The bytes are kept apart from the message row.
    const rows = await h.app.store.db.selectFrom('messages').select('media').execute();
    expect(rows.some((r) => r.media.includes(PNG))).toBe(false);

    const tampered = url!.replace(/sig=(\d+)\./, (_m, exp: string) => `sig=${Number(exp) + 1}.`);
    expect((await fetch(tampered)).status).toBe(403);
    expect((await fetch(url!.replace(/\?sig=.*/, ''))).status).toBe(403);
    const expired = url!.replace(/sig=\d+\.[\w-]+/, 'sig=1000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await fetch(expired)).status).toBe(403);
  });

  it('names a file over MEDIA_MAX_BYTES without keeping it', async () => {
    const big = Buffer.alloc(2000, 7).toString('base64');
    const body = mms('+61491572002', [
      { content_type: 'application/pdf', content: big, original_name: 'invoice.pdf' },
    ]);
    expect((await postWebhook(h.url, body)).status).toBe(200);
    const card = await eventually('the card', () =>
      h.connector.posts.find((p) => cardText(p.activity).includes('invoice.pdf')),
    );
    expect(cardText(card.activity)).toContain('too large to keep');
    expect(images(card.activity)).toEqual([]);
    const kept = await h.app.store.db
      .selectFrom('media')
      .selectAll()
      .where('name', '=', 'invoice.pdf')
      .execute();
    expect(kept).toEqual([]);
  });
});
