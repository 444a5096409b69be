/** The routing commands and the welcome card, through the real /api/messages route. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerTo } from '../helpers/answers.ts';
import { cardText } from '../helpers/cards.ts';
import { type Harness, startSinchHarness } from '../helpers/sinch-app.ts';
import { BOT, CHANNEL, channelMessage, postActivity, TENANT } from '../helpers/teams-activity.ts';
import { eventually } from '../helpers/wait.ts';

describe('commands in Teams', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSinchHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Sends `text` in the channel and returns the text of the card the bot answered with. */
  async function ask(text: string, extra: Record<string, unknown> = {}): Promise<string> {
    const activity = { ...channelMessage({ serviceUrl: h.connector.serviceUrl, text }), ...extra };
    expect(await postActivity(h.url, activity)).toBe(200);
    return cardText((await answerTo(h.connector, activity)).activity);
  }

  it('help lists every command with its usage', async () => {
    const text = await ask('/help');
    for (const usage of [
      'link ‹sinch|sinch-conversation|retarus|smartdialog|sandbox|all›',
      'unlink',
      'links',
      'help',
    ]) {
      expect(text).toContain(usage);
    }
  });

  it('link, links and unlink manage the routes of the channel', async () => {
    expect(await ask('link sinch +61 491 570 000')).toContain('+61491570000');
    expect(await ask('LINK all')).toContain('every provider');
    const list = await ask('links');
    expect(list).toContain('+61491570000');
    expect(list).toContain('(this channel)');
    expect(await h.app.store.listRoutes(CHANNEL.id)).toHaveLength(2);
    expect(await ask('unlink')).toContain('Removed 2 links');
    expect(await h.app.store.listRoutes()).toHaveLength(0);
    expect(await ask('unlink')).toContain('Nothing to unlink');
  });

  it('a wrong use answers with what is wrong, the usage and an example', async () => {
    const noProvider = await ask('link');
    expect(noProvider).toContain('Name a provider');
    expect(noProvider).toContain(
      'link ‹sinch|sinch-conversation|retarus|smartdialog|sandbox|all› [business-number]',
    );
    expect(noProvider).toContain('link sinch +61491570156');
    expect(await ask('link twilio')).toContain('"twilio" is not a provider');
    expect(await ask('link sinch 12ab!')).toContain('is not a phone number');
    // Fictional 555 numbers are the sandbox's; a real provider takes real numbers only.
    expect(await ask('optout +15551234567')).toContain('"+15551234567" is not a valid phone number');
    expect(await ask('link retarus')).toContain('retarus is not enabled');
    expect(await h.app.store.listRoutes()).toHaveLength(0);
  });

  it('link outside a channel says where it works', async () => {
    const text = await ask('link sinch', {
      conversation: { id: 'a:personal-chat', conversationType: 'personal', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
    });
    expect(text).toContain('works in a team channel');
  });

  it('ignores channel posts that do not mention the bot, and answers them in a personal chat', async () => {
    const before = h.connector.posts.length;
    const plain = channelMessage({ serviceUrl: h.connector.serviceUrl, text: 'help', mention: false });
    expect(await postActivity(h.url, plain)).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.connector.posts.length).toBe(before);
    const personal = await ask('help', {
      conversation: { id: 'a:personal-chat', conversationType: 'personal', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      text: 'help',
      entities: [],
    });
    expect(personal).toContain('links');
  });

  it('an unknown command lists the known ones', async () => {
    const text = await ask('frobnicate');
    expect(text).toContain('I don\'t know "frobnicate"');
    expect(text).toContain('help, link, unlink, links');
  });

  it('posts a welcome card when installed in a team', async () => {
    const before = h.connector.posts.length;
    const update = {
      type: 'conversationUpdate',
      id: 'install-1',
      channelId: 'msteams',
      serviceUrl: h.connector.serviceUrl,
      from: { id: '29:admin', name: 'Admin' },
      recipient: BOT,
      conversation: { id: CHANNEL.id, conversationType: 'channel', isGroup: true, tenantId: TENANT },
      channelData: {
        eventType: 'teamMemberAdded',
        team: { id: CHANNEL.id, name: 'Contoso' },
        tenant: { id: TENANT },
      },
      membersAdded: [{ id: BOT.id }],
    };
    expect(await postActivity(h.url, update)).toBe(200);
    const welcome = await eventually('the welcome card', () => h.connector.posts[before]);
    expect(cardText(welcome.activity)).toContain('link sinch');
  });
  it('text goes out from the number the channel is linked to, and says how to choose one without it', async () => {
    // No SINCH_SOURCE_NUMBER here, and a link to every Sinch number names none.
    expect(await ask('link sinch')).toContain('sinch');
    const refused = await ask('text +61491570188 Hello there');
    expect(refused).toContain('sinch has no default sender');
    expect(refused).toContain('--from');
    expect(refused).toContain('SINCH_SOURCE_NUMBER');
    expect(await h.app.store.db.selectFrom('messages').select('id').execute()).toHaveLength(0);
    expect(await ask('link sinch +61491570000')).toContain('+61491570000');
    expect(await ask('text +61491570188 Hello there')).toContain('Message queued');
    const sent = await eventually('the send', () =>
      h.sinch.sent.find((m) => m.destination_number === '+61491570188'),
    );
    expect(sent.source_number).toBe('+61491570000');
    expect(await ask('text +61491570189 --from +61491570001 Hi')).toContain('Message queued');
    const chosen = await eventually('the send with --from', () =>
      h.sinch.sent.find((m) => m.destination_number === '+61491570189'),
    );
    expect(chosen.source_number).toBe('+61491570001');
    await ask('unlink');
  });
});
