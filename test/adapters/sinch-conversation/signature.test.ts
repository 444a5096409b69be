import { describe, expect, it } from 'vitest';
import {
  checkConversationSignature,
  signConversationBody,
} from '../../../adapters/sinch-conversation/signature.ts';
import type { WebhookRequest } from '../../../adapters/types.ts';

// The official test vector (sinch-sdk-node authorization.helper.test.ts; sinch-conversation.md §4).
const SECRET = 'foo_secret1234';
const NONCE = '01FJA8B4A7BM43YGWSG9GBV067';
const TIMESTAMP = '1634579353';
const SIGNATURE = '6bpJoRmFoXVjfJIVglMoJzYXxnoxRujzR4k2GOXewOE=';
const BODY =
  '{"app_id":"","accepted_time":"2021-10-18T17:49:13.813615Z","project_id":"e2df3a34-a71b-4448-9db5-a8d2baad28e4","contact_create_notification":{"contact":{"id":"01FJA8B466Y0R2GNXD78MD9SM1","channel_identities":[{"channel":"SMS","identity":"48123456789","app_id":""}],"display_name":"New Test Contact","email":"new.contact@email.com","external_id":"","metadata":"","language":"EN_US"}},"message_metadata":""}';
const AT = Number(TIMESTAMP) * 1000;

function request(headers: Record<string, string>, body = BODY): WebhookRequest {
  return {
    method: 'POST',
    url: '/webhooks/sinch-conversation',
    headers,
    query: {},
    contentType: 'application/json',
    rawBody: Buffer.from(body),
  };
}

const signed = (overrides: Record<string, string> = {}) => ({
  'x-sinch-webhook-signature': SIGNATURE,
  'x-sinch-webhook-signature-nonce': NONCE,
  'x-sinch-webhook-signature-timestamp': TIMESTAMP,
  'x-sinch-webhook-signature-algorithm': 'HmacSHA256',
  ...overrides,
});

describe('Conversation API webhook signature', () => {
  it('computes the official test vector', () => {
    expect(signConversationBody(SECRET, BODY, NONCE, TIMESTAMP)).toBe(SIGNATURE);
  });

  it('accepts the test vector within five minutes of its timestamp', () => {
    expect(checkConversationSignature(request(signed()), SECRET, AT)).toBe('valid');
    expect(checkConversationSignature(request(signed()), SECRET, AT + 4 * 60_000)).toBe('valid');
  });

  it('refuses a timestamp older than five minutes, and one from the future', () => {
    expect(checkConversationSignature(request(signed()), SECRET, AT + 5 * 60_000 + 1000)).toBe('invalid');
    expect(checkConversationSignature(request(signed()), SECRET, AT - 6 * 60_000)).toBe('invalid');
  });

  it('refuses another secret, a changed body, nonce or timestamp', () => {
    expect(checkConversationSignature(request(signed()), 'other-secret', AT)).toBe('invalid');
    expect(checkConversationSignature(request(signed(), `${BODY} `), SECRET, AT)).toBe('invalid');
    expect(
      checkConversationSignature(request(signed({ 'x-sinch-webhook-signature-nonce': 'x' })), SECRET, AT),
    ).toBe('invalid');
    expect(
      checkConversationSignature(
        request(signed({ 'x-sinch-webhook-signature-timestamp': '1634579354' })),
        SECRET,
        AT,
      ),
    ).toBe('invalid');
    expect(
      checkConversationSignature(request(signed({ 'x-sinch-webhook-signature': 'AAAA' })), SECRET, AT),
    ).toBe('invalid');
    expect(
      checkConversationSignature(
        request(signed({ 'x-sinch-webhook-signature-algorithm': 'HmacSHA1' })),
        SECRET,
        AT,
      ),
    ).toBe('invalid');
  });

  it('says absent when there is no signature, invalid when its companions are missing', () => {
    expect(checkConversationSignature(request({}), SECRET, AT)).toBe('absent');
    expect(checkConversationSignature(request({ 'x-sinch-webhook-signature': SIGNATURE }), SECRET, AT)).toBe(
      'invalid',
    );
  });
});
