import { createRequire } from 'node:module';

interface AcEvent {
  event: number;
  message: string;
}

interface AcRegistry {
  unregister(typeName: string): void;
}

interface AcModule {
  Versions: { v1_5: unknown };
  ValidationEvent: Record<number, string>;
  CardObjectRegistry: new () => AcRegistry;
  GlobalRegistry: { populateWithDefaultActions(registry: AcRegistry): void };
  SerializationContext: new (
    version: unknown,
  ) => {
    eventCount: number;
    getEventAt(index: number): AcEvent;
    setActionRegistry(registry: AcRegistry): void;
  };
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: AcEvent[] };
    toJSON(): unknown;
  };
}

// The package's lib/ is extension-less ESM that Node cannot load; the UMD bundle works (teams.md §6).
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AcModule;

/** Parse and validation messages the adaptivecards 1.5 object model reports for a card. */
export function cardProblems(json: unknown): { parse: string[]; validation: string[] } {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  const parse = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  const validation = card.validateProperties().validationEvents.map((event) => event.message);
  return { parse, validation };
}

/** Every string a reader sees: TextBlock text and FactSet titles and values. */
export function visibleTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(visibleTexts);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    typeof value === 'string'
      ? ['text', 'title', 'value'].includes(key)
        ? [value]
        : []
      : visibleTexts(value),
  );
}

/** TextBlocks without `"wrap": true`; Teams cuts them off at one line. */
export function unwrappedTextBlocks(node: unknown): unknown[] {
  if (Array.isArray(node)) return node.flatMap(unwrappedTextBlocks);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const self = record['type'] === 'TextBlock' && record['wrap'] !== true ? [node] : [];
  return [...self, ...Object.values(record).flatMap(unwrappedTextBlocks)];
}

/**
 * Parses a card as a client without Universal Actions would: `Action.Execute` is an unknown type,
 * so the parser takes each one's `fallback`. Returns the event names and the card as parsed.
 */
export function parseWithoutUniversalActions(json: unknown): { events: string[]; parsed: unknown } {
  const registry = new AC.CardObjectRegistry();
  AC.GlobalRegistry.populateWithDefaultActions(registry);
  registry.unregister('Action.Execute');
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  context.setActionRegistry(registry);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  const events = Array.from(
    { length: context.eventCount },
    (_, i) => AC.ValidationEvent[context.getEventAt(i).event] ?? '',
  );
  return { events, parsed: card.toJSON() };
}

/** Every action on a card, top-level and in ActionSets, but not the fallbacks inside actions. */
export function allActions(node: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(node)) return node.flatMap(allActions);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  if (typeof record['type'] === 'string' && record['type'].startsWith('Action.')) return [record];
  return Object.values(record).flatMap(allActions);
}

/** Every element of a type, such as Input.Text, anywhere in a card. */
export function elementsOfType(node: unknown, type: string): Array<Record<string, unknown>> {
  if (Array.isArray(node)) return node.flatMap((item) => elementsOfType(item, type));
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const self = record['type'] === type ? [record] : [];
  return [...self, ...Object.values(record).flatMap((value) => elementsOfType(value, type))];
}
