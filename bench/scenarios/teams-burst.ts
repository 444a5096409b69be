/**
 * teams-burst: bursts of customer messages into Teams, against a fake Bot Connector that answers
 * 429 above Teams' documented limits (per channel 7/1 s, 8/2 s, 60/30 s, 1,800/h for sends and
 * for creates; 30 requests a second for the app). Two bursts: 600 messages of 60 customers into
 * one channel, and 2,000 of 100 customers across four channels.
 *
 * Reports 429s, Teams operations per message, the time until every message's text was visible,
 * and the budget used while work waited: the operations made, of each kind, as a share of the most
 * the windows allow in the same time (from the burst's start to that kind's last operation).
 *
 * Environment: BENCH_BURST_SMALL (600), BENCH_BURST_LARGE (2000), BENCH_BURST_TIMEOUT_S (240).
 */
import { teamsLimits } from '../../bot/budget/teams-limits.ts';
import { writeChart } from '../chart.ts';
import { type Row, type ScenarioReport, targetRow } from '../report.ts';
import { intEnv, round, say } from '../settings.ts';
import { budgetPoints, fullness, mostWithin } from '../teams/budget-line.ts';
import { sample, startTeamsBench, type TeamsBench } from '../teams/harness.ts';

const TARGETS = { opsPerMessage: 0.3, visibleSeconds: 90, budgetUse: 0.9 };
const LIMITS = teamsLimits();

interface Burst {
  name: string;
  messages: number;
  customers: number;
  channels: number;
}

interface BurstResult {
  burst: Burst;
  /** Mean fullness of the binding window at the moments calls waited for a token. */
  waitingFullness: number;
  waitingSamples: number;
  throttled: number;
  ops: number;
  opsPerMessage: number;
  visibleSeconds: number;
  missing: number;
  duplicated: number;
  /** Per channel and kind: operations, and the share of the most the windows allowed. */
  use: Array<{ channel: string; kind: 'send' | 'create'; ops: number; share: number }>;
  chart: string;
}

const channelId = (i: number) => `19:burst-${i}@thread.tacv2`;
const businessNumber = (i: number) => `+6149157${String(1000 + i)}`;
const customerNumber = (c: number) => `+447700${String(900000 + c)}`;
const textOf = (c: number, k: number) => `Customer ${c}, message ${k}: is my order on its way?`;

async function runBurst(bench: TeamsBench, burst: Burst, timeoutMs: number): Promise<BurstResult> {
  const { h } = bench;
  for (let i = 0; i < burst.channels; i++) await bench.link(channelId(i), businessNumber(i));
  // Quiet a moment so the link answers are out of the shortest windows.
  await new Promise((r) => setTimeout(r, 2_100));
  const perCustomer = Math.ceil(burst.messages / burst.customers);
  const sends: Array<{ c: number; k: number }> = [];
  for (let k = 0; k < perCustomer; k++) {
    for (let c = 0; c < burst.customers && sends.length < burst.messages; c++) sends.push({ c, k });
  }
  const texts = sends.map(({ c, k }) => textOf(c, k));
  const start = Date.now();
  const opsBefore = h.connector.admitted.length;
  const throttledBefore = h.connector.throttled.length;
  let next = 0;
  const sender = async () => {
    while (next < sends.length) {
      const { c, k } = sends[next++] as { c: number; k: number };
      const channel = c % burst.channels;
      const status = await bench.inbound(customerNumber(c), businessNumber(channel), textOf(c, k));
      if (status !== 200) throw new Error(`the bot answered ${status} to a webhook`);
    }
  };
  await Promise.all(Array.from({ length: 32 }, sender));
  say(
    `  ${burst.name}: ${sends.length} webhooks acknowledged in ${((Date.now() - start) / 1000).toFixed(1)} s`,
  );
  let visible = 0;
  // While calls wait for a token, how full was the window that held them? Sampled every 100 ms.
  const waitingFullness: number[] = [];
  let watching = true;
  const watch = (async () => {
    while (watching) {
      const now = Date.now();
      for (const u of await h.app.budget.usageAll()) {
        for (const kind of ['send', 'create'] as const) {
          if (u[kind].waiting === 0) continue;
          waitingFullness.push(
            fullness(h.connector.admitted, u.thread, kind, LIMITS.perThread[kind], LIMITS.perApp, now),
          );
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const visibleOverTime = await sample(
    start,
    () => {
      const lines = bench.shownLines();
      visible = texts.filter((t) => lines.has(t)).length;
      return visible;
    },
    () => visible === texts.length,
    timeoutMs,
    250,
  );
  watching = false;
  await watch;
  const visibleSeconds = visibleOverTime.at(-1)?.[0] ?? Number.NaN;
  const cards = bench.shown();
  const counts = new Map<string, number>();
  for (const card of cards)
    for (const line of new Set(card.text.split('\n'))) counts.set(line, (counts.get(line) ?? 0) + 1);
  const missing = texts.filter((t) => !counts.has(t)).length;
  const duplicated = texts.filter((t) => (counts.get(t) ?? 0) > 1).length;
  const ops = h.connector.admitted.slice(opsBefore).filter((a) => a.kind !== 'read');
  const use: BurstResult['use'] = [];
  for (let i = 0; i < burst.channels; i++) {
    for (const kind of ['create', 'send'] as const) {
      const mine = ops.filter((o) => o.thread === channelId(i) && o.kind === kind);
      if (mine.length === 0) continue;
      const lastMs = Math.max(...mine.map((o) => o.at - start));
      use.push({
        channel: channelId(i),
        kind,
        ops: mine.length,
        share: mine.length / mostWithin(LIMITS.perThread[kind], lastMs),
      });
    }
  }
  const horizonMs = Math.max(1_000, visibleSeconds * 1000);
  const opsOverTime = ops.map((o, i) => [(o.at - start) / 1000, i + 1] as [number, number]);
  // Per channel, sends and creates each have their windows; the app's limit caps all channels.
  const channelLine = budgetPoints(LIMITS.perThread.send, horizonMs).map(
    ([t, n]) => [t, n * 2 * burst.channels] as [number, number],
  );
  const chart = await writeChart(`teams-burst-${burst.name}`, {
    title: `Teams burst: ${burst.messages} messages, ${burst.customers} customers, ${burst.channels} channel${burst.channels > 1 ? 's' : ''}`,
    xLabel: 'seconds since the first webhook',
    yLabel: 'messages / operations',
    series: [
      { label: 'messages visible in Teams', points: visibleOverTime, steps: true },
      { label: 'Teams operations made', points: opsOverTime, steps: true },
      { label: 'most operations the channels allow', points: channelLine, dashed: true, steps: true },
      ...(burst.channels > 1
        ? [
            {
              label: "the app's limit (30/s)",
              points: budgetPoints(LIMITS.perApp, horizonMs),
              dashed: true,
              steps: true,
            },
          ]
        : []),
    ],
  });
  return {
    burst,
    waitingFullness:
      waitingFullness.length > 0 ? waitingFullness.reduce((a, b) => a + b, 0) / waitingFullness.length : 1,
    waitingSamples: waitingFullness.length,
    throttled: h.connector.throttled.length - throttledBefore,
    ops: ops.length,
    opsPerMessage: ops.length / texts.length,
    visibleSeconds,
    missing,
    duplicated,
    use,
    chart,
  };
}

export async function runTeamsBurst(): Promise<ScenarioReport> {
  const bursts: Burst[] = [
    { name: 'one-channel', messages: intEnv('BENCH_BURST_SMALL', 600, 1), customers: 60, channels: 1 },
    { name: 'four-channels', messages: intEnv('BENCH_BURST_LARGE', 2_000, 1), customers: 100, channels: 4 },
  ];
  const timeoutMs = intEnv('BENCH_BURST_TIMEOUT_S', 240, 10) * 1000;
  const results: BurstResult[] = [];
  for (const burst of bursts) {
    // A bot of its own per burst: fresh store, fresh budget, a fresh throttling connector.
    const bench = await startTeamsBench();
    try {
      results.push(await runBurst(bench, burst, timeoutMs));
    } finally {
      await bench.close();
    }
  }
  const rows: Row[] = [];
  for (const r of results) {
    const label = `${r.burst.messages} msgs / ${r.burst.customers} customers / ${r.burst.channels} ch`;

    rows.push(
      targetRow(`${label}: 429s`, String(r.throttled), '0', r.throttled === 0),
      targetRow(
        `${label}: Teams operations per message`,
        r.opsPerMessage.toFixed(3),
        `<= ${TARGETS.opsPerMessage}`,
        r.burst.channels === 1 ? r.opsPerMessage <= TARGETS.opsPerMessage : undefined,
      ),
      targetRow(
        `${label}: seconds until every message visible`,
        r.visibleSeconds.toFixed(1),
        `<= ${TARGETS.visibleSeconds} s`,
        r.burst.channels === 1 ? r.visibleSeconds <= TARGETS.visibleSeconds : undefined,
      ),
      targetRow(
        `${label}: binding window used while calls waited`,
        `${(r.waitingFullness * 100).toFixed(0)}%`,
        `>= ${TARGETS.budgetUse * 100}%`,
        r.waitingFullness >= TARGETS.budgetUse,
      ),
      {
        figure: `${label}: operations (share of the most the windows allowed until the last)`,
        value: r.use.map((u) => `${u.kind} ${u.ops} (${(u.share * 100).toFixed(0)}%)`).join(', '),
        note: `${r.waitingSamples} samples of waiting calls`,
      },
    );
  }
  const failed = results
    .filter((r) => r.missing > 0 || r.duplicated > 0)
    .map((r) => `${r.burst.name}: ${r.missing} messages never shown, ${r.duplicated} shown twice`)
    .join('; ');
  return {
    scenario: 'teams-burst',
    title: 'teams-burst (fake Bot Connector throttling at Teams’ documented limits)',
    rows,
    charts: results.map((r) => r.chart),
    ...(failed ? { failed } : {}),
    data: {
      bursts: results.map((r) => ({
        ...r.burst,
        throttled: r.throttled,
        ops: r.ops,
        opsPerMessage: round(r.opsPerMessage, 3),
        visibleSeconds: round(r.visibleSeconds, 1),
        missing: r.missing,
        duplicated: r.duplicated,
        use: r.use.map((u) => ({ ...u, share: round(u.share, 3) })),
        waitingFullness: round(r.waitingFullness, 3),
        waitingSamples: r.waitingSamples,
      })),
    },
  };
}
