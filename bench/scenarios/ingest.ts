/**
 * ingest: the bot and a bare restify route, each in its own process, loaded over loopback from
 * this one with documented Sinch inbound webhooks. Measures acknowledged webhooks per second at
 * fixed concurrency against the bare route in the same run, latency at a fixed rate, the WAL
 * under load and idle, memory, bytes on disk, and that every acknowledged webhook is stored.
 *
 * The machine is shared: the bot and the bare route are measured in alternating rounds (bot then
 * bare, then bare then bot, …) and the ratio is the median of the rounds' ratios, so a neighbour's
 * burst of work lowers one round of each rather than one side.
 *
 * Environment: BENCH_REQUESTS (20000 webhooks to the bot, as many to the bare route),
 * BENCH_ROUNDS (5), BENCH_CONCURRENCY (32), BENCH_WARMUP (1000), BENCH_RATE (1000 req/s),
 * BENCH_RATE_SECONDS (10), BENCH_CUSTOMERS (500), BENCH_IDLE_S (6: the idle wait before the
 * idle figures), BENCH_PROFILE=1 (a CPU profile of every thread of the bot; saturated rounds
 * only), BENCH_SQL_STATS=1 (time of every SQL statement; saturated rounds only), BENCH_SOURCE=1
 * (the bot from source instead of built), BENCH_KEEP_DATA=1.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import { buildBot, sqlStatsPreload, startFlags } from '../built-bot.ts';
import { cdfChart } from '../chart.ts';
import {
  cpuMs,
  freePort,
  RssSampler,
  rssBytes,
  type Service,
  spawnService,
  stopService,
  waitReady,
} from '../children.ts';
import { closedLoop, createPool, fixedRate, PayloadFactory, type RunResult, summarize } from '../load.ts';
import { countStoredRows, createBenchDatabase, type StoredRows } from '../postgres.ts';
import { formatSummary, summarizeProfile, type Window } from '../profile-summary.ts';
import { type Row, type ScenarioReport, targetRow } from '../report.ts';
import { flagEnv, intEnv, mb, median, round, say } from '../settings.ts';
import { formatSqlStats } from '../sql-stats-report.ts';
import { instanceRows, twoInstances } from './ingest-instances.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WEBHOOK_SECRET = 'bench-webhook-secret-0123456789';

const TARGETS = { ratio: 0.6, p99AtRateMs: 25, rssIdleMb: 150, rssAfterMb: 170, walMb: 16 };

function settingsFromEnv() {
  return {
    requests: intEnv('BENCH_REQUESTS', 20_000, 1),
    rounds: intEnv('BENCH_ROUNDS', 5, 1),
    concurrency: intEnv('BENCH_CONCURRENCY', 32, 1),
    warmup: intEnv('BENCH_WARMUP', 1_000, 0),
    rate: intEnv('BENCH_RATE', 1_000, 1),
    rateSeconds: intEnv('BENCH_RATE_SECONDS', 10, 1),
    customers: intEnv('BENCH_CUSTOMERS', 500, 1),
    idleSeconds: intEnv('BENCH_IDLE_S', 6, 1),
    profile: flagEnv('BENCH_PROFILE'),
    sqlStats: flagEnv('BENCH_SQL_STATS'),
    fromSource: flagEnv('BENCH_SOURCE'),
    keepData: flagEnv('BENCH_KEEP_DATA'),
  };
}

type Settings = ReturnType<typeof settingsFromEnv>;

const perSecond = (run: RunResult) => run.ok / (run.elapsedMs / 1000);

function describe(label: string, run: RunResult): void {
  const l = summarize(run.latencies);
  const other = Object.entries(run.other)
    .map(([s, n]) => `${n}x${s}`)
    .join(', ');
  say(
    `  ${label}: ${run.ok}/${run.requests} in ${(run.elapsedMs / 1000).toFixed(2)} s ` +
      `(${perSecond(run).toFixed(0)} req/s), p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms` +
      (other ? `, non-200: ${other}` : '') +
      (run.failed ? `, no answer: ${run.failed} (${run.firstError})` : ''),
  );
}

/** The WAL's size now (0 when SQLite removed or truncated it). */
function walBytes(dbFile: string): number {
  try {
    return statSync(`${dbFile}-wal`).size;
  } catch {
    return 0;
  }
}

/** Samples the WAL's size while load runs and keeps the largest (0 on PostgreSQL: no file of ours). */
function walSampler(dbFile: string | undefined, everyMs = 100) {
  if (dbFile === undefined) return { stop: () => 0 };
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, walBytes(dbFile));
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, walBytes(dbFile));
    },
  };
}

interface Stored {
  events: number;
  messages: number;
  jobs: number;
  threads: number;
  jobsByState: Record<string, number>;
}

function countStored(dbFile: string): Stored {
  const db = new Sqlite(dbFile, { readonly: true, fileMustExist: true });
  try {
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const byState = db.prepare('SELECT state, count(*) AS n FROM jobs GROUP BY state').all() as Array<{
      state: string;
      n: number;
    }>;
    return {
      events: count('events'),
      messages: count('messages'),
      jobs: count('jobs'),
      threads: count('threads'),
      jobsByState: Object.fromEntries(byState.map((r) => [r.state, r.n])),
    };
  } finally {
    db.close();
  }
}

function startBot(
  s: Settings,
  work: string,
  dataDir: string,
  profileDir: string,
  sqlStatsFile: string,
  storeEnv: Record<string, string> = {},
) {
  return async (name = 'bot') => {
    const port = await freePort();
    const entry = s.fromSource ? path.join(ROOT, 'bot/main.ts') : buildBot(ROOT);
    say(`bot: ${s.fromSource ? 'from source (tsx)' : `built, node ${startFlags(ROOT).join(' ')}`}`);
    const bot = spawnService({
      name,
      entry,
      port,
      cwd: work,
      nodeFlags: [
        ...(s.fromSource ? [] : startFlags(ROOT)),
        ...(s.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ],
      env: {
        ...(s.sqlStats
          ? {
              BENCH_SQL_STATS_FILE: sqlStatsFile,
              NODE_OPTIONS: `--require ${await sqlStatsPreload(ROOT, work)}`,
            }
          : {}),
        PORT: String(port),
        HOST: '127.0.0.1',
        // Each instance has a DATA_DIR of its own (its record of how it last stopped).
        DATA_DIR: name === 'bot' ? dataDir : `${dataDir}-${name}`,
        LOG_LEVEL: 'warn',
        SINCH_API_KEY: 'k'.repeat(20),
        SINCH_API_SECRET: 's'.repeat(30),
        SINCH_BASE_URL: 'http://127.0.0.1:9',
        SINCH_WEBHOOK_SECRET: WEBHOOK_SECRET,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        ...storeEnv,
        ...(storeEnv['DATABASE_URL'] ? { INSTANCE_ID: name } : {}),
      },
    });
    const readyAfter = await waitReady(bot, '/readyz', (status) => status === 200);
    say(`${name}: pid ${bot.pid} ready on ${bot.url} after ${(readyAfter / 1000).toFixed(1)} s`);
    return bot;
  };
}

async function startBare(work: string): Promise<Service> {
  const port = await freePort();
  const bare = spawnService({
    name: 'bare',
    entry: path.join(ROOT, 'bench/bare-server.ts'),
    port,
    cwd: work,
    env: { PORT: String(port), HOST: '127.0.0.1' },
  });
  await waitReady(bare, '/readyz', () => true);
  say(`bare: pid ${bare.pid} ready on ${bare.url}`);
  return bare;
}

export interface IngestOptions {
  /** The bot on PostgreSQL (a fresh database), plus two instances on one database. */
  postgres?: boolean;
}

export async function runIngest(options: IngestOptions = {}): Promise<ScenarioReport> {
  const s = settingsFromEnv();
  const database = options.postgres ? await createBenchDatabase() : undefined;
  const storeEnv: Record<string, string> = database ? { DATABASE_URL: database.url } : {};
  const diagnosing = s.profile || s.sqlStats;
  const work = mkdtempSync(path.join(tmpdir(), 'textbridge-bench-'));
  const dataDir = path.join(work, 'data');
  const dbFile = path.join(dataDir, 'textbridge.sqlite');
  const profileDir = path.join(work, 'profile');
  const sqlStatsFile = path.join(work, 'sql-stats.json');
  const factory = new PayloadFactory(s.customers);
  const perRound = Math.ceil(s.requests / s.rounds);
  say(
    `ingest: ${s.rounds} rounds of ${perRound} webhooks to the bot and to the bare route at concurrency ` +
      `${s.concurrency}, then ${s.rate} req/s for ${s.rateSeconds} s; ${s.customers} customers; work dir ${work}`,
  );
  try {
    const launch = startBot(s, work, dataDir, profileDir, sqlStatsFile, storeEnv);
    const bot = await launch(database ? 'bot-1' : 'bot');
    const bare = await startBare(work);
    await sleep(2_000);
    const rssIdle = rssBytes(bot.pid);
    say(`bot: RSS idle ${mb(rssIdle).toFixed(1)} MB`);

    const botPool = createPool(bot.url, s.concurrency);
    const barePool = createPool(bare.url, s.concurrency);
    const load = (pool: typeof botPool, n: number) =>
      closedLoop(pool, factory.batch(n), WEBHOOK_SECRET, s.concurrency);
    const botWarm = await load(botPool, s.warmup);
    describe('bot warm-up', botWarm);
    describe('bare warm-up', await load(barePool, s.warmup));

    const sampler = new RssSampler(bot.pid, 250);
    sampler.start();
    const wal = walSampler(database ? undefined : dbFile);
    const botRuns: RunResult[] = [];
    const bareRuns: RunResult[] = [];
    let botMs = 0;
    const loadWindow = { fromUs: Number(process.hrtime.bigint() / 1000n), toUs: 0 };
    // CPU time per request (µs), which a neighbour's load changes far less than throughput.
    const cpu = { botMain: 0, botOthers: 0, bare: 0, botRequests: 0, bareRequests: 0 };
    for (let i = 0; i < s.rounds; i++) {
      // Alternate which side goes first, so a trend in the machine's load favours neither.
      const order = i % 2 === 0 ? (['bot', 'bare'] as const) : (['bare', 'bot'] as const);
      for (const side of order) {
        const service = side === 'bot' ? bot : bare;
        const before = cpuMs(service.pid);
        const run = await load(side === 'bot' ? botPool : barePool, perRound);
        const after = cpuMs(service.pid);
        (side === 'bot' ? botRuns : bareRuns).push(run);
        if (before && after && side === 'bot') {
          cpu.botMain += after.main - before.main;
          cpu.botOthers += after.others - before.others;
          cpu.botRequests += run.requests;
        } else if (before && after) {
          cpu.bare += after.main + after.others - before.main - before.others;
          cpu.bareRequests += run.requests;
        }
        if (side === 'bot') botMs += run.elapsedMs;
        describe(`round ${i + 1} ${side}`, run);
      }
    }
    loadWindow.toUs = Number(process.hrtime.bigint() / 1000n);
    const us = (ms: number, n: number) => (n > 0 ? (ms * 1000) / n : Number.NaN);
    const cpuPerRequest = {
      botMain: us(cpu.botMain, cpu.botRequests),
      botOthers: us(cpu.botOthers, cpu.botRequests),
      bare: us(cpu.bare, cpu.bareRequests),
    };
    say(
      `  CPU per request: bot main thread ${cpuPerRequest.botMain.toFixed(0)} µs, bot other threads ` +
        `${cpuPerRequest.botOthers.toFixed(0)} µs; bare route ${cpuPerRequest.bare.toFixed(0)} µs (10 ms clock ticks)`,
    );
    const walUnderLoad = wal.stop();
    await barePool.close();
    await stopService(bare, 5_000);

    // Idle after 20,000 messages: memory, and whether the WAL was given back. RSS is sampled each
    // second: V8 gives memory back once the process has been idle a while (its memory reducer).
    const idleRss: number[] = [];
    for (let i = 0; i < s.idleSeconds; i++) {
      await sleep(1000);
      idleRss.push(mb(rssBytes(bot.pid)));
    }
    say(`bot: RSS each second of idling: ${idleRss.map((x) => x.toFixed(0)).join(' ')} MB`);
    const rssAfter = rssBytes(bot.pid);
    const walIdle = database ? 0 : walBytes(dbFile);
    say(
      `bot: after the saturated rounds and ${s.idleSeconds} s idle: RSS ${mb(rssAfter).toFixed(1)} MB, WAL ${walIdle} bytes`,
    );

    let fixed: Awaited<ReturnType<typeof fixedRate>> | undefined;
    let walAtRate = 0;
    if (!diagnosing) {
      const walRate = walSampler(database ? undefined : dbFile);
      fixed = await fixedRate(botPool, factory.batch(s.rate * s.rateSeconds), WEBHOOK_SECRET, s.rate);
      walAtRate = walRate.stop();
      describe(`bot at ${s.rate} req/s`, fixed);
    }
    sampler.stop();
    const instances = database ? await twoInstances(launch, botPool, factory, s, WEBHOOK_SECRET) : undefined;
    await botPool.close();
    const botStop = await stopService(bot);
    const botExit = `${botStop.exit}${botStop.killed ? ' (killed after SIGTERM timed out)' : ''}`;

    const acknowledged =
      [botWarm, ...botRuns].reduce((n, r) => n + r.ok, 0) + (fixed?.ok ?? 0) + (instances?.acknowledged ?? 0);
    const stored = database ? await countStoredRows(database.url) : countStored(dbFile);
    const diskBytes = database ? (stored as StoredRows).bytes : statSync(dbFile).size + walBytes(dbFile);
    // Every acknowledged webhook is a stored event and message, and every thread has the one card
    // job (parked: no channel is linked here) that will post its messages.
    const durable =
      stored.events === acknowledged &&
      stored.messages === acknowledged &&
      stored.jobs === stored.threads &&
      stored.jobsByState['parked'] === stored.threads;
    say(
      `  durability: acknowledged ${acknowledged}, events ${stored.events}, messages ${stored.messages}, ` +
        `threads ${stored.threads}, card jobs ${JSON.stringify(stored.jobsByState)}: ${durable ? 'PASS' : 'FAIL'}`,
    );
    if (s.profile) printProfiles(profileDir, loadWindow);
    if (s.sqlStats) say(formatSqlStats(sqlStatsFile, botMs));

    const ratios = botRuns.map((r, i) => perSecond(r) / perSecond(bareRuns[i]!));
    const ratio = median(ratios);
    const botRate = median(botRuns.map(perSecond));
    const bareRate = median(bareRuns.map(perSecond));
    const botLatency = summarize(concat(botRuns));
    const bareLatency = summarize(concat(bareRuns));
    const atRate = fixed ? summarize(fixed.latencies) : undefined;
    const lat = (l: { p50: number; p99: number }) => `${l.p50.toFixed(2)} / ${l.p99.toFixed(2)}`;
    const rows: Row[] = [
      { figure: 'webhooks/s acknowledged, bot (median of rounds)', value: botRate.toFixed(0) },
      { figure: 'requests/s, bare restify route (median of rounds)', value: bareRate.toFixed(0) },
      targetRow(
        'ratio bot / bare (median of round ratios)',
        ratio.toFixed(3),
        `>= ${TARGETS.ratio}`,
        diagnosing ? undefined : ratio >= TARGETS.ratio,
      ),
      { figure: 'round ratios', value: ratios.map((r) => r.toFixed(2)).join(' ') },
      {
        figure: 'CPU µs per request: bot main / bot other threads / bare',
        value: [cpuPerRequest.botMain, cpuPerRequest.botOthers, cpuPerRequest.bare]
          .map((x) => x.toFixed(0))
          .join(' / '),
      },
      { figure: 'p50 / p99 ms, bot saturated', value: lat(botLatency), note: `concurrency ${s.concurrency}` },
      { figure: 'p50 / p99 ms, bare saturated', value: lat(bareLatency) },
      targetRow(
        `p50 / p99 ms, bot at ${s.rate} req/s`,
        atRate ? lat(atRate) : '-',
        `p99 <= ${TARGETS.p99AtRateMs} ms`,
        atRate ? atRate.p99 <= TARGETS.p99AtRateMs : undefined,
      ),
      targetRow(
        'RSS idle MB',
        mb(rssIdle).toFixed(1),
        `<= ${TARGETS.rssIdleMb}`,
        mb(rssIdle) <= TARGETS.rssIdleMb,
      ),
      targetRow(
        `RSS MB after ${acknowledged - (fixed?.ok ?? 0)} messages, idle`,
        mb(rssAfter).toFixed(1),
        `<= ${TARGETS.rssAfterMb}`,
        mb(rssAfter) <= TARGETS.rssAfterMb,
      ),
      { figure: 'RSS peak MB', value: mb(sampler.peak || undefined).toFixed(1) },
      ...(database
        ? []
        : [
            targetRow(
              'WAL peak MB under load',
              mb(Math.max(walUnderLoad, walAtRate)).toFixed(1),
              `<= ${TARGETS.walMb}`,
              mb(Math.max(walUnderLoad, walAtRate)) <= TARGETS.walMb,
            ),
            targetRow('WAL bytes after idle', String(walIdle), 'truncated (0)', walIdle === 0),
          ]),
      {
        figure: 'bytes on disk per 10,000 messages',
        value: `${(((diskBytes / Math.max(1, stored.messages)) * 10_000) / 1e6).toFixed(2)} MB`,
        note: `${(diskBytes / 1e6).toFixed(1)} MB for ${stored.messages} messages (${database ? 'pg_database_size' : 'database file after a clean stop'})`,
      },
      ...(instances ? instanceRows(instances, s.concurrency) : []),
      {
        figure: 'durability (events = messages = acknowledged; one card job per thread)',
        value: durable ? 'PASS' : 'FAIL',
        note: `${acknowledged} acknowledged, bot exit ${botExit}`,
      },
    ];
    const charts = diagnosing
      ? []
      : [
          await cdfChart(
            database ? 'ingest-postgres-latency' : 'ingest-latency',
            `Ingest${database ? ' on PostgreSQL' : ''}: latency of acknowledged webhooks (CDF)`,
            [
              { label: `bot, saturated (c=${s.concurrency})`, values: concat(botRuns) },
              { label: `bare route, saturated (c=${s.concurrency})`, values: concat(bareRuns) },
              ...(fixed ? [{ label: `bot at ${s.rate} req/s`, values: fixed.latencies }] : []),
            ],
          ),
        ];
    return {
      scenario: 'ingest',
      title: `ingest${database ? ' (PostgreSQL)' : ''}${diagnosing ? ' (INSTRUMENTED: figures include profiling overhead)' : ''}`,
      rows,
      charts,
      ...(durable ? {} : { failed: 'an acknowledged webhook is missing from the store' }),
      data: {
        settings: s,
        botRate: round(botRate, 0),
        bareRate: round(bareRate, 0),
        ratio: round(ratio, 3),
        ratios: ratios.map((r) => round(r, 3)),
        cpuPerRequestUs: cpuPerRequest,
        botLatencyMs: botLatency,
        bareLatencyMs: bareLatency,
        atRateLatencyMs: atRate,
        rssMb: { idle: round(mb(rssIdle)), after: round(mb(rssAfter)), peak: round(mb(sampler.peak)) },
        walMb: { underLoad: round(mb(walUnderLoad), 2), atRate: round(mb(walAtRate), 2), idleBytes: walIdle },
        diskBytes,
        stored,
        store: database ? 'postgres' : 'sqlite',
        ...(instances ? { twoInstances: instances } : {}),
        acknowledged,
      },
    };
  } finally {
    if (s.keepData || diagnosing)
      say(`ingest: kept ${work}${database ? ` and database ${database.name}` : ''}`);
    else {
      rmSync(work, { recursive: true, force: true });
      await database?.drop();
    }
  }
}

function concat(runs: RunResult[]): Float64Array {
  const out = new Float64Array(runs.reduce((n, r) => n + r.latencies.length, 0));
  let at = 0;
  for (const r of runs) {
    out.set(r.latencies, at);
    at += r.latencies.length;
  }
  return out;
}

/** Every thread's own profile (the main one, then the checkpointer), over the saturated rounds. */
function printProfiles(profileDir: string, window: Window): void {
  const found = readdirSync(profileDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort((a, b) => Number(a.split('.')[4]) - Number(b.split('.')[4]));
  for (const f of found) {
    say(`\n---- thread ${f.split('.')[4]} (${f}) ----`);
    say(formatSummary(summarizeProfile(path.join(profileDir, f), 30, window)));
  }
  if (found.length === 0) say(`no .cpuprofile was written under ${profileDir}`);
}
