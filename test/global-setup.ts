/**
 * Every test run gets its own temporary folder, handed down as TMPDIR to the test workers and to
 * the bots and Playgrounds they start, and removed when the run ends: whatever a test (or a
 * process it killed) leaves behind goes with it. Tests still delete their own folders.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'textbridge-tests-'));
  const previous = process.env['TMPDIR'];
  process.env['TMPDIR'] = dir;
  return () => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
