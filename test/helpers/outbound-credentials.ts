/** Outbound Bot Framework calls that carry a fixed token instead of one from Entra. */
import type { ServiceClientCredentialsFactory } from 'botframework-connector';

export function fakeOutboundCredentials(appId: string): ServiceClientCredentialsFactory {
  return {
    isValidAppId: async (id: string) => id === appId,
    isAuthenticationDisabled: async () => false,
    createCredentials: async () => ({
      signRequest: async (req: { headers: { set(k: string, v: string): void } }) => {
        req.headers.set('authorization', 'Bearer outbound-test-token');
        return req;
      },
    }),
  } as never;
}
