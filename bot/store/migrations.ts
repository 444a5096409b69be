/**
 * Schema migrations, in order. Written with Kysely's schema builder so the same list serves
 * SQLite and PostgreSQL.
 */
import {
  type ColumnDefinitionBuilder,
  type CreateTableBuilder,
  type Kysely,
  type Migration,
  type MigrationProvider,
  sql,
} from 'kysely';
import { dialectOf } from './dialect.ts';

/**
 * A generated 64-bit row id: SQLite's integer primary key, PostgreSQL's bigserial (read back as
 * a JavaScript number, see postgres.ts). The only column type the two dialects spell differently.
 */
function withRowId<T extends string>(db: Kysely<unknown>, table: CreateTableBuilder<T>) {
  if (dialectOf(db) === 'postgres') return table.addColumn('id', 'bigserial', (c) => c.primaryKey());
  return table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement());
}

const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('routes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('business_number', 'text', (c) => c.notNull())
      .addColumn('teams_channel_id', 'text', (c) => c.notNull())
      .addColumn('channel_name', 'text')
      .addColumn('conversation_ref', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('routes_provider_number', ['provider', 'business_number'])
      .execute();

    await db.schema
      .createTable('threads')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('business_number', 'text', (c) => c.notNull())
      .addColumn('customer_number', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text')
      .addColumn('root_activity_id', 'text')
      .addColumn('conversation_ref', 'text')
      .addColumn('state', 'text', (c) => c.notNull().defaultTo('open'))
      .addColumn('assignee', 'text')
      .addColumn('opted_out', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_inbound_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('threads_customer', ['provider', 'business_number', 'customer_number'])
      .execute();
    await db.schema.createIndex('threads_conversation').on('threads').column('conversation_id').execute();

    await db.schema
      .createTable('messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('thread_id', 'text', (c) => c.notNull().references('threads.id'))
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('media', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('author_name', 'text')
      .addColumn('author_id', 'text')
      .addColumn('opt_out', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('vendor_status', 'text')
      .addColumn('status_code', 'text')
      .addColumn('reason', 'text')
      .addColumn('timeline', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('provider_message_id', 'text')
      .addColumn('teams_activity_id', 'text')
      .addColumn('send_started_at', 'text')
      .addColumn('card_started_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('messages_thread')
      .on('messages')
      .columns(['thread_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('messages_provider_id')
      .on('messages')
      .columns(['provider', 'provider_message_id'])
      .execute();

    await db.schema
      .createTable('events')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await withRowId(db, db.schema.createTable('jobs'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('lane', 'text', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('run_after', 'bigint', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'bigint')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('jobs_due').on('jobs').columns(['state', 'run_after']).execute();
    await db.schema.createIndex('jobs_lane').on('jobs').columns(['lane', 'state', 'id']).execute();
    // At most one pending job per (kind, ref): a burst of receipts becomes one card update.
    await db.schema
      .createIndex('jobs_pending_once')
      .on('jobs')
      .columns(['kind', 'ref'])
      .unique()
      .where(sql.ref('state'), '=', 'pending')
      .execute();
  },
};

/** Every receipt as received, matched or not: the status timeline and unknown formats stay inspectable. */
const receipts: Migration = {
  async up(db: Kysely<unknown>) {
    await withRowId(db, db.schema.createTable('receipts'))
      .addColumn('message_id', 'text')
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('provider_message_id', 'text', (c) => c.notNull())
      .addColumn('recipient', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('vendor_status', 'text', (c) => c.notNull())
      .addColumn('code', 'text')
      .addColumn('reason', 'text')
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('receipts_message').on('receipts').column('message_id').execute();
    await db.schema
      .createIndex('receipts_provider_id')
      .on('receipts')
      .columns(['provider', 'provider_message_id'])
      .execute();
  },
};

/**
 * Receipts are matched to outbound messages only; indexing the provider ids of inbound messages
 * too cost every webhook a write on a random page of that index. Queries must spell the condition
 * as a literal (not a bound parameter) for SQLite to use a partial index.
 */
const outboundProviderIds: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('messages_provider_id').execute();
    await db.schema
      .createIndex('messages_provider_id')
      .on('messages')
      .columns(['provider', 'provider_message_id'])
      .where(sql.ref('direction'), '=', sql.lit('outbound'))
      .execute();
  },
};

/** Agent actions: number-level opt-outs (`optout`), and the message a Retry created. */
const agentActions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('opt_outs')
      .addColumn('number', 'text', (c) => c.primaryKey())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('messages').addColumn('retried_as', 'text').execute();
  },
};

/**
 * The Inbox (bot/inbox): who claimed a thread by id (the card and the tab know the agent's Entra
 * object id; names are not unique), the team a channel belongs to (membership checks and deep
 * links), internal notes, and the indexes its lists and its change feed read.
 */
const inbox: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('threads').addColumn('assignee_id', 'text').execute();
    await db.schema.alterTable('routes').addColumn('team_id', 'text').execute();
    await db.schema.alterTable('routes').addColumn('team_name', 'text').execute();
    await db.schema.alterTable('routes').addColumn('group_id', 'text').execute();
    await db.schema
      .createTable('notes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('thread_id', 'text', (c) => c.notNull().references('threads.id'))
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('author_name', 'text')
      .addColumn('author_id', 'text')
      // The Teams activity id: a redelivered channel post is one note.
      .addColumn('teams_activity_id', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('notes_thread').on('notes').columns(['thread_id', 'created_at']).execute();
    await db.schema.createIndex('notes_created').on('notes').column('created_at').execute();
    // The change feed reads what changed since its cursor (bot/inbox/events).
    await db.schema.createIndex('messages_updated').on('messages').column('updated_at').execute();
    await db.schema.createIndex('threads_updated').on('threads').column('updated_at').execute();
    // The Failed list: outbound messages that failed and were not sent again. Small, and only
    // written when a send fails or is retried. Queries spell the condition the same way.
    await db.schema
      .createIndex('messages_failed')
      .on('messages')
      .column('thread_id')
      .where(sql.raw<boolean>(FAILED_CONDITION))
      .execute();
  },
};

/** Outbound messages that failed for good and were not retried (see the messages_failed index). */
export const FAILED_CONDITION =
  "direction = 'outbound' and status in ('failed', 'expired', 'rejected') and retried_as is null";

/** Settings the bot decides once and keeps (the pinned Teams tenant). */
const settings: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};

/** A WhatsApp template message keeps its template, so its send (and a Retry) sends the template. */
const messageTemplates: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('messages').addColumn('template', 'text').execute();
  },
};

/** An agent's per-send options (`text --meta …`, Retarus job options), for the send and a Retry. */
const sendOptions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('messages').addColumn('send_options', 'text').execute();
  },
};

/** Inbound media: bytes that arrived inline (base64 text, dialect-neutral) or the provider's URL. */
const media: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('media')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('content_type', 'text')
      .addColumn('name', 'text')
      .addColumn('size', 'integer')
      .addColumn('data', 'text')
      .addColumn('url', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('media_message').on('media').column('message_id').execute();
  },
};

/**
 * One waiting job per kind and subject, parked ones included: a thread's card job is per thread
 * (it posts whatever of the thread waits), so a burst of messages of one customer adds one job,
 * and a parked job and a pending one for the same thing can no longer coexist.
 */
const waitingOnce: Migration = {
  async up(db: Kysely<unknown>) {
    // A parked copy of a job that is also pending is covered by the pending one.
    await sql`update jobs set state = 'done' where state = 'parked' and exists (
      select 1 from jobs p where p.kind = jobs.kind and p.ref = jobs.ref and p.state = 'pending')`.execute(
      db,
    );
    await db.schema.dropIndex('jobs_pending_once').execute();
    await sql`create unique index jobs_waiting_once on jobs (kind, ref) where state in ('pending', 'parked')`.execute(
      db,
    );
  },
};

/**
 * Cards that show several messages: the messages of a card are found by its activity id (only
 * messages with a card are in the index), and each keeps what its card showed last, so an update
 * that would change nothing costs no call to Teams.
 */
const cards: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('messages').addColumn('card_state', 'text').execute();
    await db.schema
      .createIndex('messages_card')
      .on('messages')
      .column('teams_activity_id')
      .where(sql.ref('teams_activity_id'), 'is not', null)
      .execute();
  },
};

/** RETENTION_DAYS: when a message's text was erased (retention.ts); its row and status stay. */
const retention: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('messages').addColumn('erased_at', 'text').execute();
  },
};

/**
 * The budgets several instances share (bot/store/budget-counters.ts): one row per operation of a
 * budget key (a Teams thread and kind, the Teams app, a provider connection) with the moment it
 * stops counting, and the keys held back by a 429 until a moment. Created on both dialects so the
 * schema stays one; only a shared (PostgreSQL) store writes to them.
 */
const sharedBudget: Migration = {
  async up(db: Kysely<unknown>) {
    await withRowId(db, db.schema.createTable('budget_ops'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('ends_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('budget_ops_key').on('budget_ops').columns(['key', 'ends_at']).execute();
    await db.schema.createIndex('budget_ops_ends').on('budget_ops').column('ends_at').execute();
    await db.schema
      .createTable('budget_pauses')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('until', 'bigint', (c) => c.notNull())
      .execute();
  },
};

export const migrations: MigrationProvider = {
  async getMigrations() {
    return {
      '0001_initial': initial,
      '0002_receipts': receipts,
      '0003_outbound_provider_ids': outboundProviderIds,
      '0004_agent_actions': agentActions,
      '0005_inbox': inbox,
      '0006_settings': settings,
      '0007_message_templates': messageTemplates,
      '0008_send_options': sendOptions,
      '0009_media': media,
      '0010_waiting_once': waitingOnce,
      '0011_cards': cards,
      '0012_retention': retention,
      '0013_shared_budget': sharedBudget,
    };
  },
};
