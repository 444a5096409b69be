/**
 * Whose fault a crash was: a process that dies of an uncaught error records whether the code that
 * threw belonged to a job (and which), in one JSON log line; the next start reads it once.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordStop, takeLastStop } from '../../bot/crash-record.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'textbridge-crash-record-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function crash(where: 'job' | 'other' | 'rejection') {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--no-deprecation', 'test/helpers/crash-script.ts', dir, where],
    { cwd: ROOT, encoding: 'utf8', timeout: 20_000 },
  );
  const lines = run.stdout.split('\n').filter(Boolean);
  return { status: run.status, lines, stderr: run.stderr };
}

describe('the record of a stop', () => {
  it('is written where DATA_DIR names even before anything else made it (a PostgreSQL store)', () => {
    const dataDir = path.join(dir, 'not-yet-made');
    recordStop(dataDir, { kind: 'not-a-job' });
    expect(takeLastStop(dataDir)).toMatchObject({ kind: 'not-a-job' });
  });
});

describe('the record of a crash', () => {
  it('names the job whose code threw', () => {
    const { status, lines, stderr } = crash('job');
    expect(status).toBe(1);
    expect(stderr).toBe('');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '{}');
    expect(entry).toMatchObject({ level: 60, jobId: 42, msg: 'the bot stops on an unexpected error' });
    expect(takeLastStop(dir)).toMatchObject({
      kind: 'job',
      jobId: 42,
      error: expect.stringContaining('RangeError'),
    });
    // Read once: the start after next knows nothing of it.
    expect(takeLastStop(dir)).toEqual({ kind: 'unknown' });
  });

  it('names the job of a promise nobody awaited', () => {
    expect(crash('rejection').status).toBe(1);
    expect(takeLastStop(dir)).toMatchObject({ kind: 'job', jobId: 7 });
  });

  it('blames no job for an error outside every job', () => {
    const { status, lines } = crash('other');
    expect(status).toBe(1);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ jobId: null });
    expect(takeLastStop(dir)).toMatchObject({ kind: 'not-a-job', error: 'Error: a request handler failed' });
  });

  it('knows nothing without a record, or from a record cut short', () => {
    expect(takeLastStop(dir)).toEqual({ kind: 'unknown' });
    writeFileSync(path.join(dir, 'last-stop.json'), '{"kind":"jo');
    expect(takeLastStop(dir)).toEqual({ kind: 'unknown' });
  });
});
