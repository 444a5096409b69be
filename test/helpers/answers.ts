/** Finds the bot's answer to an activity among everything the fake connector received. */
import type { FakeConnector, FakeWrite } from '../fakes/bot-connector.ts';
import { eventually } from './wait.ts';

/**
 * The first card the bot sent in answer to `activity` (botbuilder marks a turn's replies with the
 * id of the activity they answer). Not "the next post": cards the worker posts meanwhile, such as
 * the thread a `text` started, land in the same channel and sometimes first.
 */
export function answerTo(connector: FakeConnector, activity: Record<string, unknown>): Promise<FakeWrite> {
  const id = activity['id'];
  const text = String(activity['text'] ?? activity['type']).slice(0, 60);
  return eventually(`an answer to "${text}"`, () => connector.posts.find((p) => p.activity.replyToId === id));
}
