import { renderJobCard } from '../../cards/job.ts';
import { providerWith } from './provider-of.ts';
import { type Command, UsageError } from './types.ts';

export const job: Command = {
  name: 'job',
  usage: 'job <job-id>',
  description: 'Shows a Retarus send job and the status of every recipient.',
  example: 'job J.20261123-101530.123-abcdefghijkl',
  async run(ctx) {
    const jobId = ctx.args[0];
    if (!jobId) throw new UsageError('Name the job id (it starts with "J.").');
    const { capability } = providerWith(ctx, 'jobs', 'retarus');
    const [report, recipients] = await Promise.all([
      capability.getJob(jobId),
      capability.getJobRecipients(jobId),
    ]);
    await ctx.reply(
      renderJobCard({
        jobId: report.jobId,
        sender: report.sender,
        encoding: report.encoding,
        receivedAt: report.receivedAt,
        finishedAt: report.finishedAt,
        recipients: recipients.map((r) => ({
          to: r.to,
          status: r.status,
          vendorStatus: r.vendorStatus,
          reason: r.reason,
          finishedAt: r.finishedAt,
        })),
      }),
    );
  },
};
