/**
 * Who may do what from Teams: only the tenants the policy serves (bot/tenant-policy.ts); in a
 * customer thread only that thread's tenant and team; guests and anonymous users neither link,
 * unlink nor send. A refusal of a foreign tenant is logged once and answered nowhere.
 */
import { type Activity, TeamsInfo, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Thread } from '../store/types.ts';
import type { TenantPolicy } from '../tenant-policy.ts';

/** What a guest or an unverifiable member tried; the command or action says it to them. */
export class AccessDenied extends Error {
  override name = 'AccessDenied';
}

/** The tenant an activity comes from; undefined when it names none or names two. */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const data = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromData = typeof data?.tenant?.id === 'string' ? data.tenant.id : undefined;
  const fromConversation = activity.conversation?.tenantId;
  if (fromData && fromConversation && fromData.toLowerCase() !== fromConversation.toLowerCase())
    return undefined;
  return (fromData ?? fromConversation)?.toLowerCase();
}

/** Team members' roles as Teams reports them, kept for a while: one lookup per user, not per message. */
const ROLE_TTL_MS = 10 * 60_000;
const MAX_ROLES = 5_000;

export class TeamsAccess {
  private readonly roles = new Map<string, { role: string; at: number }>();
  private readonly asking = new Map<string, Promise<string>>();

  constructor(
    readonly tenants: TenantPolicy,
    private readonly log: Logger,
  ) {}

  /** Whether the activity's tenant is served; a refusal is logged here, once. */
  async admit(turn: TurnContext): Promise<boolean> {
    const verdict = await this.tenants.check(tenantOf(turn.activity));
    if (!verdict.allowed) this.refused(turn, verdict.reason);
    return verdict.allowed;
  }

  /** For `link`: pins the tenant when the policy pins the first one. False = refused (and logged). */
  async claimTenant(turn: TurnContext): Promise<boolean> {
    const verdict = await this.tenants.claim(tenantOf(turn.activity));
    if (!verdict.allowed) this.refused(turn, verdict.reason);
    return verdict.allowed;
  }

  private refused(turn: TurnContext, reason: string): void {
    const a = turn.activity;
    this.log.warn(
      { tenantId: tenantOf(a) ?? null, activityType: a.type, channelId: a.channelId, reason },
      'activity refused: its tenant is not served by this bot',
    );
  }

  /**
   * Whether a customer thread may be acted on from this turn: the thread's tenant and team (the
   * channel it lives in, which belongs to one team) must be the turn's. Logged when not.
   */
  sameHome(turn: TurnContext, thread: Thread): boolean {
    const ref = thread.conversationRef as { conversation?: { tenantId?: string } } | undefined;
    const threadTenant = ref?.conversation?.tenantId?.toLowerCase();
    const threadChannel = thread.conversationId?.split(';messageid=')[0];
    const data = turn.activity.channelData as { channel?: { id?: unknown } } | undefined;
    const channel = typeof data?.channel?.id === 'string' ? data.channel.id : undefined;
    const tenantOk = threadTenant === undefined || threadTenant === tenantOf(turn.activity);
    const channelOk = threadChannel === undefined || threadChannel === channel;
    if (!tenantOk || !channelOk) {
      this.log.warn(
        { threadId: thread.id, tenantId: tenantOf(turn.activity) ?? null, channel: channel ?? null },
        "refused: the thread belongs to another tenant or team than the message's",
      );
    }
    return tenantOk && channelOk;
  }

  /** Throws AccessDenied unless the user is a member (not a guest, not anonymous) of this team or chat. */
  async requireMember(turn: TurnContext, what: string): Promise<void> {
    const role = await this.roleOf(turn, what);
    if (role === 'guest' || role === 'anonymous')
      throw new AccessDenied(`guests cannot ${what}; ask a member of this team`);
  }

  private async roleOf(turn: TurnContext, what: string): Promise<string> {
    const userId = turn.activity.from?.id ?? '';
    const key = `${tenantOf(turn.activity) ?? ''}/${userId}`;
    const known = this.roles.get(key);
    if (known && Date.now() - known.at < ROLE_TTL_MS) return known.role;
    // An agent's messages that come together ask Teams once: every lookup is a call of the budget.
    let asking = this.asking.get(key);
    if (!asking) {
      asking = this.lookUp(turn, userId, what).finally(() => this.asking.delete(key));
      this.asking.set(key, asking);
    }
    const role = await asking;
    if (this.roles.size >= MAX_ROLES) this.roles.clear();
    this.roles.set(key, { role, at: Date.now() });
    return role;
  }

  private async lookUp(turn: TurnContext, userId: string, what: string): Promise<string> {
    try {
      const member = await TeamsInfo.getMember(turn, userId);
      // Teams names the role of every member; one without is treated as a member.
      return typeof member.userRole === 'string' ? member.userRole.toLowerCase() : 'user';
    } catch (err) {
      const status = (err as { statusCode?: unknown }).statusCode;
      this.log.warn({ status, userId }, 'could not look up the Teams role of a user');
      if (status === 404) throw new AccessDenied(`only members of this team can ${what}`);
      throw new AccessDenied(
        'Teams did not say whether you are a member of this team; try again in a minute',
      );
    }
  }
}
