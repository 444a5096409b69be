/** A sample configuration for the manifest tests, read by the bot's own loadConfig. */
import { type Config, loadConfig } from '../../bot/config.ts';
import { bundledSchema } from '../../manifest/validate.ts';

export const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
export const OTHER_APP_ID = '9b2c1a7e-0d4f-4c3b-8e5a-6f7d8c9b0a12';

export function sampleConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'x',
    PUBLIC_URL: 'https://bot.example.com',
    ...env,
  });
}

type JsonSchema = {
  properties: Record<string, JsonSchema>;
  items: JsonSchema;
  maxItems: number;
  maxLength: number;
};

/** The v1.24 schema bundled in @microsoft/app-manifest, and the command-list limits it sets. */
export const SCHEMA = bundledSchema('1.24');
const commandLists = (SCHEMA as unknown as JsonSchema).properties['bots']!.items.properties['commandLists']!;
const commandItems = commandLists.items.properties['commands']!;
export const SCHEMA_LIMITS = {
  lists: commandLists.maxItems,
  commands: commandItems.maxItems,
  title: commandItems.items.properties['title']!.maxLength,
  description: commandItems.items.properties['description']!.maxLength,
};
