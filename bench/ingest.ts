/**
 * Ingest benchmark (npm run bench): the bot and a bare restify route, each in its own process,
 * loaded over loopback from this one. Measures acknowledged webhooks per second at fixed
 * concurrency, latency at a fixed rate, memory, and that every acknowledged webhook is on disk.
 *
 * Environment: BENCH_REQUESTS (20000), BENCH_CONCURRENCY (32), BENCH_WARMUP (500), BENCH_RATE
 * (1000 req/s), BENCH_RATE_SECONDS (10), BENCH_CUSTOMERS (500), BENCH_TIMEOUT_S (900),
 * BENCH_PROFILE=1 (CPU profile of the bot under saturation; skips the fixed-rate run),
 * BENCH_SQL_STATS=1 (time of every SQL statement in the bot, by statement; skips the fixed-rate run),
 * BENCH_KEEP_DATA=1 (keep the temporary data directory).
 *
 * The bot runs as `npm start` runs it: built (bot/build.ts) and started with the node flags of the
 * "start" script. BENCH_SOURCE=1 runs bot/main.ts with tsx instead; BENCH_PROFILE=1 does too, so
 * the profile names source files. The SQLite writes run in the bot's writer thread; the CPU
 * profile is of the main thread (the one that answers HTTP).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import { request } from 'undici';
import { buildBot, sqlStatsPreload, startFlags } from './built-bot.ts';
import {
  cpuMs,
  freePort,
  RssSampler,
  rssBytes,
  type Service,
  spawnService,
  stopService,
  waitReady,
} from './children.ts';
import {
  closedLoop,
  createPool,
  type FixedRateResult,
  fixedRate,
  type LatencySummary,
  PayloadFactory,
  type RunResult,
  summarize,
} from './load.ts';
import { formatSummary, summarizeProfile } from './profile-summary.ts';
import type { SqlStat } from './sql-stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEBHOOK_SECRET = 'bench-webhook-secret-0123456789';

function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name} must be a whole number >= ${min}, got "${raw}"`);
  return n;
}

const settings = {
  requests: intEnv('BENCH_REQUESTS', 20_000, 1),
  concurrency: intEnv('BENCH_CONCURRENCY', 32, 1),
  warmup: intEnv('BENCH_WARMUP', 500, 0),
  rate: intEnv('BENCH_RATE', 1_000, 1),
  rateSeconds: intEnv('BENCH_RATE_SECONDS', 10, 1),
  customers: intEnv('BENCH_CUSTOMERS', 500, 1),
  timeoutSeconds: intEnv('BENCH_TIMEOUT_S', 900, 10),
  drainSeconds: intEnv('BENCH_DRAIN_S', 120, 0),
  profile: process.env['BENCH_PROFILE'] === '1',
  fromSource: process.env['BENCH_SOURCE'] === '1' || process.env['BENCH_PROFILE'] === '1',
  sqlStats: process.env['BENCH_SQL_STATS'] === '1',
  keepData: process.env['BENCH_KEEP_DATA'] === '1',
};

/** Profiling modes slow the bot down; they measure the saturated run only. */
const diagnosing = settings.profile || settings.sqlStats;

const TARGETS = { ratio: 0.6, p99AtRateMs: 25, rssIdleMb: 150 };

const say = (line: string) => process.stderr.write(`${line}\n`);
const mb = (bytes: number | undefined) => (bytes === undefined ? Number.NaN : bytes / (1024 * 1024));
const round = (x: number, digits = 1) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : null);

// The whole run is bounded: whatever hangs, the process ends (and its children with it).
const watchdog = setTimeout(() => {
  say(`bench: still running after ${settings.timeoutSeconds} s; giving up`);
  process.exit(3);
}, settings.timeoutSeconds * 1000);
watchdog.unref();

interface PhaseFigures {
  requests: number;
  acknowledged: number;
  non200: Record<string, number>;
  failed: number;
  seconds: number;
  reqPerSec: number;
  latencyMs: LatencySummary;
}

function figures(run: RunResult): PhaseFigures {
  return {
    requests: run.requests,
    acknowledged: run.ok,
    non200: run.other,
    failed: run.failed,
    seconds: run.elapsedMs / 1000,
    reqPerSec: run.ok / (run.elapsedMs / 1000),
    latencyMs: summarize(run.latencies),
  };
}

function describe(label: string, run: RunResult): void {
  const f = figures(run);
  const other = Object.entries(f.non200)
    .map(([s, n]) => `${n}x${s}`)
    .join(', ');
  say(
    `  ${label}: ${f.acknowledged}/${f.requests} acknowledged in ${f.seconds.toFixed(2)} s ` +
      `(${f.reqPerSec.toFixed(0)} req/s), p50 ${f.latencyMs.p50.toFixed(2)} ms, p99 ${f.latencyMs.p99.toFixed(2)} ms` +
      (other ? `, non-200: ${other}` : '') +
      (f.failed ? `, no answer: ${f.failed} (${run.firstError})` : ''),
  );
}

async function pendingJobs(service: Service): Promise<number | undefined> {
  try {
    const res = await request(`${service.url}/metrics`, { headersTimeout: 5_000, bodyTimeout: 5_000 });
    const text = await res.body.text();
    const match = /^textbridge_jobs_pending (\d+)/m.exec(text);
    return match?.[1] ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Waits until the worker has worked off the backlog the saturated run left (bounded). */
async function drain(service: Service): Promise<{ seconds: number; left: number | undefined }> {
  const started = performance.now();
  let left = await pendingJobs(service);
  while (left !== 0 && performance.now() - started < settings.drainSeconds * 1000) {
    await sleep(500);
    left = await pendingJobs(service);
  }
  return { seconds: (performance.now() - started) / 1000, left };
}

interface Durability {
  acknowledged: number;
  events: number;
  messages: number;
  jobs: number;
  threads: number;
  jobsByState: Record<string, number>;
  botExit: string;
  pass: boolean;
}

function checkDurability(sqlitePath: string, acknowledged: number, botExit: string): Durability {
  const db = new Sqlite(sqlitePath, { readonly: true, fileMustExist: true });
  try {
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const jobsByState = Object.fromEntries(
      (
        db.prepare('SELECT state, count(*) AS n FROM jobs GROUP BY state').all() as Array<{
          state: string;
          n: number;
        }>
      ).map((r) => [r.state, r.n]),
    );
    const events = count('events');
    const messages = count('messages');
    const jobs = count('jobs');
    return {
      acknowledged,
      events,
      messages,
      jobs,
      threads: count('threads'),
      jobsByState,
      botExit,
      pass: events === acknowledged && messages === acknowledged && jobs === acknowledged,
    };
  } finally {
    db.close();
  }
}

async function main(): Promise<number> {
  const work = mkdtempSync(path.join(tmpdir(), 'textbridge-bench-'));
  if (!settings.keepData && !diagnosing) {
    // Also on early exits (errors, Ctrl-C, the watchdog); the children are killed first.
    process.on('exit', () => rmSync(work, { recursive: true, force: true }));
  }
  const dataDir = path.join(work, 'data');
  const profileDir = path.join(work, 'profile');
  const sqlStatsFile = path.join(work, 'sql-stats.json');
  const factory = new PayloadFactory(settings.customers);
  const machine = {
    cpus: availableParallelism(),
    node: process.version,
    loadavgAtStart: loadavg().map((x) => round(x, 2)),
  };
  say(
    `machine: ${machine.cpus} CPUs, node ${machine.node}, load average ${machine.loadavgAtStart.join(' ')}`,
  );
  say(
    `bench: ${settings.requests} requests at concurrency ${settings.concurrency} (warm-up ${settings.warmup}), ` +
      `then ${settings.rate} req/s for ${settings.rateSeconds} s; ${settings.customers} customers; work dir ${work}`,
  );

  // ---- the bot ------------------------------------------------------------------------------
  const botPort = await freePort();
  // As `npm start` runs it (built, with its node flags), unless profiling wants source names.
  const entry = settings.fromSource ? path.join(ROOT, 'bot/main.ts') : buildBot(ROOT);
  say(`bot: ${settings.fromSource ? 'from source (tsx)' : `built, node ${startFlags(ROOT).join(' ')}`}`);
  const bot = spawnService({
    name: 'bot',
    entry,
    port: botPort,
    cwd: work,
    nodeFlags: [
      ...(settings.fromSource ? [] : startFlags(ROOT)),
      ...(settings.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ],
    env: {
      ...(settings.sqlStats
        ? {
            BENCH_SQL_STATS_FILE: sqlStatsFile,
            NODE_OPTIONS: `--require ${await sqlStatsPreload(ROOT, work)}`,
          }
        : {}),
      PORT: String(botPort),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SINCH_API_KEY: 'k'.repeat(20),
      SINCH_API_SECRET: 's'.repeat(30),
      SINCH_BASE_URL: 'http://127.0.0.1:9',
      SINCH_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
  });
  const readyAfter = await waitReady(bot, '/readyz', (status) => status === 200);
  say(`bot: pid ${bot.pid} ready on ${bot.url} after ${(readyAfter / 1000).toFixed(1)} s; settling 2 s`);
  await sleep(2_000);
  const rssIdle = rssBytes(bot.pid);
  say(`bot: RSS idle ${mb(rssIdle).toFixed(1)} MB`);

  const botPool = createPool(bot.url, settings.concurrency);
  const sampler = new RssSampler(bot.pid, 250);
  sampler.start();
  const botWarm = await closedLoop(
    botPool,
    factory.batch(settings.warmup),
    WEBHOOK_SECRET,
    settings.concurrency,
  );
  describe('bot warm-up', botWarm);
  const cpuBefore = cpuMs(bot.pid);
  const ownBefore = process.cpuUsage();
  const botSat = await closedLoop(
    botPool,
    factory.batch(settings.requests),
    WEBHOOK_SECRET,
    settings.concurrency,
  );
  describe('bot saturated', botSat);
  const cpuAfter = cpuMs(bot.pid);
  const own = process.cpuUsage(ownBefore);
  if (cpuBefore && cpuAfter) {
    const share = (ms: number) => `${((ms / botSat.elapsedMs) * 100).toFixed(0)}%`;
    say(
      `    CPU over the run: bot main thread ${share(cpuAfter.main - cpuBefore.main)}, ` +
        `bot other threads (SQLite writer, GC, libuv) ${share(cpuAfter.others - cpuBefore.others)}, ` +
        `load generator ${share((own.user + own.system) / 1000)} (of one core each)`,
    );
  }

  let botFixed: FixedRateResult | undefined;
  let drained: { seconds: number; left: number | undefined } | undefined;
  if (!diagnosing) {
    drained = await drain(bot);
    say(
      `  job backlog: ${drained.left === 0 ? 'drained' : `${drained.left ?? '?'} still pending`} after ${drained.seconds.toFixed(1)} s`,
    );
    botFixed = await fixedRate(
      botPool,
      factory.batch(settings.rate * settings.rateSeconds),
      WEBHOOK_SECRET,
      settings.rate,
    );
    describe(`bot at ${settings.rate} req/s`, botFixed);
    const service = summarize(botFixed.serviceLatencies);
    say(
      `    sent at ${botFixed.achievedRate.toFixed(0)} req/s, worst dispatch lag ${botFixed.maxDispatchLagMs.toFixed(1)} ms; ` +
        `from dispatch: p50 ${service.p50.toFixed(2)} ms, p99 ${service.p99.toFixed(2)} ms`,
    );
    if (botFixed.ok / (botFixed.elapsedMs / 1000) < 0.95 * settings.rate) {
      say('    the bot answered more slowly than requests arrived: these latencies are mostly queueing');
    }
  }
  sampler.stop();
  await botPool.close();

  const botStop = await stopService(bot);
  const botExit = `${botStop.exit}${botStop.killed ? ' (killed after SIGTERM timed out)' : ''}`;
  say(`bot: stopped, exit ${botExit}`);
  const acknowledged = botWarm.ok + botSat.ok + (botFixed?.ok ?? 0);
  const durability = checkDurability(path.join(dataDir, 'textbridge.sqlite'), acknowledged, botExit);
  say(
    `  durability: acknowledged ${acknowledged}, events ${durability.events}, messages ${durability.messages}, ` +
      `jobs ${durability.jobs} ${JSON.stringify(durability.jobsByState)}, threads ${durability.threads}: ` +
      (durability.pass ? 'PASS' : 'FAIL'),
  );

  // ---- the bare restify route ---------------------------------------------------------------
  const barePort = await freePort();
  const bare = spawnService({
    name: 'bare',
    entry: path.join(ROOT, 'bench/bare-server.ts'),
    port: barePort,
    cwd: work,
    env: { PORT: String(barePort), HOST: '127.0.0.1' },
  });
  await waitReady(bare, '/readyz', () => true);
  say(`bare: pid ${bare.pid} ready on ${bare.url}`);
  const barePool = createPool(bare.url, settings.concurrency);
  const bareWarm = await closedLoop(
    barePool,
    factory.batch(settings.warmup),
    WEBHOOK_SECRET,
    settings.concurrency,
  );
  describe('bare warm-up', bareWarm);
  const bareSat = await closedLoop(
    barePool,
    factory.batch(settings.requests),
    WEBHOOK_SECRET,
    settings.concurrency,
  );
  describe('bare saturated', bareSat);
  await barePool.close();
  await stopService(bare, 5_000);

  // ---- profile ------------------------------------------------------------------------------
  let profileFile: string | undefined;
  if (settings.profile) {
    // One profile per thread (CPU.<date>.<time>.<pid>.<thread>.<seq>); thread 0 is the main one.
    const found = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
    const main = found.find((f) => f.split('.')[4] === '0') ?? found[0];
    profileFile = main ? path.join(profileDir, main) : undefined;
    if (profileFile) say(formatSummary(summarizeProfile(profileFile)));
    else say(`no .cpuprofile was written under ${profileDir}`);
  }

  if (settings.sqlStats) say(formatSqlStats(sqlStatsFile, botSat.elapsedMs));

  // ---- report -------------------------------------------------------------------------------
  const botF = figures(botSat);
  const bareF = figures(bareSat);
  const ratio = botF.reqPerSec / bareF.reqPerSec;
  const fixedF = botFixed ? figures(botFixed) : undefined;
  const fixedService = botFixed ? summarize(botFixed.serviceLatencies) : undefined;
  const rssIdleMb = mb(rssIdle);
  const rssPeakMb = mb(sampler.peak || undefined);
  const met = {
    ratio: ratio >= TARGETS.ratio,
    p99AtRate: fixedF ? fixedF.latencyMs.p99 <= TARGETS.p99AtRateMs : null,
    rssIdle: rssIdleMb <= TARGETS.rssIdleMb,
  };
  const yesNo = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? 'met' : 'NOT met');
  const lat = (l: LatencySummary | undefined) =>
    l ? `${l.p50.toFixed(2)} / ${l.p99.toFixed(2)}` : 'not measured';
  const rows: Array<[string, string, string]> = [
    [
      'req/s acknowledged, bot',
      botF.reqPerSec.toFixed(0),
      `${botF.acknowledged}/${botF.requests} in ${botF.seconds.toFixed(2)} s`,
    ],
    [
      'req/s acknowledged, bare',
      bareF.reqPerSec.toFixed(0),
      `${bareF.acknowledged}/${bareF.requests} in ${bareF.seconds.toFixed(2)} s`,
    ],
    ['ratio bot/bare', ratio.toFixed(3), `target >= ${TARGETS.ratio}: ${yesNo(met.ratio)}`],
    ['p50/p99 ms, bot saturated', lat(botF.latencyMs), `concurrency ${settings.concurrency}`],
    ['p50/p99 ms, bare saturated', lat(bareF.latencyMs), `concurrency ${settings.concurrency}`],
    [
      `p50/p99 ms, bot at ${settings.rate} req/s`,
      lat(fixedF?.latencyMs),
      `target p99 <= ${TARGETS.p99AtRateMs} ms: ${yesNo(met.p99AtRate)}` +
        (fixedService ? ` (from dispatch ${lat(fixedService)})` : ''),
    ],
    ['RSS idle MB', rssIdleMb.toFixed(1), `target <= ${TARGETS.rssIdleMb} MB: ${yesNo(met.rssIdle)}`],
    ['RSS peak under load MB', rssPeakMb.toFixed(1), `${sampler.samples} samples every 250 ms`],
    [
      'durability',
      durability.pass ? 'PASS' : 'FAIL',
      `acknowledged ${durability.acknowledged}; events ${durability.events}, messages ${durability.messages}, jobs ${durability.jobs}`,
    ],
  ];
  const nonOk = [botWarm, botSat, botFixed, bareWarm, bareSat].reduce(
    (n, r) => n + (r ? r.failed + Object.values(r.other).reduce((a, b) => a + b, 0) : 0),
    0,
  );
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log('');
  console.log(
    `textbridge ingest benchmark${diagnosing ? ' (INSTRUMENTED: figures include profiling overhead)' : ''}`,
  );
  for (const [a, b, c] of rows) console.log(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
  if (nonOk > 0) console.log(`  non-200 answers or failed requests in total: ${nonOk}`);

  const json = {
    bench: 'ingest',
    settings: {
      requests: settings.requests,
      concurrency: settings.concurrency,
      warmup: settings.warmup,
      rate: settings.rate,
      rateSeconds: settings.rateSeconds,
      customers: settings.customers,
      profile: settings.profile,
      sqlStats: settings.sqlStats,
    },
    machine: { ...machine, loadavgAtEnd: loadavg().map((x) => round(x, 2)) },
    bot: { ...botF, reqPerSec: round(botF.reqPerSec, 0), latencyMs: roundAll(botF.latencyMs) },
    bare: { ...bareF, reqPerSec: round(bareF.reqPerSec, 0), latencyMs: roundAll(bareF.latencyMs) },
    ratio: round(ratio, 3),
    fixedRate: fixedF
      ? {
          rate: settings.rate,
          achievedRate: round(botFixed!.achievedRate, 0),
          requests: fixedF.requests,
          acknowledged: fixedF.acknowledged,
          non200: fixedF.non200,
          failed: fixedF.failed,
          latencyMs: roundAll(fixedF.latencyMs),
          fromDispatchMs: fixedService ? roundAll(fixedService) : null,
          maxDispatchLagMs: round(botFixed!.maxDispatchLagMs, 2),
          backlogDrainSeconds: drained ? round(drained.seconds, 1) : null,
        }
      : null,
    rssMb: { idle: round(rssIdleMb), peak: round(rssPeakMb) },
    durability,
    targets: { ...TARGETS, met },
    ...(profileFile ? { profile: profileFile } : {}),
  };
  console.log(JSON.stringify(json));

  if (settings.keepData || diagnosing) say(`bench: kept ${work}`);
  return durability.pass ? 0 : 1;
}

/** The statements that took the most time in the bot (all threads), with prepare and execution apart. */
function formatSqlStats(file: string, saturatedMs: number): string {
  const merged = new Map<string, SqlStat>();
  const files = readdirSync(path.dirname(file)).filter((f) => f.startsWith(`${path.basename(file)}.`));
  for (const f of files) {
    for (const s of JSON.parse(readFileSync(path.join(path.dirname(file), f), 'utf8')) as SqlStat[]) {
      const m = merged.get(s.sql);
      if (!m) merged.set(s.sql, { ...s });
      else {
        m.prepares += s.prepares;
        m.prepareMs += s.prepareMs;
        m.calls += s.calls;
        m.execMs += s.execMs;
        m.maxMs = Math.max(m.maxMs, s.maxMs);
      }
    }
  }
  if (files.length === 0) return `no SQL statistics next to ${file}`;
  const stats = [...merged.values()];
  const prepareMs = stats.reduce((n, s) => n + s.prepareMs, 0);
  const execMs = stats.reduce((n, s) => n + s.execMs, 0);
  const prepares = stats.reduce((n, s) => n + s.prepares, 0);
  const calls = stats.reduce((n, s) => n + s.calls, 0);
  const top = [...stats].sort((a, b) => b.prepareMs + b.execMs - (a.prepareMs + a.execMs)).slice(0, 20);
  const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').slice(0, 150);
  return [
    `SQL in the bot over its whole life (saturated run alone: ${(saturatedMs / 1000).toFixed(1)} s):`,
    `  ${prepares} prepares, ${prepareMs.toFixed(0)} ms; ${calls} executions, ${execMs.toFixed(0)} ms`,
    '     calls   exec ms  avg µs  max ms   prepares  prep ms  statement',
    ...top.map(
      (s) =>
        `  ${String(s.calls).padStart(8)} ${s.execMs.toFixed(0).padStart(9)} ${((s.execMs * 1000) / Math.max(1, s.calls)).toFixed(0).padStart(7)} ${(s.maxMs ?? 0).toFixed(1).padStart(7)} ` +
        `${String(s.prepares).padStart(10)} ${s.prepareMs.toFixed(0).padStart(8)}  ${oneLine(s.sql)}`,
    ),
  ].join('\n');
}

function roundAll(l: LatencySummary): Record<keyof LatencySummary, number | null> {
  return { p50: round(l.p50, 2), p90: round(l.p90, 2), p99: round(l.p99, 2), max: round(l.max, 2) };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(2);
  },
);
