/** What an agent wrote in Teams, as the bot reads it: mention removed, light HTML undone. */
import type { TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { agentText } from '../../bot/teams/mention.ts';

const BOT = { id: '28:bot', name: 'textbridge' };

function turn(text: string, mention = true): TurnContext {
  const entities = mention ? [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }] : [];
  return {
    activity: { type: 'message', text, recipient: BOT, from: { id: '29:agent' }, entities },
  } as unknown as TurnContext;
}

describe('agentText', () => {
  it('removes the mention and says the bot was mentioned', () => {
    expect(agentText(turn(`<at>${BOT.name}</at> Your parcel ships today.`))).toEqual({
      text: 'Your parcel ships today.',
      mentioned: true,
    });
    expect(agentText(turn('Internal note only', false))).toEqual({
      text: 'Internal note only',
      mentioned: false,
    });
  });

  it('keeps line breaks and paragraphs as new lines', () => {
    const { text } = agentText(turn(`<at>${BOT.name}</at> <p>Hello,</p><p>it ships today.<br>Regards</p>`));
    expect(text).toBe('Hello,\nit ships today.\nRegards');
  });

  it('decodes entities once, &amp; last', () => {
    expect(
      agentText(turn(`<at>${BOT.name}</at> Fish &amp; chips &lt;3 &quot;ok&quot; it&#39;s&nbsp;fine`)).text,
    ).toBe(`Fish & chips <3 "ok" it's fine`);
    // The agent typed the characters "&lt;" themselves: Teams sent them as "&amp;lt;".
    expect(agentText(turn(`<at>${BOT.name}</at> write &amp;lt; for <`)).text).toBe('write &lt; for <');
  });
});
