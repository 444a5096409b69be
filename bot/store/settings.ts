/** Settings the bot decides once at run time and keeps, such as the pinned Teams tenant. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** `media-key`: the key of signed media links, one for every instance of a shared store. */
export type SettingKey = 'pinned-tenant' | 'media-key';

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
