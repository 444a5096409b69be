/**
 * apply-receipt: a receipt that arrived before its message's send was recorded. It is matched
 * again a few times; after the last attempt it is logged as unmatched (never dropped silently).
 */
import type { Logger } from 'pino';
import type { DeliveryReceipt } from '../../../adapters/types.ts';
import type { Job, Store } from '../../store/types.ts';
import type { JobHandler } from '../runner.ts';

export function applyReceiptHandler(store: Store, log: Logger): JobHandler {
  return {
    async run(job: Job) {
      const receipt = job.payload['receipt'] as DeliveryReceipt;
      const row = job.payload['receiptRow'] as number | undefined;
      if (!(await store.applyReceipt(receipt, row))) {
        throw new Error(
          `no message is known for ${receipt.provider} message ${receipt.providerMessageId} yet`,
        );
      }
    },
    async giveUp(job: Job) {
      const receipt = job.payload['receipt'] as DeliveryReceipt;
      log.warn(
        {
          provider: receipt.provider,
          providerMessageId: receipt.providerMessageId,
          status: receipt.vendorStatus,
        },
        'receipt matches none of our messages; it is kept in the receipts table',
      );
    },
  };
}
