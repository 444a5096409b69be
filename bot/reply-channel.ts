/** How an agent's answer goes out. */
import type { MessageChannel } from '../adapters/types.ts';

/**
 * The channel an agent's answer goes out on: what it carries decides, not how the thread began.
 * Answers typed in Teams carry text only, so an MMS thread is answered by SMS (an MMS without
 * media would be billed as MMS for nothing); RCS and WhatsApp threads stay on their channel.
 */
export function replyChannel(threadChannel: MessageChannel, hasMedia = false): MessageChannel {
  if (threadChannel === 'mms' || threadChannel === 'sms') return hasMedia ? 'mms' : 'sms';
  return threadChannel;
}
