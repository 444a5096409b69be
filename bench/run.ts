/**
 * npm run bench [-- <scenario>… [--postgres]]: runs the named scenarios (all of them by default),
 * prints each one's table and writes its charts to docs/bench/. `--postgres` runs the ingest
 * scenario on PostgreSQL (a fresh database, and two instances on it) instead of SQLite. A scenario whose correctness check fails
 * (a lost or duplicated message) fails the run; a figure short of its target is reported, not
 * hidden, and does not.
 */
import { availableParallelism, loadavg } from 'node:os';
import { closeCharts } from './chart.ts';
import { formatReport, type ScenarioReport } from './report.ts';
import { runInbox } from './scenarios/inbox.ts';
import { runIngest } from './scenarios/ingest.ts';
import { runReceipts } from './scenarios/receipts.ts';
import { runSends } from './scenarios/sends.ts';
import { runTeamsBurst } from './scenarios/teams-burst.ts';
import { intEnv, say } from './settings.ts';

interface Flags {
  postgres: boolean;
}

const SCENARIOS: Record<string, (flags: Flags) => Promise<ScenarioReport>> = {
  'teams-burst': runTeamsBurst,
  receipts: runReceipts,
  sends: runSends,
  ingest: (flags) => runIngest({ postgres: flags.postgres }),
  inbox: runInbox,
};

const FLAGS = ['--postgres'];

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const badFlags = args.filter((a) => a.startsWith('-') && !FLAGS.includes(a));
  if (badFlags.length > 0) {
    say(`unknown option ${badFlags.join(', ')}; known: ${FLAGS.join(', ')}`);
    return 2;
  }
  const flags: Flags = { postgres: args.includes('--postgres') };
  const asked = args.filter((a) => !a.startsWith('-'));
  const unknown = asked.filter((a) => !Object.hasOwn(SCENARIOS, a));
  if (unknown.length > 0) {
    say(`unknown scenario ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
    return 2;
  }
  const names = asked.length > 0 ? asked : Object.keys(SCENARIOS);
  const timeout = setTimeout(
    () => {
      say('bench: still running after its time limit (BENCH_TIMEOUT_S); giving up');
      process.exit(3);
    },
    intEnv('BENCH_TIMEOUT_S', 1_800, 10) * 1000,
  );
  timeout.unref();
  const machine = {
    cpus: availableParallelism(),
    node: process.version,
    loadavg: loadavg().map((x) => x.toFixed(2)),
  };
  say(`machine: ${machine.cpus} CPUs, node ${machine.node}, load average ${machine.loadavg.join(' ')}`);
  const reports: ScenarioReport[] = [];
  try {
    for (const name of names) {
      say(`\n==== ${name} ====`);
      reports.push(await SCENARIOS[name]!(flags));
    }
  } finally {
    await closeCharts();
  }
  console.log('');
  for (const r of reports) console.log(`${formatReport(r)}\n`);
  console.log(
    JSON.stringify({
      machine,
      reports: reports.map(({ scenario, data, failed }) => ({ scenario, failed, data })),
    }),
  );
  return reports.some((r) => r.failed) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(2);
  },
);
