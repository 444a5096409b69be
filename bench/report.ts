/** What every scenario reports: a titled table of figures, each target marked met or not. */

export type Verdict = 'met' | 'NOT met' | 'not measured';

export interface Row {
  figure: string;
  value: string;
  note?: string;
  /** Set on rows that carry a target. */
  verdict?: Verdict;
}

export interface ScenarioReport {
  scenario: string;
  title: string;
  rows: Row[];
  /** Charts written, relative to the project. */
  charts: string[];
  /** A correctness check failed (lost or duplicated work): the run fails, whatever the figures. */
  failed?: string;
  /** Everything measured, for the JSON line. */
  data: Record<string, unknown>;
}

export const verdict = (ok: boolean | undefined): Verdict =>
  ok === undefined ? 'not measured' : ok ? 'met' : 'NOT met';

export function targetRow(figure: string, value: string, target: string, ok: boolean | undefined): Row {
  const v = verdict(ok);
  return { figure, value, note: `target ${target}: ${v}`, verdict: v };
}

export function formatReport(report: ScenarioReport): string {
  const w0 = Math.max(...report.rows.map((r) => r.figure.length));
  const w1 = Math.max(...report.rows.map((r) => r.value.length));
  const lines = [`${report.title}`];
  for (const r of report.rows)
    lines.push(`  ${r.figure.padEnd(w0)}  ${r.value.padStart(w1)}  ${r.note ?? ''}`.trimEnd());
  for (const c of report.charts) lines.push(`  chart: ${c}`);
  if (report.failed) lines.push(`  FAILED: ${report.failed}`);
  return lines.join('\n');
}
