/**
 * Registers (or removes) the SmartDialog "new message" webhook action that delivers customers'
 * messages to /webhooks/smartdialog. An operator runs it once per two-way service:
 *
 *   npm run smartdialog:webhook -- register <two-way service id>
 *   npm run smartdialog:webhook -- unregister <pipeline id> <action id>
 */
import { existsSync } from 'node:fs';
import {
  registerSmartDialogWebhook,
  unregisterSmartDialogWebhook,
} from '../../adapters/smartdialog/index.ts';
import { ConfigError, loadConfig } from '../config.ts';

const USAGE = `usage: npm run smartdialog:webhook -- register <two-way service id>
       npm run smartdialog:webhook -- unregister <pipeline id> <action id>`;

async function main(argv: string[]): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const d = config.smartdialog;
  if (!d) {
    const reason = config.disabled.find((x) => x.provider === 'smartdialog')?.reason;
    console.error(`SmartDialog is not enabled: ${reason}. Set its variables first (see docs/providers.md).`);
    return 1;
  }
  const options = { baseUrl: d.baseUrl, auth: d.auth, customerId: d.customerId, serviceId: d.serviceId };
  const [action, a, b] = argv;
  if (action === 'register' && a) {
    if (!config.publicUrl) {
      console.error('PUBLIC_URL is not set: SmartDialog needs the public address of this bot to call.');
      return 1;
    }
    const url = `${config.publicUrl}/webhooks/smartdialog?secret=${encodeURIComponent(d.webhookSecret)}`;
    const result = await registerSmartDialogWebhook(options, a, url);
    console.log(`Registered: messages of service ${a} now reach ${config.publicUrl}/webhooks/smartdialog`);
    console.log(`  action id:   ${result.actionId}`);
    console.log(
      `  pipeline id: ${result.pipelineId ?? '(not returned; see the Location header in the logs)'}`,
    );
    console.log(
      `To remove it: npm run smartdialog:webhook -- unregister ${result.pipelineId ?? '<pipeline id>'} ${result.actionId}`,
    );
    return 0;
  }
  if (action === 'unregister' && a && b) {
    await unregisterSmartDialogWebhook(options, a, b);
    console.log(`Removed action ${b} from pipeline ${a}.`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `Failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
