/**
 * What the sandbox does with a message, decided by the destination number alone so a person can
 * see every card state on purpose. The numbers are in the 555 fictional range.
 */
import type { DeliveryStatus } from '../types.ts';

export interface SandboxOutcome {
  status: Extract<DeliveryStatus, 'delivered' | 'failed' | 'rejected' | 'expired'>;
  code: string;
  reason?: string;
}

export const SANDBOX_NUMBERS: Readonly<Record<string, SandboxOutcome>> = {
  '+15555550100': { status: 'failed', code: 'F1', reason: 'The number is unreachable (sandbox test number)' },
  '+15555550101': {
    status: 'rejected',
    code: 'R1',
    reason: 'The carrier blocked the message (sandbox test number)',
  },
  '+15555550102': {
    status: 'expired',
    code: 'E1',
    reason: 'Not delivered within its validity period (sandbox test number)',
  },
};

const DELIVERED: SandboxOutcome = { status: 'delivered', code: 'D0' };

export function outcomeFor(to: string): SandboxOutcome {
  return SANDBOX_NUMBERS[to] ?? DELIVERED;
}

export function outcomeByCode(code: string): SandboxOutcome {
  return Object.values(SANDBOX_NUMBERS).find((o) => o.code === code) ?? DELIVERED;
}
