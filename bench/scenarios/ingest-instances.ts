/**
 * ingest --postgres, second part: a second bot instance on the same database, and webhooks spread
 * over both (as a load balancer would) against the first instance alone, in alternating rounds at
 * the same total concurrency. What two instances add on a machine is what the database and the
 * cores left over allow: on the 2-core benchmark machine the two instances, PostgreSQL and the load
 * generator share the same two cores.
 */
import type { Pool } from 'undici';
import { type Service, stopService } from '../children.ts';
import { closedLoop, createPool, type PayloadFactory, type RunResult } from '../load.ts';
import type { Row } from '../report.ts';
import { median, say } from '../settings.ts';

export interface InstancesResult {
  /** Webhooks/s through both instances together, median of rounds. */
  bothRate: number;
  /** Webhooks/s through the first instance alone in the same rounds, median. */
  oneRate: number;
  rounds: Array<{ one: number; both: number }>;
  acknowledged: number;
  failed: number;
}

interface InstanceSettings {
  requests: number;
  rounds: number;
  concurrency: number;
  warmup: number;
}

const perSecond = (ok: number, ms: number) => ok / (ms / 1000);

export async function twoInstances(
  launch: (name: string) => Promise<Service>,
  firstPool: Pool,
  factory: PayloadFactory,
  s: InstanceSettings,
  secret: string,
): Promise<InstancesResult> {
  const second = await launch('bot-2');
  const secondPool = createPool(second.url, s.concurrency);
  const half = Math.max(1, Math.floor(s.concurrency / 2));
  const perRound = Math.ceil(s.requests / s.rounds);
  let acknowledged = 0;
  let failed = 0;
  const count = (...runs: RunResult[]) => {
    for (const r of runs) {
      acknowledged += r.ok;
      failed += r.requests - r.ok;
    }
  };
  try {
    count(await closedLoop(secondPool, factory.batch(s.warmup), secret, s.concurrency));
    const rounds: InstancesResult['rounds'] = [];
    for (let i = 0; i < s.rounds; i++) {
      const alone = async () => {
        const r = await closedLoop(firstPool, factory.batch(perRound), secret, s.concurrency);
        count(r);
        return perSecond(r.ok, r.elapsedMs);
      };
      // Half the webhooks to each instance, each at half the concurrency: the same total load.
      const both = async () => {
        const started = process.hrtime.bigint();
        const runs = await Promise.all([
          closedLoop(firstPool, factory.batch(Math.ceil(perRound / 2)), secret, half),
          closedLoop(secondPool, factory.batch(Math.floor(perRound / 2)), secret, half),
        ]);
        count(...runs);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        return perSecond(runs[0].ok + runs[1].ok, ms);
      };
      const round =
        i % 2 === 0 ? { one: await alone(), both: await both() } : { both: await both(), one: await alone() };
      say(
        `  instances round ${i + 1}: one instance ${round.one.toFixed(0)}/s, two instances ${round.both.toFixed(0)}/s`,
      );
      rounds.push(round);
    }
    return {
      bothRate: median(rounds.map((r) => r.both)),
      oneRate: median(rounds.map((r) => r.one)),
      rounds,
      acknowledged,
      failed,
    };
  } finally {
    await secondPool.close();
    await stopService(second);
  }
}

export function instanceRows(r: InstancesResult, concurrency: number): Row[] {
  return [
    {
      figure: 'webhooks/s, two instances on one database (median of rounds)',
      value: r.bothRate.toFixed(0),
      note: `half of concurrency ${concurrency} to each`,
    },
    { figure: 'webhooks/s, one instance in the same rounds', value: r.oneRate.toFixed(0) },
    {
      figure: 'two instances / one instance',
      value: (r.bothRate / r.oneRate).toFixed(2),
      note: r.failed > 0 ? `${r.failed} webhooks not acknowledged` : 'every webhook acknowledged',
    },
  ];
}
