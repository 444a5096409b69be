/** The sandbox provider end to end, against the fake Bot Connector: what `npm run demo` shows. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../bot/app.ts';
import { ConfigError, loadConfig } from '../../bot/config.ts';
import { type FakeConnector, startFakeConnector } from '../fakes/bot-connector.ts';
import { answerTo } from '../helpers/answers.ts';
import { cardText } from '../helpers/cards.ts';
import { channelMessage, postActivity } from '../helpers/teams-activity.ts';
import { customerThread } from '../helpers/threads.ts';
import { eventually } from '../helpers/wait.ts';

async function inject(url: string, body: unknown) {
  const res = await fetch(`${url}/sandbox/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('sandbox mode', () => {
  let app: App;
  let connector: FakeConnector;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'textbridge-sandbox-'));
  beforeAll(async () => {
    connector = await startFakeConnector();
    const config = loadConfig({
      SANDBOX: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      TEAMS_RATE_LIMIT: '3000',
    });
    app = await createApp(config, { log: pino({ level: 'silent' }), worker: { idlePollMs: 50 } });
    await app.start();
  });
  afterAll(async () => {
    await app?.stop();
    await connector?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const cardsWith = (text: string) => connector.shown().filter((p) => cardText(p.activity).includes(text));

  it('turns an injected message into a labelled thread, and an answer into a Delivered card', async () => {
    await postActivity(app.url(), channelMessage({ serviceUrl: connector.serviceUrl, text: 'link sandbox' }));
    await eventually('the link', () => cardsWith('Channel linked')[0]);
    expect((await inject(app.url(), { from: '+15551234567', text: 'Hi, is my order late?' })).status).toBe(
      200,
    );
    const root = await customerThread(app.store, connector, 'Hi, is my order late?');
    expect(cardText(root.activity)).toContain('Sandbox');

    const answer = channelMessage({
      serviceUrl: connector.serviceUrl,
      conversationId: root.conversationId,
      text: 'It ships today',
    });
    await postActivity(app.url(), answer);
    const card = await eventually('the answer card', () => cardsWith('It ships today')[0]);
    await eventually(
      'Delivered',
      () => cardText(connector.activities.get(card.activityId)?.activity).includes('Delivered'),
      10_000,
    );
  });

  it('shows Failed with the reason for a documented failing number', async () => {
    expect((await inject(app.url(), { from: '+15555550100', text: 'Please call me back' })).status).toBe(200);
    const root = await customerThread(app.store, connector, 'Please call me back');
    await postActivity(
      app.url(),
      channelMessage({
        serviceUrl: connector.serviceUrl,
        conversationId: root.conversationId,
        text: 'Calling now',
      }),
    );
    const card = await eventually('the answer card', () => cardsWith('Calling now')[0]);
    await eventually(
      'Failed',
      () => cardText(connector.activities.get(card.activityId)?.activity).includes('Failed'),
      10_000,
    );
    expect(cardText(connector.activities.get(card.activityId)?.activity)).toContain('unreachable');
  });

  it('refuses a malformed injected message, naming the field, and stores nothing', async () => {
    const before = await app.store.countJobs();
    const bad = await inject(app.url(), { from: '12345', text: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body['error']).toContain('"from"');
    expect(await app.store.countJobs()).toBe(before);
  });

  it('a STOP from the customer blocks further answers with a clear reason', async () => {
    expect((await inject(app.url(), { from: '+15551230000', text: 'Hello there' })).status).toBe(200);
    const root = await customerThread(app.store, connector, 'Hello there');
    expect((await inject(app.url(), { from: '+15551230000', text: 'STOP' })).status).toBe(200);
    await eventually('the opt-out card', () => cardsWith('Opted out (STOP)')[0]);
    await postActivity(
      app.url(),
      channelMessage({
        serviceUrl: connector.serviceUrl,
        conversationId: root.conversationId,
        text: 'Are you sure?',
      }),
    );
    const card = await eventually('the answer card', () => cardsWith('Are you sure?')[0]);
    await eventually('Failed', () =>
      cardText(connector.activities.get(card.activityId)?.activity).includes('Failed'),
    );
    expect(cardText(connector.activities.get(card.activityId)?.activity)).toContain('opted out');
  });

  /** Sends a command (in the channel, or in a thread) and returns the text of the bot's answer. */
  async function ask(text: string, conversationId?: string): Promise<string> {
    const activity = channelMessage({
      serviceUrl: connector.serviceUrl,
      text,
      ...(conversationId ? { conversationId } : {}),
    });
    expect(await postActivity(app.url(), activity)).toBe(200);
    return cardText((await answerTo(connector, activity)).activity);
  }

  it('takes its fictional 555 numbers wherever a number is typed, and says so on the card', async () => {
    // The only provider, so text needs no --via; +15550002222 is in no numbering plan.
    expect(await ask('text +15550002222 Your table is ready')).toContain('Message queued');
    const card = await eventually('the card of the text', () => cardsWith('Your table is ready')[0]);
    expect(cardText(card.activity)).toContain('+15550002222 (sandbox number)');
    expect(await ask('optout +15550001111')).toContain('Opted out');
    expect(await ask('optin +1 555 000 1111')).toContain('Opted in');
    expect(await ask('text 12345 Hi')).toContain('is not a valid phone number');
  });

  it('in a customer thread, optout, optin, status and text act on that customer', async () => {
    expect((await inject(app.url(), { from: '+15550003333', text: 'Table for two?' })).status).toBe(200);
    const root = await customerThread(app.store, connector, 'Table for two?');
    const here = root.conversationId;
    // The answer is the agent's card in the thread, as for a mention.
    const command = channelMessage({
      serviceUrl: connector.serviceUrl,
      text: '/text Yes, at eight',
      conversationId: here,
    });
    expect(await postActivity(app.url(), command)).toBe(200);
    const answer = await eventually('the answer card', () => cardsWith('Yes, at eight')[0]);
    expect(answer.conversationId).toBe(here);
    await eventually('Delivered', () =>
      cardText(connector.activities.get(answer.activityId)?.activity).includes('Delivered'),
    );
    const status = await ask('/status', here);
    expect(status).toContain('Yes, at eight');
    expect(status).toContain('● Delivered');
    expect(await ask('/optout', here)).toContain('+15550003333 gets no more messages');
    expect(await app.store.isOptedOut('+15550003333')).toBe(true);
    expect(await ask('/optin', here)).toContain('+15550003333 can receive messages again');
    expect(await app.store.isOptedOut('+15550003333')).toBe(false);
  });

  it('shows the sandbox in version and senders', async () => {
    expect(await ask('version')).toContain('Sandbox: pretend texts');
    expect(await ask('senders')).toContain('+15555550000');
  });
});

describe('sandbox configuration', () => {
  it('cannot be on together with a real provider', () => {
    expect(() =>
      loadConfig({
        SANDBOX: '1',
        SINCH_API_KEY: 'key',
        SINCH_API_SECRET: 'secret',
        SINCH_WEBHOOK_SECRET: 'a-webhook-secret-of-some-length',
      }),
    ).toThrow(ConfigError);
    expect(() => loadConfig({ SANDBOX: 'maybe' })).toThrow(/SANDBOX: must be 1 or 0/);
  });

  it('cannot be on with a Bot Framework app id: it is for local mode only', () => {
    expect(() =>
      loadConfig({
        SANDBOX: '1',
        MicrosoftAppId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
        MicrosoftAppPassword: 'secret',
      }),
    ).toThrow(/SANDBOX: cannot be on while MicrosoftAppId is set/);
  });
});
