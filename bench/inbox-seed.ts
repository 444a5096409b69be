/**
 * Fills a store with an inbox-sized history for the inbox benchmark: `threads` customer threads
 * in `channels` linked channels, `messages` messages in all (inbound and outbound, some failed,
 * some claimed or resolved), written straight into the tables in large transactions.
 */
import type { Kysely } from 'kysely';
import { emptyMessage } from '../bot/store/rows.ts';
import type { Database, MessagesTable, ThreadsTable } from '../bot/store/schema.ts';

export interface SeedOptions {
  threads: number;
  messages: number;
  channels: string[];
  /** Entra object id of the agent who claimed some threads. */
  agentId: string;
}

const WORDS = [
  'order',
  'delivery',
  'invoice',
  'refund',
  'tomorrow',
  'thanks',
  'parcel',
  'address',
  'broken',
  'urgent',
];

/** Deterministic pseudo-random numbers: every run seeds the same store. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

export async function seedInbox(db: Kysely<Database>, o: SeedOptions): Promise<void> {
  const random = rng(42);
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  const threads: ThreadsTable[] = [];
  for (let i = 0; i < o.threads; i++) {
    const channel = o.channels[i % o.channels.length] ?? '';
    const at = new Date(start + i * 1000).toISOString();
    const claimed = random() < 0.3;
    threads.push({
      id: `t${String(i).padStart(6, '0')}`,
      provider: 'sandbox',
      business_number: '+15550000000',
      customer_number: `+1555${String(1_000_000 + i).slice(1)}`,
      channel: 'sms',
      conversation_id: `${channel};messageid=${start + i}`,
      root_activity_id: String(start + i),
      conversation_ref: '{}',
      state: random() < 0.2 ? 'resolved' : 'open',
      assignee: claimed ? 'Alex Wilber' : null,
      assignee_id: claimed ? o.agentId : null,
      opted_out: 0,
      last_inbound_id: null,
      created_at: at,
      updated_at: at,
    });
  }
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < threads.length; i += 500) {
      await trx
        .insertInto('threads')
        .values(threads.slice(i, i + 500))
        .execute();
    }
  });
  let batch: MessagesTable[] = [];
  const flush = async () => {
    const rows = batch;
    batch = [];
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 500)
        await trx
          .insertInto('messages')
          .values(rows.slice(i, i + 500))
          .execute();
    });
  };
  for (let n = 0; n < o.messages; n++) {
    const t = threads[Math.floor(random() * threads.length)] as ThreadsTable;
    const at = new Date(start + n * 3000).toISOString();
    const outbound = random() < 0.45;
    const failed = outbound && random() < 0.05;
    const words = Array.from(
      { length: 6 + Math.floor(random() * 12) },
      () => WORDS[Math.floor(random() * WORDS.length)],
    );
    batch.push({
      ...emptyMessage(`m${String(n).padStart(7, '0')}`, t.id, at),
      direction: outbound ? 'outbound' : 'inbound',
      provider: 'sandbox',
      body: `${words.join(' ')} #${n}`,
      status: outbound ? (failed ? 'failed' : 'delivered') : 'received',
      author_name: outbound ? 'Alex Wilber' : null,
    });
    if (batch.length >= 10_000) await flush();
  }
  await flush();
}
