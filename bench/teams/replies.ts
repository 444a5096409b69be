/**
 * Customer threads to answer, for the receipts and sends scenarios: `n` customers write once, each
 * into one of `channels` linked channels, and the bot has posted and recorded every thread.
 */
import { eventually } from '../../test/helpers/wait.ts';
import type { TeamsBench } from './harness.ts';

export const replyChannel = (i: number) => `19:replies-${i}@thread.tacv2`;
const business = (i: number) => `+6149158${String(1000 + i)}`;
const customer = (c: number) => `+447700${String(800000 + c)}`;

/** The Teams conversation id of each customer's thread, in customer order. */
export async function customerThreads(bench: TeamsBench, n: number, channels: number): Promise<string[]> {
  for (let i = 0; i < channels; i++) await bench.link(replyChannel(i), business(i));
  const texts = Array.from({ length: n }, (_, c) => `Hello from customer ${c}`);
  await Promise.all(texts.map((text, c) => bench.inbound(customer(c), business(c % channels), text)));
  const store = bench.h.app.store;
  return Promise.all(
    texts.map(async (text) => {
      const card = await eventually(
        `the thread of "${text}"`,
        () => bench.shown().find((w) => w.text.split('\n').includes(text)),
        180_000,
      );
      await eventually(
        'the thread recorded',
        () => store.getThreadByConversation(card.conversationId),
        30_000,
      );
      return card.conversationId;
    }),
  );
}

/** Every thread gets an agent's answer at once; the answers' texts, in thread order. */
export async function answerAll(bench: TeamsBench, threads: readonly string[]): Promise<string[]> {
  const answers = threads.map((_, i) => `Answer ${i}: your parcel leaves today.`);
  const statuses = await Promise.all(
    threads.map((conversationId, i) => bench.reply(conversationId, answers[i] ?? '')),
  );
  if (statuses.some((s) => s !== 200)) throw new Error(`the bot refused an answer: ${statuses.join(' ')}`);
  return answers;
}
