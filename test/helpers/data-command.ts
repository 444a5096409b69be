/** Runs a data command (`npm run migrate`, `backup`, `db:copy`) as an operator would, to its end. */
import { spawnInProject } from './child-bot.ts';

export interface CommandResult {
  code: number | null;
  output: string;
}

export async function runDataCommand(
  script: 'migrate' | 'backup' | 'db-copy',
  args: string[],
  env: Record<string, string>,
): Promise<CommandResult> {
  const spawned = spawnInProject(
    process.execPath,
    ['--import', 'tsx', '--no-deprecation', `bot/cli/${script}.ts`, ...args],
    env,
  );
  const code = await spawned.exited;
  return { code, output: spawned.output() };
}
