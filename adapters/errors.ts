/**
 * The small set of typed errors adapters throw. The worker decides retry or give up from the
 * class alone; the message is written for the agent who reads it on a card.
 */

export class ProviderError extends Error {
  /** Whether trying the same call again later may succeed. */
  readonly retryable: boolean = false;
  constructor(
    message: string,
    readonly provider: string,
    readonly status?: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 401/403: credentials are wrong or lack a permission. Not retried. */
export class ProviderAuthError extends ProviderError {}

/** 429 (or a documented throttle). Retried after retryAfterMs when the provider gave one. */
export class ProviderRateLimitError extends ProviderError {
  override readonly retryable = true;
  constructor(
    message: string,
    provider: string,
    readonly retryAfterMs?: number,
    status = 429,
  ) {
    super(message, provider, status);
  }
}

/** 400/422: the provider refused the request as invalid. Not retried. */
export class ProviderValidationError extends ProviderError {}

/** 404: the provider does not know this id. */
export class ProviderNotFoundError extends ProviderError {}

/** 5xx, timeouts, connection errors: the provider is unavailable right now. Retried. */
export class ProviderUnavailableError extends ProviderError {
  override readonly retryable = true;
  constructor(
    message: string,
    provider: string,
    status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message, provider, status);
  }
}

/** The provider has no such operation. */
export class ProviderNotSupportedError extends ProviderError {}

/** A webhook failed authentication (secret or signature). Maps to 401. */
export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

/** A webhook body could not be understood. Maps to 400; the message names the field. */
export class WebhookParseError extends Error {
  override name = 'WebhookParseError';
}
