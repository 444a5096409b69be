/**
 * Confirm / Cancel on the card a destructive command answers with first. The token names what is
 * confirmed; nothing is kept on the server between the card and the click.
 */
import { renderNoticeCard } from '../../../cards/notice.ts';
import type { AdaptiveCard } from '../../../cards/types.ts';
import { type ActionContext, type ActionHandler, ActionRefused, field } from './types.ts';

export type ConfirmedAction = 'contact-delete-all';

export function confirmToken(action: ConfirmedAction): string {
  return Buffer.from(JSON.stringify({ action, at: Date.now() })).toString('base64url');
}

function actionOf(token: string): ConfirmedAction | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { action?: unknown };
    return value.action === 'contact-delete-all' ? value.action : undefined;
  } catch {
    return undefined;
  }
}

const RUN: Readonly<Record<ConfirmedAction, (ctx: ActionContext) => Promise<AdaptiveCard>>> = {
  async 'contact-delete-all'(ctx) {
    const contacts = ctx.providers.smartdialog?.capabilities.contacts;
    if (!contacts) throw new ActionRefused('SmartDialog group contacts are not enabled on this bot');
    await ctx.access.requireMember(ctx.turn, 'delete contacts');
    await contacts.deleteAllContacts();
    return renderNoticeCard({
      title: 'All contacts deleted',
      text: `${ctx.user.name} deleted every contact of the SmartDialog group.`,
      style: 'good',
    });
  },
};

export const confirm: ActionHandler = async (ctx) => {
  const action = actionOf(field(ctx.data, 'token'));
  if (!action) throw new ActionRefused('this confirmation is damaged; type the command again');
  return RUN[action](ctx);
};

export const cancelConfirm: ActionHandler = async () =>
  renderNoticeCard({ title: 'Cancelled', text: 'Nothing was changed.', style: 'info' });
