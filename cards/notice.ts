import type { ExecuteAction } from './actions.ts';
import { compileTemplate } from './template.ts';
import { clipFacts, clipMessage, clipShort, type Fact, showPlaceholders } from './text.ts';
import type { AdaptiveCard } from './types.ts';

export type NoticeStyle = 'info' | 'good' | 'warning' | 'attention';

export type NoticeFact = Fact;

export interface NoticeCardData {
  title: string;
  /** For an error: what failed and why, and what to do about it. */
  text: string;
  facts?: NoticeFact[];
  /** Defaults to info. */
  style?: NoticeStyle;
  /** Buttons, e.g. Confirm / Cancel of a destructive command. */
  actions?: ExecuteAction[];
}

/** The title's colour: a coloured heading, not a coloured box, which reads as a button. */
const STYLES: Readonly<Record<NoticeStyle, { color: string }>> = {
  info: { color: 'Accent' },
  good: { color: 'Good' },
  warning: { color: 'Warning' },
  attention: { color: 'Attention' },
};

const MAX_FACTS = 12;

const expand = compileTemplate(new URL('./templates/notice.json', import.meta.url));

/** A command's answer ("Linked", "Unlinked") or an error that says what failed and why. */
export function renderNoticeCard(data: NoticeCardData): AdaptiveCard {
  return expand({
    ...STYLES[data.style ?? 'info'],
    title: showPlaceholders(clipShort(data.title)),
    text: showPlaceholders(clipMessage(data.text).text),
    facts: clipFacts(data.facts ?? [], MAX_FACTS),
    actions: data.actions ?? [],
  });
}
