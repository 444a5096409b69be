/**
 * sends: 200 agent answers at once (one per customer thread) go to Sinch. Reports the Sinch calls
 * (POST /v1/messages), messages per call, the time from the answers to the last message at Sinch,
 * and the most calls in any minute against SINCH_RATE_LIMIT (the bot's default, 100).
 *
 * Environment: BENCH_SENDS (200).
 */

import { eventually } from '../../test/helpers/wait.ts';
import { type Row, type ScenarioReport, targetRow } from '../report.ts';
import { intEnv, round, say } from '../settings.ts';
import { startTeamsBench } from '../teams/harness.ts';
import { answerAll, customerThreads } from '../teams/replies.ts';

const TARGETS = { calls: 5, seconds: 5 };
const SINCH_RATE_LIMIT = 100;

export async function runSends(): Promise<ScenarioReport> {
  const n = intEnv('BENCH_SENDS', 200, 1);
  const bench = await startTeamsBench({ sinchRatePerMinute: SINCH_RATE_LIMIT });
  try {
    const threads = await customerThreads(bench, n, 4);
    say(`  sends: ${n} customer threads ready`);
    const sinch = bench.h.sinch;
    const callsBefore = sinch.requests.length;
    const start = Date.now();
    await answerAll(bench, threads);
    const acceptedSeconds = (Date.now() - start) / 1000;
    say(`  sends: the bot took the ${n} answers in ${acceptedSeconds.toFixed(2)} s`);
    await eventually('every answer at Sinch', () => sinch.sent.length >= n, 120_000);
    const calls = sinch.requests
      .slice(callsBefore)
      .filter((r) => r.method === 'POST' && r.path === '/v1/messages');
    const sizes = calls.map((c) => ((c.body as { messages?: unknown[] })?.messages ?? []).length);
    const lastAt = Math.max(...calls.map((c) => c.at));
    const seconds = (lastAt - start) / 1000;
    const perMinute = Math.max(
      ...calls.map((c) => calls.filter((d) => d.at > c.at - 60_000 && d.at <= c.at).length),
    );
    const throttled = bench.h.connector.throttled.length;
    const rows: Row[] = [
      targetRow(
        `${n} answers at once: Sinch calls`,
        String(calls.length),
        `<= ${TARGETS.calls}`,
        calls.length <= TARGETS.calls,
      ),
      { figure: 'messages per call', value: sizes.join(', '), note: `largest ${Math.max(...sizes)}` },
      { figure: 'seconds until the bot had taken every answer', value: acceptedSeconds.toFixed(2) },
      targetRow(
        'seconds until all at Sinch',
        seconds.toFixed(2),
        `<= ${TARGETS.seconds} s`,
        seconds <= TARGETS.seconds,
      ),
      targetRow(
        'most Sinch calls in a minute',
        String(perMinute),
        `<= SINCH_RATE_LIMIT (${SINCH_RATE_LIMIT})`,
        perMinute <= SINCH_RATE_LIMIT,
      ),
      targetRow('Teams 429s (threads, answers, cards)', String(throttled), '0', throttled === 0),
    ];
    const sentOnce = new Set(sinch.sent.map((m) => m.content)).size === sinch.sent.length;
    return {
      scenario: 'sends',
      title: 'sends (fake Sinch; the bot as configured by default: 100 calls a minute)',
      rows,
      charts: [],
      ...(sentOnce && sinch.sent.length === n
        ? {}
        : { failed: `${sinch.sent.length} messages at Sinch for ${n} answers` }),
      data: {
        answers: n,
        calls: calls.length,
        sizes,
        seconds: round(seconds, 2),
        acceptedSeconds: round(acceptedSeconds, 2),
        perMinute,
        throttled,
      },
    };
  } finally {
    await bench.close();
  }
}
