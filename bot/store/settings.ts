/** Settings the bot decides once at run time and keeps, such as the pinned Teams tenant. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * `media-key`: the key of signed media links, one for every instance of a shared store.
 * `notice:<what>`: when a notice was last given (claimNotice), so several instances give it once.
 */
export type SettingKey = 'pinned-tenant' | 'media-key' | `notice:${string}`;

export async function readSetting(db: Kysely<Database>, key: SettingKey): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Sets `key` unless it is set already, and returns its value: the first writer wins, atomically. */
export async function keepFirstSetting(
  db: Kysely<Database>,
  key: SettingKey,
  value: string,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('settings')
      .values({ key, value, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await trx
      .selectFrom('settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    return row.value;
  });
}

/**
 * Claims the right to give notice `key` at `now` unless it was given less than `everyMs` ago:
 * true for exactly one caller per period, whichever instance of a shared store asks first.
 */
export async function claimNotice(
  db: Kysely<Database>,
  key: `notice:${string}`,
  now: number,
  everyMs: number,
): Promise<boolean> {
  const at = new Date(now).toISOString();
  const before = new Date(now - everyMs).toISOString();
  const row = await db
    .insertInto('settings')
    .values({ key, value: at, created_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: at }).where('settings.value', '<=', before))
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}
