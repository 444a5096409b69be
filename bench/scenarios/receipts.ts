/**
 * receipts: agents answer 20 customers (one channel), then 200 (four channels); as soon as each
 * answer is at Sinch its receipts come fast, as Sinch sends them: enroute, submitted, delivered,
 * 100 ms apart. Reports Teams card updates per answer (its card posted, then updated as its status
 * moves) and whether any card ever showed a status going backwards. Teams' documented limits,
 * enforced by the fake Bot Connector.
 *
 * Environment: BENCH_RECEIPTS_SMALL (20), BENCH_RECEIPTS_LARGE (200).
 */

import { cardText } from '../../test/helpers/cards.ts';
import { eventually } from '../../test/helpers/wait.ts';
import { type Row, type ScenarioReport, targetRow } from '../report.ts';
import { intEnv, round, say } from '../settings.ts';
import { startTeamsBench } from '../teams/harness.ts';
import { answerAll, customerThreads } from '../teams/replies.ts';

const TARGET_UPDATES = 1.2;
const ORDER = ['Queued', 'Sent', 'Delivered'];

/** The status a version of an outbound card shows (its ● word). */
function statusOf(text: string): number {
  const word = /● (\w+)/.exec(text)?.[1] ?? '';
  return ORDER.indexOf(word);
}

async function run(answers: number, channels: number) {
  const bench = await startTeamsBench();
  try {
    const threads = await customerThreads(bench, answers, channels);
    const { h } = bench;
    const texts = await answerAll(bench, threads);
    const pushed = new Set<string>();
    const start = Date.now();
    // Receipts as Sinch sends them, each answer's three 100 ms apart, as soon as it is at Sinch.
    const receipts: Array<Promise<void>> = [];
    await eventually(
      'every answer at Sinch with its receipts sent',
      () => {
        for (const m of h.sinch.sent) {
          if (pushed.has(m.message_id)) continue;
          pushed.add(m.message_id);
          receipts.push(
            (async () => {
              for (const [status, code] of [
                ['enroute', '211'],
                ['submitted', '212'],
                ['delivered', '220'],
              ] as const) {
                await h.sinch.deliver(m.message_id, status, code);
                await new Promise((r) => setTimeout(r, 100));
              }
            })(),
          );
        }
        return pushed.size >= answers;
      },
      180_000,
    );
    await Promise.all(receipts);
    const cardOf = (text: string) =>
      [...h.connector.activities.values()].find((a) => cardText(a.activity).includes(text));
    await eventually(
      'every answer card at Delivered',
      () => texts.every((t) => cardText(cardOf(t)?.activity).includes('Delivered')),
      240_000,
    );
    const cards = texts.map((t) => cardOf(t));
    const updates = cards.reduce((n, c) => n + (c?.updates ?? 0), 0);
    const regressions = cards.filter((c) => {
      const seen = (c?.history ?? []).map((v) => statusOf(cardText(v)));
      return seen.some((s, i) => i > 0 && s < (seen[i - 1] ?? -1));
    }).length;
    say(`  receipts: ${answers} answers delivered in ${((Date.now() - start) / 1000).toFixed(1)} s`);
    return {
      answers,
      channels,
      updates,
      perAnswer: updates / answers,
      regressions,
      throttled: h.connector.throttled.length,
    };
  } finally {
    await bench.close();
  }
}

export async function runReceipts(): Promise<ScenarioReport> {
  const runs = [
    await run(intEnv('BENCH_RECEIPTS_SMALL', 20, 1), 1),
    await run(intEnv('BENCH_RECEIPTS_LARGE', 200, 1), 4),
  ];
  const rows: Row[] = runs.flatMap((r) => [
    targetRow(
      `${r.answers} answers: card updates per answer`,
      r.perAnswer.toFixed(2),
      `<= ${TARGET_UPDATES}`,
      r.perAnswer <= TARGET_UPDATES,
    ),
    targetRow(
      `${r.answers} answers: cards whose status went backwards`,
      String(r.regressions),
      '0',
      r.regressions === 0,
    ),
    targetRow(`${r.answers} answers: 429s`, String(r.throttled), '0', r.throttled === 0),
  ]);
  return {
    scenario: 'receipts',
    title: 'receipts (enroute, submitted, delivered 100 ms apart; Teams’ documented limits)',
    rows,
    charts: [],
    data: { runs: runs.map((r) => ({ ...r, perAnswer: round(r.perAnswer, 3) })) },
  };
}
