/** The statements every inbound webhook event runs, compiled once. */
import type { Kysely } from 'kysely';
import { Precompiled } from './precompiled.ts';
import type { Database } from './schema.ts';

export type IngestQueries = ReturnType<typeof ingestQueries>;

export function ingestQueries(db: Kysely<Database>) {
  return {
    /** The dedupe key: inserts nothing (0 rows) when the event was stored before. */
    claimKey: new Precompiled<'key' | 'at', unknown>((p) =>
      db
        .insertInto('events')
        .values({ key: p.key, created_at: p.at })
        .onConflict((oc) => oc.column('key').doNothing()),
    ),

    /**
     * The customer's thread, created on first contact, in one statement: the latest inbound
     * message id (for threaded replies), and opted out for good once an opt-out arrives.
     */
    upsertThread: new Precompiled<
      | 'id'
      | 'provider'
      | 'businessNumber'
      | 'customerNumber'
      | 'channel'
      | 'optedOut'
      | 'lastInboundId'
      | 'at',
      { id: string; conversation_id: string | null }
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
          last_inbound_id: p.lastInboundId,
          created_at: p.at,
          updated_at: p.at,
        })
        .onConflict((oc) =>
          oc.columns(['provider', 'business_number', 'customer_number']).doUpdateSet((eb) => ({
            last_inbound_id: eb.ref('excluded.last_inbound_id'),
            // The thread answers on the channel the customer last wrote on (WhatsApp or SMS).
            channel: eb.ref('excluded.channel'),
            updated_at: eb.ref('excluded.updated_at'),
            opted_out: eb
              .case()
              .when('excluded.opted_out', '=', 1)
              .then(1)
              .else(eb.ref('threads.opted_out'))
              .end(),
          })),
        )
        .returning(['id', 'conversation_id']),
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
