/**
 * Bad input on the Retarus and SmartDialog webhook routes and on the sandbox's inbound route, as
 * webhook-route.test.ts does for Sinch: each request is refused with a precise status and a
 * message saying what is wrong, nothing is stored, and the server keeps serving.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_SMARTDIALOG, type FakeSmartDialog, startFakeSmartDialog } from '../fakes/smartdialog.ts';
import { type AppHarness, startApp } from '../helpers/app.ts';

const RETARUS_SECRET = 'retarus-secret-0123456789';
const SMARTDIALOG_SECRET = 'smartdialog-secret-0123456789';

interface Answer {
  status: number;
  error: string;
}

async function send(
  url: string,
  init: { method?: string; body?: string; contentType?: string; auth?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.contentType) headers['content-type'] = init.contentType;
  if (init.auth) headers['authorization'] = init.auth;
  const res = await fetch(url, { method: init.method ?? 'POST', headers, body: init.body });
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as { error?: unknown }) : {};
  return { status: res.status, error: String(parsed.error ?? '') };
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function nothingStored(h: AppHarness) {
  expect(await h.app.store.countJobs()).toBe(0);
  expect(await h.app.store.db.selectFrom('events').select('key').execute()).toHaveLength(0);
  expect(await h.app.store.db.selectFrom('messages').select('id').execute()).toHaveLength(0);
}

describe('the Retarus and SmartDialog webhooks refuse bad input', () => {
  let fake: FakeSmartDialog;
  let h: AppHarness;
  beforeAll(async () => {
    fake = await startFakeSmartDialog({ tokens: ['sd-token'] });
    h = await startApp(() => ({
      WEBHOOK_BODY_LIMIT: '4096',
      RETARUS_USERNAME: 'user',
      RETARUS_PASSWORD: 'pass',
      RETARUS_SENDER: 'Contoso',
      RETARUS_WEBHOOK_SECRET: RETARUS_SECRET,
      SMARTDIALOG_BASE_URL: fake.baseUrl,
      SMARTDIALOG_ACCESS_TOKEN: 'sd-token',
      SMARTDIALOG_CUSTOMER_ID: FAKE_SMARTDIALOG.customerId,
      SMARTDIALOG_SERVICE_ID: FAKE_SMARTDIALOG.serviceId,
      SMARTDIALOG_SENDER: '+358409998887',
      SMARTDIALOG_WEBHOOK_SECRET: SMARTDIALOG_SECRET,
    }));
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  const retarus = (query = '') => `${h.url}/webhooks/retarus${query}`;
  const smartdialog = (query = '') => `${h.url}/webhooks/smartdialog${query}`;
  const retarusAuth = () => basic('retarus', RETARUS_SECRET);
  const inboundJson = JSON.stringify({
    cuNo: '0123456',
    smsId: 'S1',
    storeTs: '2026-11-28T10:00:00Z',
    src: '+4917612345678',
    dst: '+4930555010',
    text: 'Hallo',
  });

  it.each([
    ['Retarus, no secret', () => retarus(), undefined],
    ['Retarus, a wrong password', () => retarus(), () => basic('retarus', 'wrong-password-000000')],
    ['SmartDialog, no secret', () => smartdialog(), undefined],
    ['SmartDialog, a wrong secret', () => smartdialog('?secret=wrong-secret-000000000'), undefined],
  ])('answers 401 to %s', async (_name, url, auth) => {
    const res = await send(url(), { body: inboundJson, contentType: 'application/json', auth: auth?.() });
    expect(res).toEqual({ status: 401, error: 'missing or wrong webhook secret' });
    await nothingStored(h);
  });

  it('answers 401 to a SmartDialog delivery callback without the secret', async () => {
    const res = await send(smartdialog('?status=delivered&tb_message_id=x'), { method: 'GET' });
    expect(res.status).toBe(401);
    await nothingStored(h);
  });

  it('answers 415 naming the accepted types', async () => {
    const r = await send(retarus(), { body: 'a=1', contentType: 'text/csv', auth: retarusAuth() });
    expect(r.status).toBe(415);
    expect(r.error).toContain('application/xml');
    expect(r.error).toContain('application/json');
    const s = await send(smartdialog(`?secret=${SMARTDIALOG_SECRET}`), {
      body: 'a=1',
      contentType: 'text/plain',
    });
    expect(s.status).toBe(415);
    expect(s.error).toContain('application/json');
    await nothingStored(h);
  });

  it('answers 413 to a body over WEBHOOK_BODY_LIMIT', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(5000) });
    const r = await send(retarus(), { body: big, contentType: 'application/json', auth: retarusAuth() });
    expect(r.status).toBe(413);
    expect(r.error).toContain('4096');
    const s = await send(smartdialog(`?secret=${SMARTDIALOG_SECRET}`), {
      body: big,
      contentType: 'application/json',
    });
    expect(s.status).toBe(413);
    expect(s.error).toContain('4096');
    await nothingStored(h);
  });

  it('answers 400 to malformed XML and JSON', async () => {
    const xml = await send(retarus(), {
      body: '<?xml version="1.0"?><sms><smsId>S1</smsId><src>+49176',
      contentType: 'application/xml',
      auth: retarusAuth(),
    });
    expect(xml.status).toBe(400);
    expect(xml.error).not.toBe('');
    const json = await send(retarus(), {
      body: '{"smsId": ',
      contentType: 'application/json',
      auth: retarusAuth(),
    });
    expect(json.status).toBe(400);
    expect(json.error).toMatch(/JSON/i);
    const sd = await send(smartdialog(`?secret=${SMARTDIALOG_SECRET}`), {
      body: '{"sender": ',
      contentType: 'application/json',
    });
    expect(sd.status).toBe(400);
    expect(sd.error).toMatch(/JSON/i);
    await nothingStored(h);
  });

  it('answers 400 naming the field to a payload of the wrong shape', async () => {
    const { src: _dropped, ...withoutSender } = JSON.parse(inboundJson) as Record<string, unknown>;
    const r = await send(retarus(), {
      body: JSON.stringify(withoutSender),
      contentType: 'application/json',
      auth: retarusAuth(),
    });
    expect(r.status).toBe(400);
    expect(r.error).toContain('src');
    const payload = fake.inboundPayload({
      sender: '+358401112223',
      recipient: '+358409998887',
      content: 'Moi',
    });
    const { sender: _gone, ...withoutSd } = payload;
    const s = await send(smartdialog(`?secret=${SMARTDIALOG_SECRET}`), {
      body: JSON.stringify(withoutSd),
      contentType: 'application/json',
    });
    expect(s.status).toBe(400);
    expect(s.error).toContain('sender');
    await nothingStored(h);
  });

  it('answers 405 to a GET on the POST-only Retarus route', async () => {
    const res = await send(retarus(), { method: 'GET', auth: retarusAuth() });
    expect(res.status).toBe(405);
    expect(res.error).toContain('POST');
    await nothingStored(h);
  });

  it('answers 503 when the store cannot take the push, so Retarus sends it again', async () => {
    await sql`create trigger refuse_push before insert on messages when new.body = 'Hallo'
      begin select raise(abort, 'disk I/O error'); end`.execute(h.app.store.db);
    const res = await send(retarus(), {
      body: inboundJson,
      contentType: 'application/json',
      auth: retarusAuth(),
    });
    expect(res).toEqual({ status: 503, error: 'could not store the event right now; retry later' });
    await sql`drop trigger refuse_push`.execute(h.app.store.db);
    await nothingStored(h);
  });

  it('keeps serving, and stores a good push after all of that', async () => {
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    const ok = await send(retarus(), {
      body: inboundJson,
      contentType: 'application/json',
      auth: retarusAuth(),
    });
    expect(ok.status).toBe(200);
    expect(await h.app.store.db.selectFrom('messages').select('id').execute()).toHaveLength(1);
  });
});

describe('the sandbox inbound route refuses bad input', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp(() => ({ SANDBOX: '1', WEBHOOK_BODY_LIMIT: '4096' }));
  });
  afterAll(async () => {
    await h?.close();
  });
  const inbound = () => `${h.url}/sandbox/inbound`;

  it('answers 400 to malformed JSON and to a message without its fields', async () => {
    const bad = await send(inbound(), { body: '{"from": ', contentType: 'application/json' });
    expect(bad.status).toBe(400);
    const noText = await send(inbound(), {
      body: JSON.stringify({ from: '+15551234567' }),
      contentType: 'application/json',
    });
    expect(noText.status).toBe(400);
    expect(noText.error).toContain('text');
    await nothingStored(h);
  });

  it('answers 415 to anything but JSON', async () => {
    const res = await send(inbound(), {
      body: 'from=+15551234567&text=hi',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(res).toEqual({
      status: 415,
      error: 'unsupported content type "application/x-www-form-urlencoded"; expected application/json',
    });
    await nothingStored(h);
  });

  it('answers 413 to a body over WEBHOOK_BODY_LIMIT', async () => {
    const res = await send(inbound(), {
      body: JSON.stringify({ from: '+15551234567', text: 'x'.repeat(5000) }),
      contentType: 'application/json',
    });
    expect(res.status).toBe(413);
    await nothingStored(h);
  });

  it('answers 503 when the store cannot take the message, and stores it when asked again', async () => {
    // A real failure inside the write: SQLite aborts the insert of this one message.
    await sql`create trigger refuse_once before insert on messages when new.body = 'Hello?'
      begin select raise(abort, 'disk I/O error'); end`.execute(h.app.store.db);
    const body = JSON.stringify({ from: '+15551234567', text: 'Hello?' });
    const refused = await send(inbound(), { body, contentType: 'application/json' });
    expect(refused).toEqual({ status: 503, error: 'could not store the event right now; retry later' });
    await nothingStored(h);
    await sql`drop trigger refuse_once`.execute(h.app.store.db);
    const res = await fetch(inbound(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stored: 1, messageId: expect.any(String) });
  });
});

describe('the Retarus XML push refuses what XML can hide', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startApp(() => ({
      RETARUS_USERNAME: 'user',
      RETARUS_PASSWORD: 'pass',
      RETARUS_SENDER: 'Contoso',
      RETARUS_WEBHOOK_SECRET: RETARUS_SECRET,
    }));
  });
  afterAll(async () => {
    await h?.close();
  });

  const sms = (inner: string) => `<?xml version="1.0"?>${inner}`;
  it.each([
    [
      'a <__proto__> element',
      sms(
        '<sms><smsId>S1</smsId><src>+4917612345678</src><dst>+4930555010</dst><text>x</text><__proto__><a>1</a></__proto__></sms>',
      ),
      'the element <__proto__> is not accepted',
    ],
    [
      'a DOCTYPE with an external entity',
      sms(
        '<!DOCTYPE sms [<!ENTITY x SYSTEM "file:///etc/passwd">]><sms><smsId>S1</smsId><src>+4917612345678</src><dst>+4930555010</dst><text>&x;</text></sms>',
      ),
      'XML declarations (DOCTYPE, ENTITY) are not accepted',
    ],
    [
      'a billion laughs',
      sms(
        `<!DOCTYPE l [<!ENTITY a "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY b${i} "${'&a;'.repeat(10)}">`).join('')}]><sms><text>&b8;</text></sms>`,
      ),
      'XML declarations',
    ],
    [
      'elements nested 2,000 deep',
      sms(`<sms>${'<a>'.repeat(2000)}${'</a>'.repeat(2000)}</sms>`),
      'the XML is nested deeper than 32 levels',
    ],
    [
      'a customer number that is not one',
      sms('<sms><smsId>S1</smsId><src>&lt;script&gt;</src><dst>+4930555010</dst><text>x</text></sms>'),
      'is not an international phone number',
    ],
  ])('answers 400 in its own words to %s', async (_name, body, why) => {
    const res = await send(`${h.url}/webhooks/retarus`, {
      body,
      contentType: 'application/xml',
      auth: basic('retarus', RETARUS_SECRET),
    });
    expect(res).toEqual({ status: 400, error: expect.stringContaining(why) });
    expect(res.error).not.toMatch(/Maximum nested|fast-xml|Invalid tag|at line/i);
    await nothingStored(h);
  });
});
