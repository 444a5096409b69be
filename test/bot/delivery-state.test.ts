import { describe, expect, it } from 'vitest';
import type { DeliveryStatus } from '../../adapters/types.ts';
import { advances, TERMINAL } from '../../bot/store/delivery-state.ts';
import type { MessageStatus } from '../../bot/store/types.ts';

const ROWS: Array<[MessageStatus, DeliveryStatus, boolean]> = [
  ['queued', 'sent', true],
  ['queued', 'delivered', true],
  ['queued', 'read', true],
  ['queued', 'failed', true],
  ['queued', 'cancelled', true],
  ['queued', 'queued', false],
  ['queued', 'unknown', false],
  ['sent', 'delivered', true],
  ['sent', 'expired', true],
  ['sent', 'rejected', true],
  ['sent', 'queued', false],
  ['sent', 'sent', false],
  ['delivered', 'read', true],
  ['delivered', 'failed', true],
  ['delivered', 'sent', false],
  ['delivered', 'queued', false],
  ['delivered', 'delivered', false],
  ['read', 'delivered', false],
  ['read', 'failed', false],
  ['read', 'read', false],
  ['failed', 'delivered', false],
  ['failed', 'read', false],
  ['failed', 'expired', false],
  ['failed', 'failed', false],
  ['expired', 'delivered', false],
  ['rejected', 'sent', false],
  ['cancelled', 'queued', false],
  ['unknown', 'queued', true],
  ['unknown', 'delivered', true],
  ['unknown', 'unknown', false],
  ['received', 'queued', true],
  ['received', 'unknown', false],
];

describe('advances', () => {
  it.each(ROWS)('%s → %s: %s', (current, next, expected) => {
    expect(advances(current, next)).toBe(expected);
  });

  it('never leaves a terminal state', () => {
    const every: DeliveryStatus[] = [
      'queued',
      'sent',
      'delivered',
      'read',
      'failed',
      'expired',
      'rejected',
      'cancelled',
      'unknown',
    ];
    expect([...TERMINAL].sort()).toEqual(['cancelled', 'expired', 'failed', 'rejected']);
    for (const current of TERMINAL) for (const next of every) expect(advances(current, next)).toBe(false);
  });
});
