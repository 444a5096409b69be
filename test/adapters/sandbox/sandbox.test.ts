import { describe, expect, it } from 'vitest';
import { WebhookParseError } from '../../../adapters/errors.ts';
import { createSandboxProvider, SANDBOX_BUSINESS_NUMBER } from '../../../adapters/sandbox/index.ts';
import { parseSandboxId, statusAt } from '../../../adapters/sandbox/message-id.ts';
import type {
  DeliveryReceipt,
  OutboundRequest,
  WebhookEvent,
  WebhookRequest,
} from '../../../adapters/types.ts';
import { eventually } from '../../helpers/wait.ts';

const timings = { sentMs: 20, finalMs: 60 };
const request = (to: string, n = 1): OutboundRequest => ({
  provider: 'sandbox',
  to,
  text: `hello ${n}`,
  channel: 'sms',
  correlationId: `m${n}`,
  idempotencyKey: `m${n}`,
});
const webhook = (body: unknown): WebhookRequest => ({
  method: 'POST',
  url: '/sandbox/inbound',
  headers: {},
  query: {},
  contentType: 'application/json',
  rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});

describe('sandbox provider', () => {
  it('delivers a message: receipts Sent then Delivered, carrying our id', async () => {
    const emitted: WebhookEvent[] = [];
    const provider = createSandboxProvider({ emit: async (e) => void emitted.push(...e), timings });
    const [result] = await provider.send([request('+15551234567')]);
    expect(result).toMatchObject({ correlationId: 'm1', status: 'queued' });
    await eventually('two receipts', () => emitted.length === 2);
    const receipts = emitted as DeliveryReceipt[];
    expect(receipts.map((r) => r.status)).toEqual(['sent', 'delivered']);
    expect(
      receipts.every((r) => r.correlationId === 'm1' && r.providerMessageId === result?.providerMessageId),
    ).toBe(true);
  });

  it.each([
    ['+15555550100', 'failed', 'unreachable'],
    ['+15555550101', 'rejected', 'blocked'],
    ['+15555550102', 'expired', 'validity'],
  ])('fails the documented number %s as %s with a reason', async (to, status, words) => {
    const emitted: WebhookEvent[] = [];
    const provider = createSandboxProvider({ emit: async (e) => void emitted.push(...e), timings });
    await provider.send([request(to)]);
    await eventually('the final receipt', () => emitted.length === 2);
    const last = emitted[1] as DeliveryReceipt;
    expect(last.status).toBe(status);
    expect(last.reason?.toLowerCase()).toContain(words);
  });

  it('answers a poll from the id alone, so a restart loses nothing', async () => {
    const provider = createSandboxProvider({
      emit: async () => {},
      timings: { sentMs: 1_000, finalMs: 2_000 },
    });
    const [result] = await provider.send([request('+15555550100')]);
    const id = result?.providerMessageId ?? '';
    expect(parseSandboxId(id)?.outcome.status).toBe('failed');
    const sentAt = parseSandboxId(id)?.sentAt ?? 0;
    expect(statusAt(id, sentAt + 10, { sentMs: 1_000, finalMs: 2_000 }).status).toBe('queued');
    expect(statusAt(id, sentAt + 1_500, { sentMs: 1_000, finalMs: 2_000 }).status).toBe('sent');
    expect(statusAt(id, sentAt + 2_500, { sentMs: 1_000, finalMs: 2_000 }).status).toBe('failed');
    expect(await provider.capabilities.reconcile?.pollStatus([id])).toEqual([]);
  });

  it('parses injected customer messages and refuses bad ones naming the field', () => {
    const provider = createSandboxProvider({ emit: async () => {} });
    const [message] = provider.parseWebhook(webhook({ from: '+15551234567', text: 'Is my order late?' }));
    expect(message).toMatchObject({
      kind: 'inbound',
      provider: 'sandbox',
      from: '+15551234567',
      to: SANDBOX_BUSINESS_NUMBER,
      text: 'Is my order late?',
      channel: 'sms',
    });
    expect(() => provider.parseWebhook(webhook({ from: '5551234', text: 'x' }))).toThrow(
      /"from" must be an E\.164/,
    );
    expect(() => provider.parseWebhook(webhook({ from: '+15551234567', text: '' }))).toThrow(
      WebhookParseError,
    );
    expect(() => provider.parseWebhook(webhook('{nope'))).toThrow(/not valid JSON/);
  });
});
