import { readFileSync } from 'node:fs';
import ACData from 'adaptivecards-templating';
import type { AdaptiveCard } from './types.ts';

/**
 * Reads a JSON template once and returns its expander. Every field a template binds must be
 * present in the data: adaptivecards-templating leaves an undefined `${field}` in the output.
 */
export function compileTemplate<T extends object>(url: URL): (data: T) => AdaptiveCard {
  const template = new ACData.Template(JSON.parse(readFileSync(url, 'utf8')));
  return (data) => {
    const card = template.expand({ $root: data }) as AdaptiveCard;
    // A card whose buttons all depend on the data may end up with none; leave the key out then.
    if (card.actions?.length === 0) delete card.actions;
    return card;
  };
}
