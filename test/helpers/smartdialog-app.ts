/** The bot in-process against the SmartDialog fake, its inbound webhook registered as an operator would. */
import { registerSmartDialogWebhook } from '../../adapters/smartdialog/index.ts';
import { FAKE_SMARTDIALOG, type FakeSmartDialog } from '../fakes/smartdialog.ts';
import { type AppHarness, startApp } from './app.ts';

export const SMARTDIALOG_SECRET = 'smartdialog-secret-0123456789';
export const SMARTDIALOG_TOKEN = 'sd-access-token';

export async function startSmartDialogApp(
  fake: FakeSmartDialog,
  env: Record<string, string>,
): Promise<AppHarness> {
  const h = await startApp(() => ({
    SMARTDIALOG_BASE_URL: fake.baseUrl,
    SMARTDIALOG_ACCESS_TOKEN: SMARTDIALOG_TOKEN,
    SMARTDIALOG_CUSTOMER_ID: FAKE_SMARTDIALOG.customerId,
    SMARTDIALOG_SERVICE_ID: FAKE_SMARTDIALOG.serviceId,
    SMARTDIALOG_WEBHOOK_SECRET: SMARTDIALOG_SECRET,
    ...env,
  }));
  await registerSmartDialogWebhook(
    {
      baseUrl: fake.baseUrl,
      auth: { accessToken: SMARTDIALOG_TOKEN },
      customerId: FAKE_SMARTDIALOG.customerId,
      serviceId: FAKE_SMARTDIALOG.serviceId,
    },
    FAKE_SMARTDIALOG.twoWayServiceId,
    `${h.url}/webhooks/smartdialog?secret=${SMARTDIALOG_SECRET}`,
  );
  return h;
}
