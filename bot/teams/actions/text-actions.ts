/** Send / Cancel on the preview card of a long `text` command. */
import { renderNoticeCard } from '../../../cards/notice.ts';
import { startTexts } from '../../commands/start-text.ts';
import { decodeTextRequest, textRequestKey } from '../../commands/text-request.ts';
import { textProblem } from '../../text-fit.ts';
import { type ActionHandler, ActionRefused, field } from './types.ts';

export const sendText: ActionHandler = async (ctx) => {
  const token = field(ctx.data, 'token');
  const request = decodeTextRequest(token);
  if (!request) throw new ActionRefused('this preview is damaged; type the `text` command again');
  const provider = ctx.providers[request.provider];
  if (!provider) throw new ActionRefused(`${request.provider} is no longer enabled on this bot`);
  await ctx.access.requireMember(ctx.turn, 'text customers');
  const problem = textProblem(provider, provider.defaultChannel ?? 'sms', request.text);
  if (problem) throw new ActionRefused(problem);
  // The key comes from the token: a second click on the same preview sends nothing more.
  return startTexts(ctx.store, request, ctx.user, textRequestKey(token), provider);
};

export const cancelText: ActionHandler = async () =>
  renderNoticeCard({
    title: 'Not sent',
    text: 'The message was cancelled; nothing went to the customer.',
    style: 'info',
  });
