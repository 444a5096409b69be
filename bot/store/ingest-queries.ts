/** The statements every inbound webhook event runs, compiled once. */
import { type Kysely, sql } from 'kysely';
import { Precompiled } from './precompiled.ts';
import type { Database } from './schema.ts';

export type IngestQueries = ReturnType<typeof ingestQueries>;

/** What ingest reads of a customer's thread. */
export interface ThreadOfRow {
  id: string;
  conversation_id: string | null;
  channel: string;
  opted_out: number;
}

export function ingestQueries(db: Kysely<Database>) {
  return {
    /** The dedupe key: inserts nothing (0 rows) when the event was stored before. */
    claimKey: new Precompiled<'key' | 'at', unknown>((p) =>
      db
        .insertInto('events')
        .values({ key: p.key, created_at: p.at })
        .onConflict((oc) => oc.column('key').doNothing()),
    ),

    /** The customer's thread, when the customer wrote before (read only: most webhooks). */
    findThread: new Precompiled<'provider' | 'businessNumber' | 'customerNumber', ThreadOfRow>((p) =>
      db
        .selectFrom('threads')
        .select(['id', 'conversation_id', 'channel', 'opted_out'])
        .where('provider', '=', p.provider)
        .where('business_number', '=', p.businessNumber)
        .where('customer_number', '=', p.customerNumber),
    ),

    /**
     * The customer's thread on first contact; nothing (no row returned) when it exists already.
     * A thread row is not written again for every message: its latest inbound message is read
     * from the messages when a reply needs it.
     */
    insertThread: new Precompiled<
      'id' | 'provider' | 'businessNumber' | 'customerNumber' | 'channel' | 'optedOut' | 'at',
      ThreadOfRow
    >((p) =>
      db
        .insertInto('threads')
        .values({
          id: p.id,
          provider: p.provider,
          business_number: p.businessNumber,
          customer_number: p.customerNumber,
          channel: p.channel,
          conversation_id: null,
          root_activity_id: null,
          conversation_ref: null,
          state: 'open',
          assignee: null,
          assignee_id: null,
          opted_out: p.optedOut,
          last_inbound_id: null,
          created_at: p.at,
          updated_at: p.at,
        })
        .onConflict((oc) => oc.columns(['provider', 'business_number', 'customer_number']).doNothing())
        .returning(['id', 'conversation_id', 'channel', 'opted_out']),
    ),

    /**
     * Only when a message changes the thread: it answers on the channel the customer last wrote
     * on (WhatsApp or SMS), and an opt-out message opts it out for good.
     */
    updateThread: new Precompiled<'id' | 'channel' | 'optedOut' | 'at', unknown>((p) =>
      db
        .updateTable('threads')
        .set({
          channel: p.channel,
          opted_out: sql<number>`case when ${p.optedOut} = 1 then 1 else opted_out end`,
          updated_at: p.at,
        })
        .where('id', '=', p.id),
    ),

    insertInbound: new Precompiled<
      | 'id'
      | 'threadId'
      | 'provider'
      | 'channel'
      | 'body'
      | 'media'
      | 'optOut'
      | 'providerMessageId'
      | 'createdAt'
      | 'at',
      unknown
    >((p) =>
      db.insertInto('messages').values({
        id: p.id,
        thread_id: p.threadId,
        direction: 'inbound',
        provider: p.provider,
        channel: p.channel,
        body: p.body,
        media: p.media,
        author_name: null,
        author_id: null,
        opt_out: p.optOut,
        status: 'received',
        vendor_status: null,
        status_code: null,
        reason: null,
        timeline: '[]',
        provider_message_id: p.providerMessageId,
        teams_activity_id: null,
        send_started_at: null,
        card_started_at: null,
        retried_as: null,
        template: null,
        send_options: null,
        created_at: p.createdAt,
        updated_at: p.at,
      }),
    ),
  };
}
