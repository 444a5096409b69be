import { describe, expect, it } from 'vitest';
import {
  type AdaptiveCard,
  CARD_VERBS,
  type CardStatus,
  type CustomerThreadCardData,
  type OutboundMessageCardData,
  REPLY_INPUT_ID,
  renderCustomerThreadCard,
  renderOutboundMessageCard,
  renderSendPreviewCard,
} from '../../cards/index.ts';
import { MAX_AGENT_TEXT } from '../../cards/limits.ts';
import {
  allActions,
  cardProblems,
  elementsOfType,
  parseWithoutUniversalActions,
  unwrappedTextBlocks,
  visibleTexts,
} from './validate.ts';

const AT = '2026-11-22T14:05:09Z';
// biome-ignore lint/suspicious/noTemplateCurlyInString: worst-case user text
const HUGE = '"😀\u0001\\${x}{'.repeat(3000);

const thread: CustomerThreadCardData = {
  customer: '+49 170 1234567',
  provider: 'sinch',
  channel: 'sms',
  businessNumber: '+49 30 555 0100',
  text: 'Where is my order?',
  receivedAt: AT,
  threadId: 'th_42',
};

const outbound: OutboundMessageCardData = {
  agent: 'Alex Wilber',
  text: 'Your order ships today.',
  channel: 'sms',
  provider: 'retarus',
  to: '+49 170 1234567',
  status: 'failed',
  reason: 'The number does not exist.',
  messageId: 'msg_7',
};

function expectValid(card: AdaptiveCard): void {
  expect(cardProblems(card)).toEqual({ parse: [], validation: [] });
  expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
  expect(card.actions?.length ?? 0).toBeLessThanOrEqual(5);
  expect(unwrappedTextBlocks(card)).toEqual([]);
  expect(JSON.stringify(card)).not.toMatch(/\$\{(?!x\})/);
}

/** Verb, title and data of every Action.Execute, and whether its fallback matches it. */
function executes(card: AdaptiveCard) {
  return allActions(card).map((action) => {
    expect(action['type']).toBe('Action.Execute');
    expect(action['fallback']).toEqual({
      type: 'Action.Submit',
      title: action['title'],
      data: { ...(action['data'] as object), verb: action['verb'] },
      ...(action['associatedInputs'] ? { associatedInputs: action['associatedInputs'] } : {}),
    });
    return { verb: action['verb'], title: action['title'], data: action['data'] };
  });
}

function replyBoxes(card: AdaptiveCard) {
  return elementsOfType(card, 'Input.Text').filter((input) => input['id'] === REPLY_INPUT_ID);
}

describe('customer thread card actions', () => {
  it('offers a Reply box, Claim and Resolve on an open, unassigned thread', () => {
    const card = renderCustomerThreadCard(thread);
    expectValid(card);
    expect(replyBoxes(card)).toEqual([
      expect.objectContaining({
        isMultiline: true,
        maxLength: MAX_AGENT_TEXT,
        placeholder: 'Reply to the customer…',
        isRequired: true,
      }),
    ]);
    expect(executes(card)).toEqual([
      { verb: 'reply', title: 'Send reply', data: { threadId: 'th_42' } },
      { verb: 'claim', title: 'Claim', data: { threadId: 'th_42' } },
      { verb: 'resolve', title: 'Resolve', data: { threadId: 'th_42' } },
    ]);
    expect(card.actions).toHaveLength(2);
    const texts = visibleTexts(card);
    expect(texts).toContain('Open · unassigned');
  });

  it('shows the assignee with Unassign, and Reopen once resolved', () => {
    const card = renderCustomerThreadCard({ ...thread, assignee: 'Megan Bowen', state: 'resolved' });
    expectValid(card);
    expect(visibleTexts(card)).toContain('✓ Resolved · assigned to Megan Bowen');
    expect(executes(card).map(({ verb }) => verb)).toEqual(['reply', 'unassign', 'reopen']);
  });

  it('sends only the Reply box with the reply button, not with the others', () => {
    const card = renderCustomerThreadCard(thread);
    const [reply, claim, resolve] = allActions(card);
    expect(reply).not.toHaveProperty('associatedInputs');
    expect(claim).toHaveProperty('associatedInputs', 'none');
    expect(resolve).toHaveProperty('associatedInputs', 'none');
  });

  it('hides the Reply box and warns when the customer opted out', () => {
    const card = renderCustomerThreadCard({ ...thread, optedOut: true, assignee: 'Megan Bowen' });
    expectValid(card);
    expect(replyBoxes(card)).toEqual([]);
    expect(executes(card).map(({ verb }) => verb)).toEqual(['unassign', 'resolve']);
    expect(visibleTexts(card).some((text) => text.includes('Opted out (STOP)'))).toBe(true);
  });

  it('has no buttons, state or Reply box without a thread id, as before', () => {
    const card = renderCustomerThreadCard({ ...thread, threadId: undefined });
    expectValid(card);
    expect(card).not.toHaveProperty('actions');
    expect(replyBoxes(card)).toEqual([]);
    expect(visibleTexts(card).join('\n')).not.toContain('unassigned');
    expect(visibleTexts(card).some((text) => text.includes('@mention the bot to text the customer'))).toBe(
      true,
    );
  });

  it('stays valid and under 28 KB in the worst case', () => {
    const card = renderCustomerThreadCard({
      ...thread,
      customer: HUGE,
      businessNumber: HUGE,
      text: HUGE,
      assignee: HUGE,
      threadId: 'th_1',
      media: Array.from({ length: 500 }, () => ({ name: HUGE, contentType: HUGE })),
    });
    expectValid(card);
  });
});

describe('outbound message card Retry', () => {
  it.each(['failed', 'expired', 'rejected'] as const)('offers Retry when %s', (status) => {
    const card = renderOutboundMessageCard({ ...outbound, status });
    expectValid(card);
    expect(executes(card)).toEqual([{ verb: 'retry', title: 'Retry', data: { messageId: 'msg_7' } }]);
  });

  it.each(['queued', 'sent', 'delivered', 'read', 'cancelled', 'unknown'] as const)(
    'has no Retry when %s',
    (status: CardStatus) => {
      const card = renderOutboundMessageCard({ ...outbound, status, reason: undefined });
      expectValid(card);
      expect(card).not.toHaveProperty('actions');
    },
  );

  it('says it was retried instead of offering Retry again', () => {
    const card = renderOutboundMessageCard({ ...outbound, retriedAs: 'msg_8' });
    expectValid(card);
    expect(card).not.toHaveProperty('actions');
    expect(visibleTexts(card)).toContain('↻ Retried: sent again as message msg_8.');
  });

  it('has no Retry without a message id', () => {
    expect(renderOutboundMessageCard({ ...outbound, messageId: undefined })).not.toHaveProperty('actions');
  });
});

describe('Action.Execute fallback', () => {
  const cards = {
    'customer thread': renderCustomerThreadCard(thread),
    outbound: renderOutboundMessageCard(outbound),
    'send preview': renderSendPreviewCard({ token: 'tok', to: '+1', provider: 'sinch', text: 'hi' }),
  };

  it.each(Object.entries(cards))(
    'turns every button of the %s card into Action.Submit with its verb',
    (_, card) => {
      const executesOnCard = allActions(card);
      const { events, parsed } = parseWithoutUniversalActions(card);
      expect(events).toEqual(executesOnCard.map(() => 'UnknownActionType'));
      expect(allActions(parsed)).toEqual(
        executesOnCard.map((action) => expect.objectContaining(action['fallback'] as object)),
      );
      for (const action of allActions(parsed)) {
        expect(action['type']).toBe('Action.Submit');
        expect(CARD_VERBS).toContain((action['data'] as { verb: string }).verb);
      }
    },
  );
});
