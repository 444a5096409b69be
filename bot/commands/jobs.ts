import { renderJobsCard } from '../../cards/jobs.ts';
import { parseDate, parseFlags } from './args.ts';
import { providerWith } from './provider-of.ts';
import { type Command, UsageError } from './types.ts';

const DAY = 86_400_000;
/** Retarus's default page (100 per data centre); `--limit` takes up to its maximum of 1,000. */
const DEFAULT_LIMIT = 100;

export const jobs: Command = {
  name: 'jobs',
  usage: 'jobs [--from <date>] [--to <date>] [--open] [--page <n>] [--limit <1-1000>]',
  description:
    'Lists Retarus send jobs of a time window (default: the last 24 hours, at most 30 days), a page at a time.',
  example: 'jobs --from 2026-11-20 --open --page 2',
  async run(ctx) {
    const { values } = parseFlags(ctx.args, {
      from: { type: 'string' },
      to: { type: 'string' },
      open: { type: 'boolean' },
      page: { type: 'string' },
      limit: { type: 'string' },
    });
    const to = values.to ? parseDate(values.to, 'to') : new Date();
    const from = values.from ? parseDate(values.from, 'from') : new Date(to.getTime() - DAY);
    if (from >= to) throw new UsageError('--from must be before --to');
    if (to.getTime() - from.getTime() > 30 * DAY)
      throw new UsageError('Retarus lists at most 30 days at a time');
    const page = whole(values.page ?? '1', '--page', 1, 100_000);
    const limit = whole(values.limit ?? String(DEFAULT_LIMIT), '--limit', 1, 1000);
    const { capability } = providerWith(ctx, 'jobs', 'retarus');
    // Each data centre pages on its own; a full page from either means there may be more.
    const jobIds = await capability.listJobs({
      from,
      to,
      ...(values.open ? { open: true } : {}),
      offset: (page - 1) * limit,
      limit,
    });
    await ctx.reply(
      renderJobsCard({
        from: from.toISOString(),
        to: to.toISOString(),
        ...(values.open ? { open: true } : {}),
        jobIds,
        page,
        ...(jobIds.length >= limit ? { nextPage: `jobs${argsFor(values)} --page ${page + 1}` } : {}),
      }),
    );
  },
};

function whole(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, not "${value}"`);
  }
  return n;
}

/** The flags of this listing again, for the "next page" hint. */
function argsFor(values: { from?: string; to?: string; open?: boolean; limit?: string }): string {
  return [
    values.from ? ` --from ${values.from}` : '',
    values.to ? ` --to ${values.to}` : '',
    values.open ? ' --open' : '',
    values.limit ? ` --limit ${values.limit}` : '',
  ].join('');
}
