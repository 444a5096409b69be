/**
 * Which linked channels a user may see: those of teams the Bot Connector says they belong to,
 * asked once per team and user and remembered for a few minutes (Teams allows a bot about 14
 * member lookups a second per team, teams.md §2). A lookup that fails is not remembered.
 */
import type { Route } from '../../store/types.ts';
import type { MemberLookup } from '../../teams/members.ts';

export const MEMBERSHIP_TTL_MS = 5 * 60_000;

interface Entry {
  at: number;
  member: Promise<boolean>;
}

export class Membership {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly lookup: MemberLookup,
    private readonly ttlMs = MEMBERSHIP_TTL_MS,
    private readonly now = () => Date.now(),
  ) {}

  /** The channel ids among `routes` whose team `userId` belongs to. */
  async visibleChannels(routes: readonly Route[], userId: string): Promise<string[]> {
    const byChannel = new Map<string, Route>();
    for (const r of routes) if (!byChannel.has(r.teamsChannelId)) byChannel.set(r.teamsChannelId, r);
    const channels = [...byChannel.values()];
    const allowed = await Promise.all(channels.map((r) => this.isMember(r, userId)));
    return channels.filter((_, i) => allowed[i]).map((r) => r.teamsChannelId);
  }

  private isMember(route: Route, userId: string): Promise<boolean> {
    // Routes linked before team ids were recorded: the channel's own conversation answers for it.
    const team = route.team?.id ?? route.teamsChannelId;
    const key = `${team}\n${userId}`;
    const cached = this.cache.get(key);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.member;
    const member = this.lookup(route.conversationRef, team, userId);
    this.cache.set(key, { at: this.now(), member });
    member.catch(() => this.cache.delete(key));
    if (this.cache.size > 10_000) this.prune();
    return member;
  }

  private prune(): void {
    const now = this.now();
    for (const [key, entry] of this.cache) if (now - entry.at >= this.ttlMs) this.cache.delete(key);
  }
}
