import { renderNoticeCard } from '../../cards/notice.ts';
import { normalizePhone } from './phone.ts';
import type { Command } from './types.ts';

export const optout: Command = {
  name: 'optout',
  usage: 'optout <number>',
  description: 'Marks a customer number as opted out: nothing is sent to it until `optin`.',
  example: 'optout +61491570156',
  async run({ args, store, turn, reply }) {
    const number = normalizePhone(args.join('') || undefined);
    const changed = await store.setOptOut(number, true, turn.activity.from?.name ?? 'an agent');
    await reply(
      renderNoticeCard({
        title: 'Opted out',
        text: `${number} gets no more messages from textbridge until someone types \`optin ${number}\`.${changed.threads > 0 ? ` ${changed.threads} conversation card${changed.threads === 1 ? '' : 's'} now show it.` : ''}`,
        style: 'warning',
      }),
    );
  },
};

export const optin: Command = {
  name: 'optin',
  usage: 'optin <number>',
  description: 'Lifts an opt-out, after the customer agreed to receive messages again.',
  example: 'optin +61491570156',
  async run({ args, store, turn, reply }) {
    const number = normalizePhone(args.join('') || undefined);
    await store.setOptOut(number, false, turn.activity.from?.name ?? 'an agent');
    await reply(
      renderNoticeCard({ title: 'Opted in', text: `${number} can receive messages again.`, style: 'good' }),
    );
  },
};
