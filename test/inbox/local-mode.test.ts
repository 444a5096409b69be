/** Local mode (no MicrosoftAppId): the Inbox answers this machine without a token, and sees everything. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback } from '../../bot/inbox/auth/caller.ts';
import type { ConversationPage } from '../../bot/inbox/wire.ts';
import { type Harness, postWebhook, startSinchHarness } from '../helpers/sinch-app.ts';
import { eventually } from '../helpers/wait.ts';

describe('Inbox in local mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSinchHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists conversations for a loopback caller without a token, linked or not', async () => {
    await postWebhook(
      h.url,
      h.sinch.inboundBody({ from: '+61491570156', to: '+61491570000', text: 'Anyone there?' }),
    );
    const page = await eventually('the conversation in the Inbox', async () => {
      const res = await fetch(`${h.url}/api/inbox/conversations?state=waiting`);
      const body = (await res.json()) as ConversationPage;
      return res.status === 200 && body.items.length === 1 ? body : undefined;
    });
    // No channel is linked yet: the thread waits for one, and local mode shows it all the same.
    expect(page.items[0]).toMatchObject({
      customerNumber: '+61491570156',
      preview: 'Anyone there?',
      waiting: true,
    });
    expect(page.items[0]?.teamsChannelId).toBeUndefined();
  });

  it('knows which callers are on this machine', () => {
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.4.5.6'].map(isLoopback)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['10.0.0.1', '::ffff:192.168.1.4', '2001:db8::1', undefined].map(isLoopback)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
