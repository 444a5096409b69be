import { fitRows } from './fit.ts';
import { compileTemplate } from './template.ts';
import { clipShort, formatCount, plural } from './text.ts';
import type { AdaptiveCard, CardTemplate } from './types.ts';

export interface TemplatesCardData {
  templates: CardTemplate[];
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
    }),
  );
}

function templateRow(template: CardTemplate) {
  const details = [
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
