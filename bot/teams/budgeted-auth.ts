/**
 * Bot Framework authentication whose connector clients spend the Teams budget: every client it
 * makes (for proactive calls, new conversations and the replies of a turn) gets budget-policy.ts
 * in its HTTP pipeline, after the retry policy.
 */
import {
  type Activity,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type {
  AuthenticateRequestResult,
  ClaimsIdentity,
  ConnectorFactory,
  ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { TeamsBudget } from '../budget/teams-budget.ts';
import { BUDGET_POLICY, budgetPolicy, type PipelinePolicyLike } from './budget-policy.ts';

interface PipelineLike {
  addPolicy(policy: PipelinePolicyLike, options: { afterPhase: 'Retry' }): void;
  getOrderedPolicies(): Array<{ name: string }>;
}

export class BudgetedAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    options: ConfigurationBotFrameworkAuthenticationOptions,
    credentials: ServiceClientCredentialsFactory | undefined,
    private readonly budget: TeamsBudget,
  ) {
    super(options, credentials);
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.budgeted(super.createConnectorFactory(claimsIdentity));
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    return this.withBudget(await super.authenticateRequest(activity, authHeader));
  }

  override async authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    return this.withBudget(await super.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  private withBudget(result: AuthenticateRequestResult): AuthenticateRequestResult {
    return result.connectorFactory
      ? { ...result, connectorFactory: this.budgeted(result.connectorFactory) }
      : result;
  }

  private budgeted(factory: ConnectorFactory): ConnectorFactory {
    const budget = this.budget;
    return {
      async create(serviceUrl: string, audience?: string) {
        const client = await factory.create(serviceUrl, audience);
        // botbuilder 4.23's ServiceClientContext keeps its @azure/core-client client here; a
        // release that moves it fails this loudly (and test/teams/budget-policy.test.ts with it).
        const pipeline = (client as unknown as { client?: { pipeline?: PipelineLike } }).client?.pipeline;
        if (!pipeline) throw new Error('the Bot Framework connector client has no HTTP pipeline to budget');
        if (!pipeline.getOrderedPolicies().some((p) => p.name === BUDGET_POLICY)) {
          pipeline.addPolicy(budgetPolicy(budget), { afterPhase: 'Retry' });
        }
        return client;
      },
    } as ConnectorFactory;
  }
}
