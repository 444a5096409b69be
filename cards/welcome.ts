import { compileTemplate } from './template.ts';
import { clipShort } from './text.ts';
import type { AdaptiveCard } from './types.ts';

export interface WelcomeCardData {
  /** The bot's name as agents @mention it; defaults to textbridge. */
  botName?: string;
}

const expand = compileTemplate(new URL('./templates/welcome.json', import.meta.url));

/** Posted once when the app is installed in a team: what it does and how to set it up. */
export function renderWelcomeCard(data: WelcomeCardData = {}): AdaptiveCard {
  return expand({ botName: clipShort(data.botName || 'textbridge', 40) });
}
