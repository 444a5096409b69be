/**
 * Summarises a V8 .cpuprofile (from node --cpu-prof): where the time went, by function (self and
 * total time) and by package or source file. Usage: tsx bench/profile-summary.ts <file> [top]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface Entry {
  name: string;
  where: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  file: string;
  /** Sampled time in ms, idle included. */
  totalMs: number;
  /** Sampled time in ms, idle excluded. */
  busyMs: number;
  self: Entry[];
  total: Entry[];
  byModule: Entry[];
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** "bot/store/kysely-store.ts", "kysely", "node:internal/…", or the special V8 category. */
function moduleOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native/V8)';
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = file.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? file);
  }
  if (file.startsWith('node:')) return file.split('/').slice(0, 2).join('/');
  return path.isAbsolute(file) ? path.relative(ROOT, file) : file;
}

function whereOf(frame: CallFrame): string {
  const file = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  const shown = file.includes('node_modules/')
    ? file.slice(file.lastIndexOf('node_modules/') + 'node_modules/'.length)
    : path.isAbsolute(file)
      ? path.relative(ROOT, file)
      : file;
  return shown ? `${shown}:${frame.lineNumber + 1}` : '';
}

const keyOf = (f: CallFrame) => `${f.functionName}|${f.url}|${f.lineNumber}|${f.columnNumber}`;

/**
 * Sample timestamps are CLOCK_MONOTONIC microseconds, the clock of process.hrtime in every
 * process of the machine: the benchmark passes the window of its load to leave start-up out.
 */
export interface Window {
  fromUs: number;
  toUs: number;
}

export function summarizeProfile(file: string, top = 25, window?: Window): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0) {
    const average = (profile.endTime - profile.startTime) / samples.length;
    // The time until the next sample belongs to this sample's frame.
    let at = profile.startTime;
    for (let i = 0; i < samples.length; i++) {
      at += deltas[i] ?? 0;
      if (window && (at < window.fromUs || at > window.toUs)) continue;
      const id = samples[i]!;
      const dt = deltas[i + 1] ?? average;
      selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, dt));
    }
  } else {
    const average =
      (profile.endTime - profile.startTime) / profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
    for (const n of profile.nodes) selfUs.set(n.id, (n.hitCount ?? 0) * average);
  }

  const selfByFn = new Map<string, { frame: CallFrame; us: number }>();
  const totalByFn = new Map<string, { frame: CallFrame; us: number }>();
  const byModule = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;

  // Depth-first from the root; a function's total counts each sample once even when recursive.
  const root = profile.nodes[0];
  const onStack = new Map<string, number>();
  const visit = (node: ProfileNode): number => {
    const key = keyOf(node.callFrame);
    const own = selfUs.get(node.id) ?? 0;
    totalUs += own;
    if (node.callFrame.functionName === '(idle)') idleUs += own;
    const s = selfByFn.get(key) ?? { frame: node.callFrame, us: 0 };
    s.us += own;
    selfByFn.set(key, s);
    const mod = moduleOf(node.callFrame);
    byModule.set(mod, (byModule.get(mod) ?? 0) + own);
    onStack.set(key, (onStack.get(key) ?? 0) + 1);
    let sum = own;
    for (const childId of node.children ?? []) {
      const child = byId.get(childId);
      if (child) sum += visit(child);
    }
    const depth = onStack.get(key)! - 1;
    if (depth === 0) onStack.delete(key);
    else onStack.set(key, depth);
    if (depth === 0) {
      const t = totalByFn.get(key) ?? { frame: node.callFrame, us: 0 };
      t.us += sum;
      totalByFn.set(key, t);
    }
    return sum;
  };
  if (root) visit(root);

  const busyUs = totalUs - idleUs;
  const toEntries = (items: Iterable<{ frame: CallFrame; us: number }>): Entry[] =>
    [...items]
      .filter((e) => e.frame.functionName !== '(root)' && e.frame.functionName !== '(idle)')
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({
        name: e.frame.functionName || '(anonymous)',
        where: whereOf(e.frame),
        ms: e.us / 1000,
        share: busyUs > 0 ? e.us / busyUs : 0,
      }));
  return {
    file,
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    self: toEntries(selfByFn.values()),
    total: toEntries(totalByFn.values()),
    byModule: [...byModule]
      .filter(([name]) => name !== '(idle)' && name !== '(root)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, where: '', ms: us / 1000, share: busyUs > 0 ? us / busyUs : 0 })),
  };
}

export function formatSummary(s: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)}%`;
  const ms = (x: number) => `${x.toFixed(0).padStart(7)} ms`;
  const rows = (entries: Entry[]) =>
    entries.map((e) => `  ${pct(e.share)} ${ms(e.ms)}  ${e.name}${e.where ? `  ${e.where}` : ''}`).join('\n');
  return [
    `CPU profile ${s.file}`,
    `  sampled ${s.totalMs.toFixed(0)} ms, busy (not idle) ${s.busyMs.toFixed(0)} ms; shares are of busy time`,
    'Top self time by function:',
    rows(s.self),
    'Top total (inclusive) time by function:',
    rows(s.total),
    'Self time by package / source file:',
    rows(s.byModule),
  ].join('\n');
}

const invoked = process.argv[1] ? pathToFileURL(path.resolve(process.argv[1])).href : '';
if (invoked === import.meta.url) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(formatSummary(summarizeProfile(file, Number(process.argv[3] ?? 25))));
}
