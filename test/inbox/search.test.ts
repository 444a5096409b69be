/**
 * Both ways the Inbox matches words (a list of conversation ids for a rare word, a check per
 * conversation for a common one) find the same conversations, with % and _ taken literally.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedInbox } from '../../bench/inbox-seed.ts';
import { matches, planSearch } from '../../bot/inbox/search.ts';
import type { KyselyStore } from '../../bot/store/kysely-store.ts';
import { openSqliteStore } from '../../bot/store/sqlite.ts';

describe('search', () => {
  let dir: string;
  let store: KyselyStore;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'textbridge-search-'));
    store = await openSqliteStore(path.join(dir, 'store.sqlite'));
    await seedInbox(store.db, {
      threads: 200,
      messages: 2000,
      channels: ['19:a@thread.tacv2'],
      agentId: 'me',
    });
    await store.db
      .insertInto('notes')
      .values({
        id: 'n1',
        thread_id: 't000007',
        body: 'Prefers 50%_off coupons',
        author_name: 'Megan',
        author_id: null,
        teams_activity_id: 'a1',
        created_at: '2026-01-02T00:00:00.000Z',
      })
      .execute();
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const found = async (query: string, rareLimit?: number) => {
    const plan = await planSearch(store.db, query, rareLimit);
    const rows = await store.db
      .selectFrom('threads as t')
      .select('t.id')
      .where((eb) => matches(eb, plan))
      .orderBy('t.id')
      .execute();
    return { words: plan.words, ids: rows.map((r) => r.id) };
  };

  it('finds the same conversations by either way', async () => {
    for (const word of ['refund', 'parcel urgent', '#1999', 'nothing like this']) {
      const byIds = await found(word);
      const byEach = await found(word, 0);
      expect(byIds.words).toBe('ids');
      expect(byEach.words).toBe(word === 'nothing like this' ? 'ids' : 'each');
      expect(byEach.ids).toEqual(byIds.ids);
    }
    expect((await found('refund')).ids.length).toBeGreaterThan(100);
  });

  it('matches notes, numbers as typed and agent names; % and _ are literal', async () => {
    expect((await found('50%_off')).ids).toEqual(['t000007']);
    expect((await found('5%off')).ids).toEqual([]);
    expect((await found('+1 555-000 042')).ids).toEqual(['t000042']);
    expect((await found('alex wil')).ids.length).toBeGreaterThan(0);
  });
});
