import { renderNoticeCard } from '../../cards/notice.ts';
import { textProblem } from '../text-fit.ts';
import { providerWith } from './provider-of.ts';
import { type Command, UsageError } from './types.ts';

export const discussion: Command = {
  name: 'discussion',
  usage: 'discussion <thread-id> <message>',
  description:
    'Replies in a SmartDialog discussion thread by its ThreadId (as SmartDialog shows it); the reply goes to that thread’s recipients.',
  example: 'discussion 8c2f51a4-0d6e-4a57-9d5e-7f1b2a3c4d5e We have restocked, see you soon!',
  async run(ctx) {
    const threadId = ctx.args[0];
    const content = ctx.rest.slice(threadId?.length ?? 0).trim();
    if (!threadId) throw new UsageError('Name the SmartDialog discussion ThreadId.');
    if (!content) throw new UsageError('Write the reply after the ThreadId.');
    await ctx.access.requireMember(ctx.turn, 'send to customers');
    const { provider, capability } = providerWith(ctx, 'discussion', 'smartdialog');
    const problem = textProblem(provider, 'sms', content);
    if (problem) throw new UsageError('the reply does not fit', `${problem}.`);
    const sent = await capability.reply(threadId, content);
    await ctx.reply(
      renderNoticeCard({
        title: 'Discussion reply sent',
        text: `Sent to SmartDialog discussion thread ${sent.threadId ?? threadId}.`,
        style: 'good',
        facts: [
          { title: 'SmartDialog message id', value: sent.messageId },
          { title: 'Recipients', value: String(sent.recipients) },
        ],
      }),
    );
  },
};
