/**
 * Sandbox message ids carry their own history: `sbx-<sent at, ms>-<outcome code>-<random>`. The
 * status of a message can be computed from its id at any time, so a restart loses nothing.
 */
import { randomUUID } from 'node:crypto';
import type { DeliveryStatus } from '../types.ts';
import { outcomeByCode, type SandboxOutcome } from './outcomes.ts';

export interface SandboxTimings {
  /** From send to "sent" (handed to the pretend carrier). */
  sentMs: number;
  /** From send to the final state. */
  finalMs: number;
}

export const DEFAULT_TIMINGS: SandboxTimings = { sentMs: 400, finalMs: 1_500 };

export function newSandboxId(outcome: SandboxOutcome, at = Date.now()): string {
  return `sbx-${at}-${outcome.code}-${randomUUID().slice(0, 8)}`;
}

export function parseSandboxId(id: string): { sentAt: number; outcome: SandboxOutcome } | undefined {
  const match = /^sbx-(\d+)-([A-Z]\d)-[0-9a-f]{8}$/.exec(id);
  if (!match) return undefined;
  return { sentAt: Number(match[1]), outcome: outcomeByCode(match[2] ?? '') };
}

/** The status a sandbox message has `now`. */
export function statusAt(
  id: string,
  now: number,
  timings: SandboxTimings,
): { status: DeliveryStatus; outcome?: SandboxOutcome } {
  const parsed = parseSandboxId(id);
  if (!parsed) return { status: 'unknown' };
  const age = now - parsed.sentAt;
  if (age >= timings.finalMs) return { status: parsed.outcome.status, outcome: parsed.outcome };
  return { status: age >= timings.sentMs ? 'sent' : 'queued' };
}
