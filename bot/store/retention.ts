/**
 * RETENTION_DAYS: what a message said is erased once it is older than that; what happened to it
 * stays. Message bodies (and the template parameters and send options that repeat them), agents'
 * internal notes, the raw provider payloads of receipts, the payloads of finished jobs and the
 * stored inbound media go; rows, statuses, times, provider ids and the status timeline stay, so
 * counts, reports and the dedupe of late provider retries still work. Cards already in Teams are
 * not touched.
 *
 * A message that still has work waiting (a send not yet made, a card not yet posted) is left until
 * that work is done: erasing it first would send or post an empty text. Rows are erased in small
 * batches, each its own transaction, so a first run over years of data never holds the writers,
 * and every batch is found through an index (or the primary key, which grows with time).
 */
import type { StoreCore, Trx } from './store-core.ts';

export interface Erased {
  messages: number;
  notes: number;
  receipts: number;
  media: number;
  jobs: number;
}

const BATCH = 500;
/** What an erased text reads; a message's erased_at says when it was erased. */
export const ERASED_BODY = '';

export async function eraseOlderThan(core: StoreCore, cutoff: Date): Promise<Erased> {
  const before = cutoff.toISOString();
  const at = new Date().toISOString();
  return {
    media: await batches(core, async (trx) => {
      const r = await trx
        .deleteFrom('media')
        .where('id', 'in', (eb) =>
          eb.selectFrom('media').select('id').where('created_at', '<', before).limit(BATCH),
        )
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    }),
    messages: await batches(core, async (trx) => {
      const r = await trx
        .updateTable('messages')
        .set({ body: ERASED_BODY, template: null, send_options: null, erased_at: at })
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('messages as m')
            .select('m.id')
            // Through the messages_updated index: a message is never updated before it was created.
            .where('m.updated_at', '<', before)
            .where('m.created_at', '<', before)
            .where('m.erased_at', 'is', null)
            // A card not posted yet (an inbound message waiting for a link) still needs its words.
            .where((w) => w.or([w('m.direction', '=', 'outbound'), w('m.teams_activity_id', 'is not', null)]))
            // Nor is a message erased while a job of its own still waits to use it.
            .where(({ not, exists, selectFrom }) =>
              not(
                exists(
                  selectFrom('jobs as j')
                    .select('j.id')
                    .whereRef('j.ref', '=', 'm.id')
                    .where('j.state', 'in', ['pending', 'running', 'parked']),
                ),
              ),
            )
            .limit(BATCH),
        )
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    }),
    notes: await batches(core, async (trx) => {
      const r = await trx
        .updateTable('notes')
        .set({ body: ERASED_BODY })
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('notes')
            .select('id')
            .where('created_at', '<', before)
            .where('body', '!=', ERASED_BODY)
            .limit(BATCH),
        )
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    }),
    receipts: await byRowId(
      core,
      before,
      (after) =>
        core.db
          .selectFrom('receipts')
          .select(['id', 'received_at as at'])
          .where('id', '>', after)
          .orderBy('id')
          .limit(BATCH)
          .execute(),
      (trx, ids) =>
        trx.updateTable('receipts').set({ raw: 'null' }).where('id', 'in', ids).where('raw', '!=', 'null'),
    ),
    jobs: await byRowId(
      core,
      before,
      (after) =>
        core.db
          .selectFrom('jobs')
          .select(['id', 'created_at as at'])
          .where('id', '>', after)
          .orderBy('id')
          .limit(BATCH)
          .execute(),
      (trx, ids) =>
        trx
          .updateTable('jobs')
          .set({ payload: '{}' })
          .where('id', 'in', ids)
          .where('state', 'in', ['done', 'failed'])
          .where('payload', '!=', '{}'),
    ),
  };
}

/** Runs `step` in its own transaction until a batch changes fewer than BATCH rows. */
async function batches(core: StoreCore, step: (trx: Trx) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await core.transaction(step);
    total += n;
    if (n < BATCH) return total;
  }
}

/**
 * Walks a table with a generated row id (ids grow with time) from the start, BATCH rows at a
 * time (`page`), until the first row at or after `before`, and erases each batch with `erase`.
 */
async function byRowId(
  core: StoreCore,
  before: string,
  page: (after: number) => Promise<Array<{ id: number; at: string }>>,
  erase: (trx: Trx, ids: number[]) => { executeTakeFirst(): Promise<{ numUpdatedRows: bigint }> },
): Promise<number> {
  let after = 0;
  let total = 0;
  for (;;) {
    const rows = await page(after);
    const old = rows.filter((r) => r.at < before).map((r) => Number(r.id));
    if (old.length > 0) {
      total += await core.transaction(async (trx) =>
        Number((await erase(trx, old).executeTakeFirst()).numUpdatedRows),
      );
    }
    if (rows.length < BATCH || old.length < rows.length) return total;
    after = Number(rows[rows.length - 1]?.id);
  }
}
