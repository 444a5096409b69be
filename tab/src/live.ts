/**
 * The Inbox's live updates: Server-Sent Events read with fetch (EventSource cannot send the
 * bearer token), reconnecting with Last-Event-ID so that nothing is missed across a drop.
 */
import type { ChangeEvent } from '../../bot/inbox/wire.ts';
import type { Api } from './api.ts';

export interface LiveHandlers {
  change(conversations: string[]): void;
  /** Too much was missed to replay: reload everything. */
  reset(): void;
  status(connected: boolean): void;
}

export function followChanges(api: Api, channel: string | undefined, on: LiveHandlers): () => void {
  let lastId: string | undefined;
  let stopped = false;
  let controller: AbortController | undefined;
  let delay = 1_000;
  const query = channel ? `?channel=${encodeURIComponent(channel)}` : '';

  const dispatch = (block: string) => {
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) lastId = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (event === 'change') on.change((JSON.parse(data) as ChangeEvent).conversations);
    else if (event === 'reset') on.reset();
  };

  const connect = async () => {
    controller = new AbortController();
    const res = await api.fetch(`events${query}`, {
      headers: lastId ? { 'last-event-id': lastId } : {},
      signal: controller.signal,
    });
    if (!res.ok || !res.body) throw new Error(`events answered ${res.status}`);
    on.status(true);
    delay = 1_000;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  };

  const loop = async () => {
    while (!stopped) {
      try {
        await connect();
      } catch (err) {
        if (stopped) return;
        console.warn('Inbox live updates interrupted', err);
      }
      on.status(false);
      if (stopped) return;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 15_000);
    }
  };
  void loop();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
