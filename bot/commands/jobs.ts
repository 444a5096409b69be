import { renderJobsCard } from '../../cards/jobs.ts';
import { parseDate, parseFlags } from './args.ts';
import { providerWith } from './provider-of.ts';
import { type Command, UsageError } from './types.ts';

const DAY = 86_400_000;

export const jobs: Command = {
  name: 'jobs',
  usage: 'jobs [--from <date>] [--to <date>] [--open]',
  description: 'Lists Retarus send jobs of a time window (default: the last 24 hours, at most 30 days).',
  example: 'jobs --from 2026-11-20 --open',
  async run(ctx) {
    const { values } = parseFlags(ctx.args, {
      from: { type: 'string' },
      to: { type: 'string' },
      open: { type: 'boolean' },
    });
    const to = values.to ? parseDate(values.to, 'to') : new Date();
    const from = values.from ? parseDate(values.from, 'from') : new Date(to.getTime() - DAY);
    if (from >= to) throw new UsageError('--from must be before --to');
    if (to.getTime() - from.getTime() > 30 * DAY)
      throw new UsageError('Retarus lists at most 30 days at a time');
    const { capability } = providerWith(ctx, 'jobs', 'retarus');
    const jobIds = await capability.listJobs({ from, to, ...(values.open ? { open: true } : {}) });
    await ctx.reply(
      renderJobsCard({
        from: from.toISOString(),
        to: to.toISOString(),
        ...(values.open ? { open: true } : {}),
        jobIds,
      }),
    );
  },
};
