/** Reads what an agent would see on a card the fake connector received. */
export function cardText(activity: unknown): string {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if ((k === 'text' || k === 'value' || k === 'title') && typeof v === 'string') texts.push(v);
        else walk(v);
      }
    }
  };
  walk((activity as { attachments?: unknown })?.attachments);
  return texts.join('\n');
}
