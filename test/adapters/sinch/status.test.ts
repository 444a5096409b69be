import { describe, expect, it } from 'vitest';
import { describeSinchErrorCode, mapSinchStatus, SINCH_ERROR_CODES } from '../../../adapters/sinch/status.ts';
import type { DeliveryStatus } from '../../../adapters/types.ts';

// Every status word of README §1.6: the Engage enum plus `undeliverable` from the older spec.
const STATUS_ROWS: Array<[string, DeliveryStatus]> = [
  ['undefined', 'unknown'],
  ['queued', 'queued'],
  ['processing', 'queued'],
  ['processed', 'sent'],
  ['failed', 'failed'],
  ['scheduled', 'queued'],
  ['cancelled', 'cancelled'],
  ['delivered', 'delivered'],
  ['expired', 'expired'],
  ['enroute', 'sent'],
  ['held', 'queued'],
  ['submitted', 'sent'],
  ['rejected', 'rejected'],
  ['read', 'read'],
  ['undeliverable', 'failed'],
  ['unknown', 'unknown'],
];

const CODE_ROWS: Array<[string, string]> = [
  ['101', 'Message being processed by the gateway.'],
  ['102', 'Message is being rerouted to a different provider after failing via the first provider.'],
  ['151', 'Message held for screening.'],
  ['200', 'Message submitted to downstream provider for delivery.'],
  ['210', 'Message accepted by downstream provider.'],
  ['211', 'Message is enroute for delivery by provider.'],
  ['212', 'Message submitted. Delivery pending.'],
  ['213', 'Message scheduled for delivery by downstream provider.'],
  ['220', 'Message delivered.'],
  ['221', 'Message delivered to the handset.'],
  ['320', 'Message validity period has expired (prior to submission).'],
  ['401', 'Message validity period has expired (before delivery).'],
  ['301', 'Usage threshold reached. Message discarded.'],
  ['302', 'Destination address blocked. Message discarded.'],
  ['303', 'Source address blocked. Message discarded.'],
  ['304', 'Message dropped. Contact support.'],
  ['305', 'Message discarded due to duplicate detection.'],
  ['402', 'Message rejected by downstream provider.'],
  ['403', 'Message skipped by downstream provider.'],
  ['410', 'Invalid source address.'],
  ['411', 'Invalid destination address.'],
  ['412', 'Destination address blocked.'],
  ['413', 'SMS service unavailable on destination.'],
  ['414', 'Destination unreachable.'],
  ['330', 'Gateway failure.'],
  ['331', 'Message discarded.'],
  ['332', 'No available route to destination.'],
  ['333', 'Source address unsupported for this destination.'],
  ['400', 'Message failed; undeliverable.'],
  ['405', 'Message cancelled or deleted by provider.'],
];

describe('mapSinchStatus', () => {
  it.each(STATUS_ROWS)('maps %s to %s', (word, expected) => {
    expect(mapSinchStatus(word).status).toBe(expected);
  });

  it.each(STATUS_ROWS)('ignores case and spaces for %s', (word, expected) => {
    expect(mapSinchStatus(` ${word.toUpperCase()} `).status).toBe(expected);
  });

  it('maps a word it does not know to unknown, never to a state', () => {
    expect(mapSinchStatus('teleported')).toEqual({ status: 'unknown' });
    expect(mapSinchStatus('constructor')).toEqual({ status: 'unknown' });
  });

  it.each(['queued', 'enroute', 'submitted', 'delivered', 'read', 'held'])(
    'gives no reason for %s',
    (word) => {
      expect(mapSinchStatus(word, '220').reason).toBeUndefined();
    },
  );

  it.each([
    ['failed', '411', 'Invalid destination address.'],
    ['rejected', '305', 'Message discarded due to duplicate detection.'],
    ['expired', '401', 'Message validity period has expired (before delivery).'],
    ['cancelled', '405', 'Message cancelled or deleted by provider.'],
    ['undeliverable', '400', 'Message failed; undeliverable.'],
  ])('explains %s with code %s from the code table', (word, code, reason) => {
    expect(mapSinchStatus(word, code).reason).toBe(reason);
  });

  it('falls back to the status wording when the code is missing, unknown or a progress code', () => {
    expect(mapSinchStatus('rejected').reason).toMatch(/rejected and will not be delivered/);
    expect(mapSinchStatus('failed', '999').reason).toMatch(/failed: no route.*\(Sinch code 999\)$/);
    expect(mapSinchStatus('failed', '220').reason).toMatch(/\(Sinch code 220\)$/);
    expect(mapSinchStatus('expired', '').reason).toBe('The message expired before it could be delivered.');
  });
});

describe('SINCH_ERROR_CODES', () => {
  it.each(CODE_ROWS)('describes code %s', (code, description) => {
    expect(SINCH_ERROR_CODES[code]).toBe(description);
    expect(describeSinchErrorCode(code)).toBe(description);
  });

  it('holds exactly the documented codes', () => {
    expect(Object.keys(SINCH_ERROR_CODES).sort()).toEqual(CODE_ROWS.map(([code]) => code).sort());
  });

  it('knows no other code', () => {
    expect(describeSinchErrorCode('999')).toBeUndefined();
    expect(describeSinchErrorCode('toString')).toBeUndefined();
  });
});
