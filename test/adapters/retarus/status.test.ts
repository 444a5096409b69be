import { describe, expect, it } from 'vitest';
import { mapRetarusStatus, retarusVendorStatus } from '../../../adapters/retarus/status.ts';
import type { DeliveryStatus } from '../../../adapters/types.ts';

// Every row of the "SMS Outbound Status Codes" table (providers README §2.5). "any" rows are
// tried with an empty word and with a word that appears nowhere else.
const ROWS: Array<[process: string, status: string, DeliveryStatus, final: boolean, failure: boolean]> = [
  ['OPEN', '', 'queued', false, false],
  ['OPEN', 'CON_ERR', 'queued', false, false],
  ['DONE', 'SUC_ACC', 'sent', true, false],
  ['DONE', 'SUC_FIN', 'delivered', true, false],
  ['DONE', 'INVALID_DST', 'rejected', true, true],
  ['DONE', 'BLOCKED', 'rejected', true, true],
  ['DONE', 'TIMEOUT', 'expired', true, true],
  ['DONE', 'CON_ERR', 'failed', true, true],
  ['DONE', 'FAILED_FIN', 'failed', true, true],
  ['DONE', 'NOT_ACC_FIN', 'rejected', true, true],
  ['DONE', 'SEND_ERR', 'unknown', true, true],
  ['DONE', 'STATUS_ERR', 'unknown', true, true],
  ['CANCELED', '', 'cancelled', true, true],
  ['CANCELED', 'NOT_ACC_REC', 'cancelled', true, true],
  ['RUNNING', '', 'sent', false, false],
  ['RUNNING', 'ANY_WORD', 'sent', false, false],
  ['KILL', '', 'cancelled', true, true],
  ['KILL', 'ANY_WORD', 'cancelled', true, true],
];

describe('mapRetarusStatus: the status table', () => {
  it.each(ROWS)('%s/%s → %s (final %s)', (process, status, expected, final, failure) => {
    const mapped = mapRetarusStatus(process, status);
    expect(mapped.status).toBe(expected);
    expect(mapped.final).toBe(final);
    expect(mapped.description).toMatch(/^[A-Z].+\.$/);
    if (failure) expect(mapped.reason).toBe(mapped.description);
    else expect(mapped).not.toHaveProperty('reason');
  });

  it('gives each pair its own description', () => {
    const exact = ROWS.filter(([process, status]) => status !== 'ANY_WORD' && process !== 'OPEN');
    const descriptions = new Set(exact.map(([p, s]) => mapRetarusStatus(p, s).description));
    expect(descriptions.size).toBe(exact.length);
  });
});

describe('mapRetarusStatus: the details', () => {
  it('says SEND_ERR most likely arrived', () => {
    expect(mapRetarusStatus('DONE', 'SEND_ERR').reason).toMatch(/in most cases the SMS arrived anyway/);
  });

  it('keeps SUC_ACC at sent either way, and says when a requested confirmation did not come', () => {
    const notRequested = mapRetarusStatus('DONE', 'SUC_ACC', false);
    const requested = mapRetarusStatus('DONE', 'SUC_ACC', true);
    expect(notRequested).toEqual({
      status: 'sent',
      final: true,
      description: 'Accepted by the carrier; no handset confirmation.',
    });
    expect(requested.status).toBe('sent');
    expect(requested.description).toMatch(/requested handset confirmation did not come/);
  });

  it('is case-insensitive and ignores surrounding spaces', () => {
    expect(mapRetarusStatus(' done ', 'suc_fin')).toMatchObject({ status: 'delivered', final: true });
    expect(mapRetarusStatus('Canceled', 'not_acc_rec')).toMatchObject({ status: 'cancelled' });
    expect(mapRetarusStatus('running', 'x').status).toBe('sent');
  });

  it('reads a missing status word as empty', () => {
    expect(mapRetarusStatus('OPEN', null)).toEqual(mapRetarusStatus('OPEN', ''));
    expect(mapRetarusStatus('OPEN', undefined).description).toBe('Pending; not yet scheduled.');
  });

  it('maps pairs outside the table to unknown, final under DONE', () => {
    expect(mapRetarusStatus('DONE', 'BRAND_NEW')).toEqual({
      status: 'unknown',
      final: true,
      description: 'Retarus reported DONE/BRAND_NEW, which this bridge does not know.',
      reason: 'Retarus reported DONE/BRAND_NEW, which this bridge does not know.',
    });
    expect(mapRetarusStatus('DONE', '')).toMatchObject({ status: 'unknown', final: true });
    expect(mapRetarusStatus('PAUSED', '')).toEqual({
      status: 'unknown',
      final: false,
      description: 'Retarus reported PAUSED, which this bridge does not know.',
    });
  });

  it('does not take inherited object keys for statuses', () => {
    expect(mapRetarusStatus('constructor', '').status).toBe('unknown');
    expect(mapRetarusStatus('DONE', 'toString').status).toBe('unknown');
  });
});

describe('retarusVendorStatus', () => {
  it('writes the pair, or the process status alone', () => {
    expect(retarusVendorStatus('DONE', 'SUC_FIN')).toBe('DONE/SUC_FIN');
    expect(retarusVendorStatus('OPEN', '')).toBe('OPEN');
    expect(retarusVendorStatus('OPEN', null)).toBe('OPEN');
  });
});
