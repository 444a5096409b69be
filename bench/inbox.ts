/**
 * Inbox benchmark (npm run bench, or npm run bench:inbox alone): the built bot (as `npm start`
 * runs it, local mode, sandbox provider) over a store of 10,000 conversations and 100,000
 * messages. Measures the list and search API (p50/p95 per request over loopback, sequential),
 * the tab's JavaScript (gzipped), the tab's first render in Debian's Chromium (navigation to the
 * first conversation on screen, cold cache), and the live update (a webhook to its SSE event).
 *
 * Environment: BENCH_THREADS (10000), BENCH_MESSAGES (100000), BENCH_SAMPLES (40 per query),
 * BENCH_KEEP_DATA=1 (keep the temporary data directory).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { request } from 'undici';
import { openSqliteStore } from '../bot/store/sqlite.ts';
import { openEventStream } from '../test/helpers/sse.ts';
import { buildBot, startFlags } from './built-bot.ts';
import { cpuMs, freePort, spawnService, stopService, waitReady } from './children.ts';
import { seedInbox } from './inbox-seed.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const TARGETS = { listP95Ms: 50, searchP95Ms: 50, tabGzipKb: 250, firstRenderMs: 1000, liveMs: 1000 };

const int = (name: string, fallback: number) => {
  const raw = process.env[name]?.trim();
  const n = raw ? Number(raw) : fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number >= 1, got "${raw}"`);
  return n;
};
const settings = {
  threads: int('BENCH_THREADS', 10_000),
  messages: int('BENCH_MESSAGES', 100_000),
  samples: int('BENCH_SAMPLES', 40),
  keepData: process.env['BENCH_KEEP_DATA'] === '1',
};
const say = (line: string) => process.stderr.write(`${line}\n`);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}
const figures = (v: number[]) => ({
  p50: round(percentile(v, 0.5)),
  p95: round(percentile(v, 0.95)),
  n: v.length,
});
const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The bot's CPU time per request over a batch (all its threads): what a request costs whatever
 * else the machine is doing, next to the wall-clock figures, which a busy machine stretches.
 */
async function cpuPerRequest(pid: number, run: () => Promise<number[]>) {
  const before = cpuMs(pid);
  const times = await run();
  const after = cpuMs(pid);
  const used = before && after ? after.main + after.others - before.main - before.others : Number.NaN;
  return { times, cpuMs: round(used / times.length) };
}

async function timeGet(url: string, samples: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    const res = await request(url);
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
    out.push(performance.now() - t);
  }
  return out;
}

/** Webhook (sandbox inbound) to the first SSE change event that names a conversation. */
async function liveUpdates(base: string, samples: number): Promise<number[]> {
  const events = await openEventStream(`${base}/api/inbox/events`);
  const out: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const t = performance.now();
      const changed = events.until((e) => e.event === 'change' && !e.data.includes('"conversations":[]'));
      const posted = await fetch(`${base}/sandbox/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: `+1555900${String(1000 + i)}`, text: `Live ${i}` }),
      });
      if (posted.status !== 200) throw new Error(`sandbox inbound answered ${posted.status}`);
      await changed;
      out.push(performance.now() - t);
      await sleep(200);
    }
  } finally {
    events.close();
  }
  return out;
}

async function firstRenders(base: string, runs: number): Promise<number[]> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const out: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      // A new context each time: nothing cached.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.route('https://res.cdn.office.net/**', (r) => r.abort());
      const page = await context.newPage();
      const t = performance.now();
      await page.goto(`${base}/tab/inbox`);
      await page.locator('[data-conversation]').first().waitFor({ timeout: 10_000 });
      out.push(performance.now() - t);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return out;
}

async function main(): Promise<number> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'textbridge-inbox-bench-'));
  const file = path.join(dir, 'textbridge.sqlite');
  try {
    say(`seeding ${settings.threads} conversations and ${settings.messages} messages…`);
    const seeded = await openSqliteStore(file);
    const channels = ['19:support@thread.tacv2', '19:sales@thread.tacv2', '19:billing@thread.tacv2'];
    await seedInbox(seeded.db, {
      threads: settings.threads,
      messages: settings.messages,
      channels,
      agentId: 'local-agent',
    });
    await seeded.close();

    say('building the bot as npm start does…');
    const entry = buildBot(ROOT);
    const tabJs = readFileSync(path.join(ROOT, 'dist/tab/app.js'));
    const port = await freePort();
    const bot = spawnService({
      name: 'bot',
      entry,
      port,
      cwd: dir,
      nodeFlags: startFlags(ROOT),
      env: { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, SANDBOX: '1', LOG_LEVEL: 'warn' },
    });
    try {
      await waitReady(bot, '/readyz', (s) => s === 200);
      const api = `${bot.url}/api/inbox/conversations`;
      // Warm-up: the first queries fill SQLite's page cache, as a running bot's are.
      await timeGet(`${api}?state=waiting`, 5);
      const list: number[] = [];
      const perState: Record<string, ReturnType<typeof figures> & { cpuMs: number }> = {};
      for (const state of ['waiting', 'mine', 'unassigned', 'failed', 'resolved']) {
        const { times, cpuMs } = await cpuPerRequest(bot.pid, () =>
          timeGet(`${api}?state=${state}`, settings.samples),
        );
        perState[state] = { ...figures(times), cpuMs };
        list.push(...times);
      }
      const search: number[] = [];
      const perSearch: Record<string, ReturnType<typeof figures> & { cpuMs: number }> = {};
      // A word in most messages, a phrase in one in ten, digits of a number, an agent, no match.
      for (const q of ['refund', 'parcel urgent', '5551234', 'Alex', 'no-such-words']) {
        // As the tab asks while one types: the lists' counts do not change with a search.
        const url = `${api}?state=waiting&counts=0&q=${encodeURIComponent(q)}`;
        const { times, cpuMs } = await cpuPerRequest(bot.pid, () => timeGet(url, settings.samples));
        perSearch[q] = { ...figures(times), cpuMs };
        search.push(...times);
      }
      const page2 = await timeGet(
        `${api}?state=unassigned&limit=50&cursor=${await cursorOf(api)}`,
        settings.samples,
      );
      const render = await firstRenders(bot.url, 5);
      const live = await liveUpdates(bot.url, 20);

      const result = {
        loadAverage: loadavg().map(round),
        store: { conversations: settings.threads, messages: settings.messages },
        listMs: { ...figures(list), perState },
        secondPageMs: figures(page2),
        searchMs: { ...figures(search), perQuery: perSearch },
        tabJs: {
          minKb: round(tabJs.length / 1024),
          gzipKb: round(gzipSync(tabJs, { level: 9 }).length / 1024),
        },
        firstRenderMs: {
          median: round(percentile(render, 0.5)),
          max: round(Math.max(...render)),
          runs: render.length,
        },
        liveUpdateMs: figures(live),
      };
      const checks = [
        ['list p95', result.listMs.p95, TARGETS.listP95Ms],
        ['search p95', result.searchMs.p95, TARGETS.searchP95Ms],
        ['tab JS gzipped (KB)', result.tabJs.gzipKb, TARGETS.tabGzipKb],
        ['first render median', result.firstRenderMs.median, TARGETS.firstRenderMs],
        ['live update p95', result.liveUpdateMs.p95, TARGETS.liveMs],
      ] as const;
      console.log(JSON.stringify(result, null, 2));
      let missed = 0;
      for (const [label, value, target] of checks) {
        const ok = value <= target;
        if (!ok) missed++;
        say(`${ok ? 'ok  ' : 'MISS'} ${label}: ${value} (target ≤ ${target})`);
      }
      return missed === 0 ? 0 : 1;
    } finally {
      await stopService(bot);
    }
  } finally {
    if (settings.keepData) say(`data kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

async function cursorOf(api: string): Promise<string> {
  const res = await request(`${api}?state=unassigned&limit=50`);
  const body = (await res.body.json()) as { nextCursor?: string };
  return body.nextCursor ?? '';
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(`inbox bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(2);
  },
);
