/**
 * Inbound media, kept beside its message: bytes that arrived inline (Sinch MMS) up to
 * MEDIA_MAX_BYTES, or the provider's URL. The message's own `media` column keeps only what a card
 * shows (id, name, type, size), never the bytes or the URL.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { MediaItem } from '../../adapters/types.ts';
import type { Database } from './schema.ts';

export interface StoredMedia {
  id: string;
  messageId: string;
  contentType?: string;
  name?: string;
  size?: number;
  data?: Buffer;
  url?: string;
}

/** Writes the media rows of a new inbound message; returns the items for its `media` column. */
export async function insertMedia(
  trx: Transaction<Database>,
  messageId: string,
  media: readonly MediaItem[],
  at: string,
): Promise<MediaItem[]> {
  const shown: MediaItem[] = [];
  for (const item of media) {
    const keep = item.data !== undefined || (item.url !== undefined && !item.url.startsWith('data:'));
    const id = keep ? randomUUID() : undefined;
    if (id) {
      await trx
        .insertInto('media')
        .values({
          id,
          message_id: messageId,
          content_type: item.contentType ?? null,
          name: item.name ?? null,
          size: item.size ?? null,
          data: item.data ?? null,
          url: item.data === undefined ? (item.url ?? null) : null,
          created_at: at,
        })
        .execute();
    }
    const { data: _data, url: _url, ...described } = item;
    shown.push({ ...described, ...(id ? { id } : {}) });
  }
  return shown;
}

/** A stored media item by our id (GET /media/<id>). */
export async function readMedia(db: Kysely<Database>, id: string): Promise<StoredMedia | undefined> {
  const row = await db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    messageId: row.message_id,
    ...(row.content_type ? { contentType: row.content_type } : {}),
    ...(row.name ? { name: row.name } : {}),
    ...(row.size !== null ? { size: Number(row.size) } : {}),
    ...(row.data !== null ? { data: Buffer.from(row.data, 'base64') } : {}),
    ...(row.url ? { url: row.url } : {}),
  };
}
