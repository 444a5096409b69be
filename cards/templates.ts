import { executeAction } from './actions.ts';
import { fitRows } from './fit.ts';
import { compileTemplate } from './template.ts';
import { clipShort, formatCount, plural } from './text.ts';
import type { AdaptiveCard, CardTemplate } from './types.ts';

export interface TemplatesCardData {
  templates: CardTemplate[];
  /** The customer the template goes to, pre-filled in the send form. */
  to?: string;
  /** Preselected template id. */
  selected?: string;
  /** Why the list is shown (a held free-text answer outside WhatsApp's 24-hour window). */
  note?: string;
  /** Changes with every rendering, so each card's Send is its own (a double click sends once). */
  nonce?: string;
}

/** Most templates listed; fewer when more would not fit the card. */
export const MAX_TEMPLATES = 30;
/** Longest content preview, in characters. */
export const MAX_TEMPLATE_PREVIEW_CHARS = 300;

const expand = compileTemplate(new URL('./templates/templates.json', import.meta.url));

/** The answer to `templates`: the WhatsApp templates agents can send. */
export function renderTemplatesCard(data: TemplatesCardData): AdaptiveCard {
  const count = data.templates.length;
  return fitRows(data.templates, MAX_TEMPLATES, (shown, hidden) =>
    expand({
      title: count === 0 ? 'WhatsApp templates' : `WhatsApp templates (${formatCount(count)})`,
      templates: shown.map(templateRow),
      more: hidden > 0 ? `…and ${plural(hidden, 'more template')}.` : '',
      note: clipShort(data.note?.trim() ?? '', 400),
      to: clipShort(data.to ?? '', 32),
      selected: data.selected ?? '',
      choices: shown.map((t) => ({ title: clipShort(choiceTitle(t), 80), value: t.id })),
      actions:
        count === 0
          ? []
          : [executeAction('Send template', 'send-template', { nonce: data.nonce ?? 'templates' })],
    }),
  );
}

function choiceTitle(t: CardTemplate): string {
  const params = t.parameters ? ` · ${plural(t.parameters, 'parameter')}` : '';
  return `${t.name}${t.language ? ` (${t.language})` : ''}${params}`;
}

function templateRow(template: CardTemplate) {
  const details = [
    template.parameters !== undefined ? plural(template.parameters, 'parameter') : undefined,
    template.category?.trim() && clipShort(template.category.trim(), 40),
    template.language?.trim() && clipShort(template.language.trim(), 20),
    `id ${clipShort(template.id, 60)}`,
  ].filter(Boolean);
  return {
    name: clipShort(template.name),
    details: details.join(' · '),
    content: clipShort(template.content?.trim() ?? '', MAX_TEMPLATE_PREVIEW_CHARS),
  };
}
