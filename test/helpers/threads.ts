/** Waits for a customer thread the way an agent finds it: posted in Teams and known to the bot. */
import type { Store } from '../../bot/store/types.ts';
import type { FakeConnector, FakeWrite } from '../fakes/bot-connector.ts';
import { cardText } from './cards.ts';
import { eventually } from './wait.ts';

/**
 * The root card of the customer thread that shows `text`, once the bot has recorded the thread.
 * The fake connector holds the card the moment the bot posts it, a little before the bot commits
 * the thread's Teams ids; an answer in between is not in a known thread yet, so it reads as a
 * command. No agent answers that fast; a test on a busy machine does.
 */
export function customerThread(
  store: Store,
  connector: FakeConnector,
  text: string,
  timeoutMs?: number,
): Promise<FakeWrite> {
  return eventually(
    `the customer thread of "${text}"`,
    async () => {
      const root = connector.posts.find((p) => cardText(p.activity).includes(text));
      return root && (await store.getThreadByConversation(root.conversationId)) ? root : undefined;
    },
    timeoutMs,
  );
}
