/**
 * Charts of the benchmark as PNG files in docs/bench/: drawn as SVG here, rendered by Debian's
 * Chromium through playwright-core (never a downloaded browser). Two kinds: lines over time (for
 * example messages visible against the budget line) and latency CDFs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { say } from './settings.ts';

const OUT = fileURLToPath(new URL('../docs/bench/', import.meta.url));
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const W = 760;
const H = 420;
const M = { left: 70, right: 20, top: 46, bottom: 80 };
const COLORS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#57606a'];

export interface Series {
  label: string;
  points: ReadonlyArray<readonly [number, number]>;
  dashed?: boolean;
  /** Draw as steps (counts over time), not straight segments. */
  steps?: boolean;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Logarithmic x axis (latencies). */
  logX?: boolean;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceTicks(min: number, max: number, count = 6): number[] {
  const span = max - min || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= count) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

const fmt = (v: number) =>
  Math.abs(v) >= 1000 ? `${Math.round(v / 100) / 10}k` : String(Number(v.toPrecision(4)));

export function svgOf(chart: LineChart): string {
  const all = chart.series.flatMap((s) => s.points);
  const tx = (x: number) => (chart.logX ? Math.log10(Math.max(x, 1e-3)) : x);
  const xs = all.map((p) => tx(p[0]));
  const ys = all.map((p) => p[1]);
  const x0 = Math.min(...xs, chart.logX ? -1 : 0);
  const x1 = Math.max(...xs, x0 + 1);
  const y1 = Math.max(...ys, 1) * 1.05;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (x: number) => M.left + ((tx(x) - x0) / (x1 - x0)) * pw;
  const sy = (y: number) => M.top + ph - (y / y1) * ph;
  const parts: string[] = [
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="26" text-anchor="middle" font-size="16" font-weight="600">${esc(chart.title)}</text>`,
  ];
  const xTicks = chart.logX
    ? niceTicks(x0, x1, 6)
        .filter((t) => Number.isInteger(t))
        .map((t) => 10 ** t)
    : niceTicks(x0, x1);
  for (const t of xTicks) {
    const x = sx(t);
    parts.push(`<line x1="${x}" y1="${M.top}" x2="${x}" y2="${M.top + ph}" stroke="#eee"/>`);
    parts.push(`<text x="${x}" y="${M.top + ph + 18}" text-anchor="middle" font-size="12">${fmt(t)}</text>`);
  }
  for (const t of niceTicks(0, y1)) {
    const y = sy(t);
    parts.push(`<line x1="${M.left}" y1="${y}" x2="${M.left + pw}" y2="${y}" stroke="#eee"/>`);
    parts.push(`<text x="${M.left - 8}" y="${y + 4}" text-anchor="end" font-size="12">${fmt(t)}</text>`);
  }
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  parts.push(
    `<text x="${M.left + pw / 2}" y="${M.top + ph + 40}" text-anchor="middle" font-size="13">${esc(chart.xLabel)}</text>`,
    `<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="13">${esc(chart.yLabel)}</text>`,
  );
  chart.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts: string[] = [];
    let last: readonly [number, number] | undefined;
    for (const p of s.points) {
      if (s.steps && last) pts.push(`${sx(p[0]).toFixed(1)},${sy(last[1]).toFixed(1)}`);
      pts.push(`${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`);
      last = p;
    }
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" ${s.dashed ? 'stroke-dasharray="6 4"' : ''} points="${pts.join(' ')}"/>`,
    );
    const lx = M.left + (i % 2) * 340;
    const ly = H - 30 + Math.floor(i / 2) * 16 - 8;
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${color}" stroke-width="2" ${s.dashed ? 'stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${lx + 30}" y="${ly + 4}" font-size="12">${esc(s.label)}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif">${parts.join('')}</svg>`;
}

let browser: Promise<Browser> | undefined;

async function render(svg: string, file: string): Promise<void> {
  browser ??= import('playwright-core').then(({ chromium }) =>
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] }),
  );
  const page = await (await browser).newPage({ viewport: { width: W, height: H } });
  try {
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: file });
  } finally {
    await page.close();
  }
}

/** Writes `docs/bench/<name>.png` (and the SVG it was drawn from); returns the PNG's path. */
export async function writeChart(name: string, chart: LineChart): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const svg = svgOf(chart);
  const png = path.join(OUT, `${name}.png`);
  try {
    await render(svg, png);
  } catch (err) {
    const fallback = path.join(OUT, `${name}.svg`);
    writeFileSync(fallback, svg);
    say(`chart ${name}: Chromium could not render it (${(err as Error).message}); wrote ${fallback}`);
    return path.relative(process.cwd(), fallback);
  }
  return path.relative(process.cwd(), png);
}

export async function closeCharts(): Promise<void> {
  if (browser) await (await browser).close();
  browser = undefined;
}

/** Latency CDFs: the share of requests answered within x ms. */
export function cdfChart(
  name: string,
  title: string,
  series: Array<{ label: string; values: Float64Array }>,
): Promise<string> {
  return writeChart(name, {
    title,
    xLabel: 'latency, ms (log scale)',
    yLabel: 'share of requests, %',
    logX: true,
    series: series.map((s) => {
      const sorted = Float64Array.from(s.values).sort();
      const points: Array<[number, number]> = [];
      const step = Math.max(1, Math.floor(sorted.length / 400));
      for (let i = 0; i < sorted.length; i += step)
        points.push([sorted[i]!, ((i + 1) / sorted.length) * 100]);
      if (sorted.length > 0) points.push([sorted[sorted.length - 1]!, 100]);
      return { label: s.label, points };
    }),
  });
}
