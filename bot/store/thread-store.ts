/**
 * Threads: a customer's conversation as Teams shows it (posted where, claimed by whom, open or
 * resolved, opted out), and what agents do to it besides answering (conversation-ops.ts).
 */
import { sql } from 'kysely';
import * as ops from './conversation-ops.ts';
import { toThread } from './rows.ts';
import { now, type StoreCore, type Trx } from './store-core.ts';
import type { Assignee, ConversationRefJson, NewConversation, Thread, ThreadState } from './types.ts';

export class ThreadStore {
  constructor(private readonly core: StoreCore) {}

  async getThread(id: string): Promise<Thread | undefined> {
    const row = await this.threads().where('id', '=', id).executeTakeFirst();
    return row ? toThread(row) : undefined;
  }

  async getThreadByConversation(conversationId: string): Promise<Thread | undefined> {
    const row = await this.threads().where('conversation_id', '=', conversationId).executeTakeFirst();
    return row ? toThread(row) : undefined;
  }

  /** Threads with the provider id of their latest inbound message (what a threaded reply answers). */
  private threads() {
    return this.core.db
      .selectFrom('threads')
      .selectAll()
      .select((eb) =>
        eb
          .selectFrom('messages')
          .select('provider_message_id')
          .whereRef('messages.thread_id', '=', 'threads.id')
          .where('direction', '=', sql.lit('inbound'))
          .orderBy('created_at', 'desc')
          .limit(1)
          .as('latest_inbound_id'),
      );
  }

  async setThreadPosted(
    id: string,
    conversationId: string,
    rootActivityId: string,
    ref: ConversationRefJson,
    rootMessageIds: string | readonly string[] = [],
  ) {
    const ids = typeof rootMessageIds === 'string' ? [rootMessageIds] : rootMessageIds;
    // One transaction: a crash cannot leave the thread posted and its root message without the
    // card's id (the retry would post that message again, as a reply).
    await this.core.writes.run(async (trx) => {
      const at = now();
      await trx
        .updateTable('threads')
        .set({
          conversation_id: conversationId,
          root_activity_id: rootActivityId,
          conversation_ref: JSON.stringify(ref),
          updated_at: at,
        })
        .where('id', '=', id)
        .execute();
      if (ids.length > 0) {
        await trx
          .updateTable('messages')
          .set({ teams_activity_id: rootActivityId, updated_at: at })
          .where('id', 'in', ids)
          .execute();
      }
    });
  }

  private agentWrite<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    return this.core.writes.run(async (trx) => {
      const result = await fn(trx);
      this.core.queued();
      return result;
    });
  }

  setThreadState(threadId: string, state: ThreadState): Promise<boolean> {
    return this.agentWrite((trx) => ops.setThreadState(trx, this.core.jobsQ, threadId, state));
  }

  setAssignee(threadId: string, assignee: Assignee | undefined): Promise<boolean> {
    return this.agentWrite((trx) => ops.setAssignee(trx, this.core.jobsQ, threadId, assignee));
  }

  async setOptOut(number: string, optedOut: boolean, by: string): Promise<{ threads: number }> {
    return {
      threads: await this.agentWrite((trx) => ops.setOptOut(trx, this.core.jobsQ, number, optedOut, by)),
    };
  }

  isOptedOut(number: string): Promise<boolean> {
    return this.core.db.transaction().execute((trx) => ops.isOptedOut(trx, number));
  }

  startConversation(req: NewConversation) {
    return this.agentWrite((trx) => ops.startConversation(trx, this.core.jobsQ, req));
  }

  retryMessage(messageId: string, author: { authorName: string; authorId?: string }) {
    return this.agentWrite((trx) => ops.retryMessage(trx, this.core.jobsQ, messageId, author));
  }
}
