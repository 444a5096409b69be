/** A Server-Sent Events reader over fetch (EventSource cannot send a bearer token). */
export interface SseEvent {
  id: string;
  event: string;
  data: string;
}

export interface EventStream {
  next(): Promise<SseEvent>;
  until(predicate: (e: SseEvent) => boolean): Promise<SseEvent>;
  close(): void;
}

export async function openEventStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<EventStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  if (res.status !== 200 || !res.body) throw new Error(`${url} answered ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const next = async (): Promise<SseEvent> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        // Comments (heartbeats) and the retry hint are not events.
        if (block.startsWith(':') || block.startsWith('retry:')) continue;
        const event: SseEvent = { id: '', event: 'message', data: '' };
        for (const line of block.split('\n')) {
          const [field, ...rest] = line.split(': ');
          if (field === 'id' || field === 'event' || field === 'data') event[field] = rest.join(': ');
        }
        return event;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      buffer += value;
    }
  };
  return {
    next,
    async until(predicate) {
      for (;;) {
        const e = await next();
        if (predicate(e)) return e;
      }
    },
    close: () => controller.abort(),
  };
}
