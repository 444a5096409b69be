/**
 * The list side of the Inbox: one list (state and search) paged by cursor, the counts of every
 * list, and a refresh that keeps what was loaded (live updates refetch the loaded rows at once).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  ConversationPage,
  ConversationSummary,
  InboxCounts,
  InboxState,
} from '../../../bot/inbox/wire.ts';
import type { Api } from '../api.ts';

const PAGE = 50;
/** The API's largest page: a refresh reloads at most this many rows in one request. */
const MAX_PAGE = 200;

export interface ConversationList {
  items: ConversationSummary[];
  counts?: InboxCounts;
  hasMore: boolean;
  loading: boolean;
  error?: string;
  loadMore(): void;
  refresh(): void;
}

export function useConversations(api: Api, state: InboxState, q: string, channel?: string): ConversationList {
  const [items, setItems] = useState<ConversationSummary[]>([]);
  const [counts, setCounts] = useState<InboxCounts>();
  const [cursor, setCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  // Answers of an older list (another tab or search) are dropped.
  const generation = useRef(0);
  const loaded = useRef(0);

  const query = useCallback(
    (limit: number, withCounts: boolean, after?: string) => {
      const params = new URLSearchParams({ state, limit: String(limit) });
      if (q.trim()) params.set('q', q.trim());
      if (channel) params.set('channel', channel);
      if (after) params.set('cursor', after);
      if (!withCounts) params.set('counts', '0');
      return api.get<ConversationPage>(`conversations?${params}`);
    },
    [api, state, q, channel],
  );

  const load = useCallback(
    async (limit: number, append: boolean, withCounts: boolean, after?: string) => {
      const mine = append ? generation.current : ++generation.current;
      setLoading(true);
      try {
        const page = await query(limit, withCounts, after);
        if (mine !== generation.current) return;
        setItems((old) => {
          const next = append ? [...old, ...page.items] : page.items;
          loaded.current = next.length;
          return next;
        });
        if (page.counts) setCounts(page.counts);
        setCursor(page.nextCursor);
        setError(undefined);
      } catch (err) {
        if (mine === generation.current) setError((err as Error).message);
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [query],
  );

  // The counts are of the lists, not of the search: typing a search keeps the ones shown.
  const searching = q.trim() !== '';
  useEffect(() => {
    loaded.current = 0;
    void load(PAGE, false, !searching);
  }, [load, searching]);

  return {
    items,
    counts,
    hasMore: cursor !== undefined,
    loading,
    error,
    loadMore: () => {
      if (cursor && !loading) void load(PAGE, true, false, cursor);
    },
    refresh: () => void load(Math.min(MAX_PAGE, Math.max(PAGE, loaded.current)), false, true),
  };
}
