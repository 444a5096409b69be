/**
 * Several bot instances on one PostgreSQL database, as stores: concurrent claims take every job
 * once and keep each lane in order, a commit on one instance wakes the others' workers and Inboxes
 * (LISTEN/NOTIFY), migrations run once when instances start together, a dead instance's leases
 * are taken over, and a restarted instance takes back only its own.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, type PostgresStore } from '../../bot/store/postgres.ts';
import { createTestDatabase, postgresServer, type TestDatabase } from '../helpers/postgres.ts';
import { eventually } from '../helpers/wait.ts';

const describePg = postgresServer ? describe : describe.skip;

describePg('several instances on one PostgreSQL database', () => {
  let database: TestDatabase;
  const opened: PostgresStore[] = [];

  const open = async (instanceId: string) => {
    const store = await openPostgresStore(database.url, { poolSize: 4, instanceId });
    opened.push(store);
    return store;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('applies the migrations once when instances start together', async () => {
    const stores = await Promise.all(['a', 'b', 'c'].map(open));
    for (const s of stores) await expect(s.ready()).resolves.toBeUndefined();
    const applied = await stores[0]!.db
      .selectFrom('kysely_migration' as never)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const names = await stores[0]!.db
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute();
    expect(Number((applied as { n: number }).n)).toBe(names.length);
    expect(new Set(names.map((r) => (r as { name: string }).name)).size).toBe(names.length);
  });

  it('gives every job to exactly one instance, one at a time per lane and in order', async () => {
    const [a, b] = [await open('a'), await open('b')];
    await a.db.deleteFrom('jobs').execute();
    const lanes = 12;
    const perLane = 15;
    for (let i = 0; i < perLane; i++) {
      for (let l = 0; l < lanes; l++) await a.enqueue({ kind: 'send', lane: `lane-${l}`, ref: `${l}:${i}` });
    }
    const ran: string[] = [];
    const runningPerLane = new Map<string, number>();
    let overlap = false;
    const work = async (store: PostgresStore, owner: string) => {
      for (let idle = 0; idle < 5; ) {
        const jobs = await store.claimJobs(owner, 4, 60_000);
        if (jobs.length === 0) {
          idle++;
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        idle = 0;
        await Promise.all(
          jobs.map(async (job) => {
            const n = (runningPerLane.get(job.lane) ?? 0) + 1;
            runningPerLane.set(job.lane, n);
            if (n > 1) overlap = true;
            await new Promise((r) => setTimeout(r, Math.random() * 5));
            ran.push(job.ref);
            runningPerLane.set(job.lane, (runningPerLane.get(job.lane) ?? 1) - 1);
            await store.completeJob(job.id);
          }),
        );
      }
    };
    await Promise.all([work(a, 'a'), work(b, 'b'), work(a, 'a2'), work(b, 'b2')]);
    expect(overlap).toBe(false);
    expect(ran).toHaveLength(lanes * perLane);
    expect(new Set(ran).size).toBe(lanes * perLane);
    for (let l = 0; l < lanes; l++) {
      const order = ran.filter((r) => r.startsWith(`${l}:`)).map((r) => Number(r.split(':')[1]));
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
  });

  it('reads back the thread another instance created while its webhook was being written', async () => {
    const a = await open('a');
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    try {
      // Another instance's transaction created the customer's thread and has not committed yet.
      await other.query('begin');
      await other.query(
        `insert into threads (id, provider, business_number, customer_number, channel, opted_out, created_at, updated_at)
         values ('thread-of-b', 'sinch', '+61491570000', '+61491570199', 'sms', 0, 'now', 'now')`,
      );
      const written = a.ingest([
        {
          kind: 'inbound',
          provider: 'sinch',
          providerMessageId: 'race-1',
          from: '+61491570199',
          to: '+61491570000',
          channel: 'whatsapp',
          text: 'Hello from both sides',
          media: [],
          receivedAt: '2025-01-01T10:00:00.000Z',
          raw: {},
        },
      ]);
      // a waits for the other transaction on the thread's unique key, then reads its thread.
      await new Promise((r) => setTimeout(r, 200));
      await other.query('commit');
      const [outcome] = await written;
      const message = await a.getMessage(outcome?.messageId ?? '');
      expect(message?.threadId).toBe('thread-of-b');
      expect(await a.getThread('thread-of-b')).toMatchObject({ channel: 'whatsapp' });
      const threads = await a.db
        .selectFrom('threads')
        .select('id')
        .where('customer_number', '=', '+61491570199')
        .execute();
      expect(threads).toEqual([{ id: 'thread-of-b' }]);
    } finally {
      await other.end();
    }
  });

  it("wakes the other instance's worker and Inbox when one commits", async () => {
    const [a, b] = [await open('a'), await open('b')];
    let woken = 0;
    let changed = 0;
    b.setOnEnqueue(() => woken++);
    const off = b.changes.subscribe(() => changed++);
    await a.enqueue({ kind: 'send', lane: 'wake', ref: 'w1' });
    await eventually('b woken', async () => woken > 0 && changed > 0);
    off();
    // Its own commits do not come back to it as notices: one wake-up per commit.
    const before = woken;
    await b.enqueue({ kind: 'send', lane: 'wake', ref: 'w2' });
    await new Promise((r) => setTimeout(r, 200));
    expect(woken).toBe(before + 1);
  });

  it("takes over a dead instance's jobs once their lease ran out, and counts it", async () => {
    const [a, b] = [await open('a'), await open('b')];
    await a.db.deleteFrom('jobs').execute();
    await a.enqueue({ kind: 'send', lane: 'takeover', ref: 't1' });
    const [taken] = await a.claimJobs('instance-a', 10, 300);
    expect(taken?.ref).toBe('t1');
    // Instance a dies: nothing renews its lease.
    expect(await b.claimJobs('instance-b', 10, 60_000)).toEqual([]);
    // Claims look for ran-out leases every 5 s: well within the minute a take-over may take.
    const again = await eventually('the job taken over', async () => {
      const jobs = await b.claimJobs('instance-b', 10, 60_000);
      if (jobs.length > 0) return jobs;
      await new Promise((r) => setTimeout(r, 200));
      return undefined;
    });
    expect(again.map((j) => j.ref)).toEqual(['t1']);
    expect(again[0]?.attempts).toBe(2);
    expect(b.leaseTakeovers).toBe(1);
  }, 20_000);

  it('lets a restarted instance take back its own leases only', async () => {
    const [a, b] = [await open('a'), await open('b')];
    await a.db.deleteFrom('jobs').execute();
    await a.enqueue({ kind: 'send', lane: 'own-a', ref: 'mine' });
    await a.enqueue({ kind: 'send', lane: 'own-b', ref: 'theirs' });
    const claimedA = await a.claimJobs('instance-a', 1, 600_000);
    await b.claimJobs('instance-b', 1, 600_000);
    expect(await a.releaseLeases({ kind: 'not-a-job' }, 'instance-a')).toBe(1);
    const rows = await a.db.selectFrom('jobs').select(['ref', 'state', 'attempts']).orderBy('id').execute();
    expect(rows).toEqual([
      { ref: claimedA[0]?.ref, state: 'pending', attempts: 0 },
      { ref: claimedA[0]?.ref === 'mine' ? 'theirs' : 'mine', state: 'running', attempts: 1 },
    ]);
  });
});
