import { describe, expect, it } from 'vitest';
import { mapSmartDialogStatus, SMARTDIALOG_STATUSES } from '../../../adapters/smartdialog/status.ts';
import type { DeliveryStatus } from '../../../adapters/types.ts';

describe('mapSmartDialogStatus', () => {
  it.each(Object.entries(SMARTDIALOG_STATUSES))('maps %s to %s', (word, status) => {
    expect(mapSmartDialogStatus(word).status).toBe(status);
  });

  it.each<[string, DeliveryStatus]>([
    ['DELIVRD', 'delivered'],
    ['UNDELIV', 'failed'],
    ['EXPIRED', 'expired'],
    ['REJECTD', 'rejected'],
    ['ACCEPTD', 'sent'],
    ['DELETED', 'cancelled'],
    [' Delivered ', 'delivered'],
    ['not_delivered', 'failed'],
    ['Not Delivered', 'failed'],
    ['EN-ROUTE', 'sent'],
  ])('normalises %j to %s', (word, status) => {
    expect(mapSmartDialogStatus(word).status).toBe(status);
  });

  it.each(['', 'Zugestellt', '2', 'constructor', 'toString'])('maps %j to unknown', (word) => {
    expect(mapSmartDialogStatus(word)).toEqual({ status: 'unknown' });
  });

  it('explains only the statuses that end a message undelivered', () => {
    expect(mapSmartDialogStatus('failed').reason).toBe('The message could not be delivered.');
    expect(mapSmartDialogStatus('rejected').reason).toContain('rejected');
    expect(mapSmartDialogStatus('deleted').reason).toContain('cancelled');
    expect(mapSmartDialogStatus('delivered')).not.toHaveProperty('reason');
    expect(mapSmartDialogStatus('sent')).not.toHaveProperty('reason');
  });
});
