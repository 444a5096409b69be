/** What SmartDialog answers besides success, and the two casings of its success answers. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ProviderAuthError,
  ProviderError,
  ProviderNotFoundError,
  ProviderRateLimitError,
  ProviderUnavailableError,
  ProviderValidationError,
} from '../../../adapters/errors.ts';
import { createSmartDialogClient, createSmartDialogProvider } from '../../../adapters/smartdialog/index.ts';
import { sendSmartDialogMessage } from '../../../adapters/smartdialog/messages.ts';
import { sendWhatsAppTemplate } from '../../../adapters/smartdialog/templates.ts';
import type { OutboundRequest, Provider } from '../../../adapters/types.ts';
import { FAKE_SMARTDIALOG, type FakeSmartDialog, startFakeSmartDialog } from '../../fakes/smartdialog.ts';
import { rejection } from '../../helpers/rejection.ts';

const TOKEN = 'static-token';
let fake: FakeSmartDialog;

beforeEach(async () => {
  fake = await startFakeSmartDialog({ tokens: [TOKEN] });
});

afterEach(async () => {
  await fake.close();
});

function options(
  overrides: { serviceId?: string; timeoutMs?: number; baseUrl?: string; token?: string } = {},
) {
  return {
    baseUrl: overrides.baseUrl ?? fake.baseUrl,
    auth: { accessToken: overrides.token ?? TOKEN },
    customerId: FAKE_SMARTDIALOG.customerId,
    serviceId: overrides.serviceId ?? FAKE_SMARTDIALOG.serviceId,
    sender: 'Textbridge',
    timeoutMs: overrides.timeoutMs ?? 2000,
  };
}

const provider = (overrides: Parameters<typeof options>[0] = {}): Provider =>
  createSmartDialogProvider(options(overrides));

const request: OutboundRequest = {
  provider: 'smartdialog',
  to: '+358401234501',
  text: 'Hello',
  channel: 'sms',
  correlationId: 'msg-1',
  idempotencyKey: 'idem-1',
};

describe('error answers', () => {
  it('400 {errorMessage} → ProviderValidationError carrying SmartDialog’s words', async () => {
    fake.failNext(1, 400, { errorMessage: 'Sender "Textbridge" is not allowed for this service' });
    const err = await rejection(provider().send([request]));
    expect(err).toBeInstanceOf(ProviderValidationError);
    expect(err).toMatchObject({ status: 400, provider: 'smartdialog', retryable: false });
    expect(err.message).toBe(
      'smartdialog rejected the request (HTTP 400): Sender "Textbridge" is not allowed for this service',
    );
  });

  it('a reply through a service without replies is refused with the fake’s reason', async () => {
    const err = await rejection(
      provider({ serviceId: FAKE_SMARTDIALOG.oneWayNoReplyServiceId }).send([
        { ...request, replyTo: 'in-1' },
      ]),
    );
    expect(err).toBeInstanceOf(ProviderValidationError);
    expect(err.message).toContain('does not allow reply messages');
  });

  it('401 → ProviderAuthError', async () => {
    const err = await rejection(provider({ token: 'wrong' }).send([request]));
    expect(err).toBeInstanceOf(ProviderAuthError);
    expect(err).toMatchObject({ status: 401 });
  });

  it('404 → ProviderNotFoundError', async () => {
    fake.failNext(1, 404, { errorMessage: 'Parent message not found' });
    const err = await rejection(provider().send([{ ...request, replyTo: 'gone' }]));
    expect(err).toBeInstanceOf(ProviderNotFoundError);
    expect(err.message).toContain('Parent message not found');
  });

  it('429 with Retry-After → ProviderRateLimitError with the delay', async () => {
    fake.failNext(1, 429, { errorMessage: 'Too many requests' }, { 'retry-after': '7' });
    const err = await rejection(provider().send([request]));
    expect(err).toBeInstanceOf(ProviderRateLimitError);
    expect(err).toMatchObject({ retryAfterMs: 7000, retryable: true, status: 429 });
  });

  it.each([500, 502, 503])('%i → ProviderUnavailableError, retryable', async (status) => {
    fake.failNext(1, status, undefined, { 'retry-after': '2' });
    const err = await rejection(provider().send([request]));
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err).toMatchObject({ status, retryable: true, retryAfterMs: 2000 });
  });

  it('a call that never answers → ProviderUnavailableError after the timeout', async () => {
    fake.hangNext(1);
    const started = Date.now();
    const err = await rejection(provider({ timeoutMs: 300 }).send([request]));
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err.message).toContain('timed out after 300 ms');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a refused connection → ProviderUnavailableError', async () => {
    const err = await rejection(
      provider({ baseUrl: 'http://127.0.0.1:1/api-integrations/v1' }).send([request]),
    );
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err.message).toContain('could not connect');
  });

  it('a 200 without a message id → ProviderError naming the field', async () => {
    fake.failNext(1, 200, { MessagePartCount: 1 });
    const err = await rejection(provider().send([request]));
    expect(err.constructor).toBe(ProviderError);
    expect(err.message).toBe(
      'SmartDialog answered POST /messages with an unexpected body (messageid: Required)',
    );
  });
});

describe('answers in either casing', () => {
  const message = { sender: 'Textbridge', content: 'Hi', recipients: [{ address: '+358401234501' }] };

  it.each([
    [
      'PascalCase',
      { MessageId: 'm-1', MessagePartCount: 2, Recipients: [{ Address: '+358401234501', Id: 'r-1' }] },
    ],
    [
      'camelCase',
      { messageId: 'm-1', messagePartCount: 2, recipients: [{ address: '+358401234501', id: 'r-1' }] },
    ],
    [
      'upper case',
      { MESSAGEID: 'm-1', MESSAGEPARTCOUNT: 2, RECIPIENTS: [{ ADDRESS: '+358401234501', ID: 'r-1' }] },
    ],
  ])('reads a /messages answer in %s', async (_name, answer) => {
    fake.failNext(1, 200, answer);
    const sent = await sendSmartDialogMessage(createSmartDialogClient(options()), message);
    expect(sent).toEqual({
      messageId: 'm-1',
      messagePartCount: 2,
      recipients: [{ address: '+358401234501', id: 'r-1' }],
      raw: answer,
    });
  });

  it('reads a PascalCase template-send answer too', async () => {
    fake.failNext(1, 200, { MessageId: 'm-2', Recipients: [{ Address: '+358401', Id: 'r-2' }] });
    const sent = await sendWhatsAppTemplate(createSmartDialogClient(options()), {
      templateName: 't',
      recipients: ['+358401'],
    });
    expect(sent).toMatchObject({ messageId: 'm-2', recipients: [{ address: '+358401', id: 'r-2' }] });
  });

  it('tolerates recipients without ids', async () => {
    fake.failNext(1, 200, {
      MessageId: 'm-3',
      Recipients: [{ Address: '+358401', Id: '' }, { Address: '+358402' }],
    });
    const sent = await sendSmartDialogMessage(createSmartDialogClient(options()), message);
    expect(sent.recipients).toEqual([{ address: '+358401' }, { address: '+358402' }]);
  });

  it('reads ErrorMessage in any casing', async () => {
    fake.failNext(1, 400, { ErrorMessage: 'Content is empty' });
    const err = await rejection(provider().send([request]));
    expect(err.message).toContain('Content is empty');
  });

  it('takes a numeric message id as text', async () => {
    fake.failNext(1, 200, { MessageId: 12345 });
    const [result] = await provider().send([request]);
    expect(result!.providerMessageId).toBe('12345');
  });
});
