import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../bot/config.ts';

type Env = Record<string, string | undefined>;

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const WEBHOOK_SECRET = 'a-webhook-secret-of-some-length';
const SINCH: Env = {
  SINCH_API_KEY: 'key',
  SINCH_API_SECRET: 'secret',
  SINCH_WEBHOOK_SECRET: WEBHOOK_SECRET,
  PUBLIC_URL: 'https://bot.example.com',
};

/** Loads `env` expecting a ConfigError, and returns it. */
function configError(env: Env): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

/** The problem reported for `variable`, checking it also appears in the message. */
function problemFor(env: Env, variable: string): string {
  const error = configError(env);
  const problem = error.problems.find((p) => p.variable === variable);
  expect(problem, `a problem naming ${variable} in ${JSON.stringify(error.problems)}`).toBeDefined();
  expect(error.message).toContain(`${variable}: ${problem?.message}`);
  return problem?.message ?? '';
}

describe('loadConfig defaults', () => {
  it('starts with the documented defaults from an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3978);
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.sqlitePath).toBe(path.join(path.resolve('./data'), 'textbridge.sqlite'));
    expect(config.publicUrl).toBeUndefined();
    expect(config.logLevel).toBe('info');
    expect(config.sinch).toBeUndefined();
    expect(config.bot.appId).toBe('');
    expect(config.bot.appType).toBe('MultiTenant');
    expect(config.teamsAppId).toBeUndefined();
    expect(config.teamsRatePer30s).toBe(60);
    expect(config.warnings).toEqual([]);
    const sinch = config.disabled.find((d) => d.provider === 'sinch');
    expect(sinch?.reason).toContain('SINCH_API_KEY');
    expect(config.disabled.map((d) => d.provider).sort()).toEqual([
      'retarus',
      'sinch',
      'sinch-conversation',
      'smartdialog',
    ]);
  });

  it('treats blank variables as unset', () => {
    const config = loadConfig({ PORT: '  ', DATA_DIR: '', SINCH_API_KEY: ' ', LOG_LEVEL: '' });
    expect(config.port).toBe(3978);
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.sinch).toBeUndefined();
  });

  it('resolves DATA_DIR and takes a valid PORT', () => {
    const config = loadConfig({ DATA_DIR: 'some/where', PORT: '8080', LOG_LEVEL: 'debug' });
    expect(config.dataDir).toBe(path.resolve('some/where'));
    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect(config.port).toBe(8080);
    expect(config.logLevel).toBe('debug');
  });

  it('returns a frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(config.port).toBe(3978);
  });
});

describe('loadConfig names the variable of every mistake', () => {
  it.each([
    ['PORT', { PORT: 'abc' }, 'abc'],
    ['PORT', { PORT: '70000' }, '70000'],
    ['PUBLIC_URL', { PUBLIC_URL: 'ftp://x' }, 'ftp://x'],
    ['SINCH_REGION', { SINCH_REGION: 'mars' }, 'mars'],
    ['SINCH_BASE_URL', { SINCH_BASE_URL: 'not a url' }, 'not a url'],
    ['SINCH_RATE_LIMIT', { ...SINCH, SINCH_RATE_LIMIT: '0' }, '0'],
    ['SINCH_SOURCE_NUMBER', { ...SINCH, SINCH_SOURCE_NUMBER: 'invalid!!' }, 'invalid!!'],
    ['MicrosoftAppType', { MicrosoftAppType: 'Foo' }, 'Foo'],
    ['MicrosoftAppId', { MicrosoftAppId: 'my-bot', MicrosoftAppPassword: 'pw' }, 'my-bot'],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, 'loud'],
  ] as Array<[string, Env, string]>)('%s: %j', (variable, env, shown) => {
    expect(problemFor(env, variable)).toContain(`"${shown}"`);
  });

  it('says which values PORT may take', () => {
    expect(problemFor({ PORT: '70000' }, 'PORT')).toContain('0 to 65535');
  });

  it('lists the valid regions and log levels', () => {
    expect(problemFor({ SINCH_REGION: 'mars' }, 'SINCH_REGION')).toMatch(/messagemedia.*eu.*au/);
    expect(problemFor({ LOG_LEVEL: 'loud' }, 'LOG_LEVEL')).toContain('debug');
  });

  it('requires SINCH_API_SECRET with SINCH_API_KEY', () => {
    const env = { SINCH_API_KEY: 'key', SINCH_WEBHOOK_SECRET: WEBHOOK_SECRET };
    expect(problemFor(env, 'SINCH_API_SECRET')).toContain('SINCH_API_KEY');
    expect(configError(env).problems.map((p) => p.variable)).toEqual(['SINCH_API_SECRET']);
  });

  it('requires SINCH_API_KEY with SINCH_API_SECRET', () => {
    const env = { SINCH_API_SECRET: 'secret', SINCH_WEBHOOK_SECRET: WEBHOOK_SECRET };
    expect(problemFor(env, 'SINCH_API_KEY')).toContain('SINCH_API_SECRET');
    expect(configError(env).problems.map((p) => p.variable)).toEqual(['SINCH_API_KEY']);
  });

  it('requires a webhook secret of at least 16 characters when Sinch is enabled', () => {
    const { SINCH_WEBHOOK_SECRET: _, ...withoutSecret } = SINCH;
    expect(problemFor(withoutSecret, 'SINCH_WEBHOOK_SECRET')).toContain('required');
    expect(problemFor({ ...SINCH, SINCH_WEBHOOK_SECRET: 'short' }, 'SINCH_WEBHOOK_SECRET')).toContain(
      'at least 16',
    );
    expect(loadConfig({ ...SINCH, SINCH_WEBHOOK_SECRET: 'x'.repeat(16) }).sinch?.webhookSecret).toBe(
      'x'.repeat(16),
    );
  });

  it('requires the tenant and the password for a SingleTenant bot', () => {
    const error = configError({ MicrosoftAppId: APP_ID, MicrosoftAppType: 'SingleTenant' });
    expect(error.problems.map((p) => p.variable).sort()).toEqual([
      'MicrosoftAppPassword',
      'MicrosoftAppTenantId',
    ]);
    for (const problem of error.problems) expect(problem.message).toContain('SingleTenant');
  });

  it('requires an app id when a password is set', () => {
    expect(problemFor({ MicrosoftAppPassword: 'pw' }, 'MicrosoftAppId')).toContain('MicrosoftAppPassword');
  });

  it('uses PostgreSQL for DATABASE_URL, with its pool size, and SQLite without it', () => {
    const pg = loadConfig({
      DATABASE_URL: 'postgres://bot@db.example.com:5432/textbridge',
      DATABASE_POOL_SIZE: '4',
    });
    expect(pg.store).toEqual({
      kind: 'postgres',
      url: 'postgres://bot@db.example.com:5432/textbridge',
      poolSize: 4,
    });
    expect(loadConfig({}).store).toEqual({
      kind: 'sqlite',
      path: path.join(path.resolve('./data'), 'textbridge.sqlite'),
    });
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/textbridge' }).store).toMatchObject({ poolSize: 10 });
  });

  it('names what is wrong with DATABASE_URL, DATABASE_POOL_SIZE, RETENTION_DAYS and INSTANCE_ID', () => {
    expect(problemFor({ DATABASE_URL: 'mysql://db/textbridge' }, 'DATABASE_URL')).toContain('postgres://');
    expect(problemFor({ DATABASE_URL: 'db.example.com' }, 'DATABASE_URL')).toContain('SQLite');
    expect(problemFor({ DATABASE_URL: 'postgres://db.example.com' }, 'DATABASE_URL')).toContain(
      'no database',
    );
    expect(
      problemFor({ DATABASE_URL: 'postgres://db/t', DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE'),
    ).toContain('1 to 200');
    expect(problemFor({ RETENTION_DAYS: '0' }, 'RETENTION_DAYS')).toContain('1 to 36500');
    expect(problemFor({ RETENTION_DAYS: 'a month' }, 'RETENTION_DAYS')).toContain('whole number');
    expect(problemFor({ INSTANCE_ID: 'bot one' }, 'INSTANCE_ID')).toContain('letters');
  });

  it('keeps everything without RETENTION_DAYS and names the instance after its host by default', () => {
    expect(loadConfig({}).retentionDays).toBeUndefined();
    expect(loadConfig({ RETENTION_DAYS: '90' }).retentionDays).toBe(90);
    expect(loadConfig({}).instanceId).toMatch(new RegExp(`-${process.pid}$`));
    expect(loadConfig({ INSTANCE_ID: 'bot-a' }).instanceId).toBe('bot-a');
  });

  it('lists several mistakes in one error', () => {
    const error = configError({
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      SINCH_REGION: 'mars',
      MicrosoftAppType: 'Foo',
      PUBLIC_URL: 'ftp://x',
    });
    const variables = ['PORT', 'LOG_LEVEL', 'SINCH_REGION', 'MicrosoftAppType', 'PUBLIC_URL'];
    expect(error.problems.map((p) => p.variable).sort()).toEqual([...variables].sort());
    expect(error.message).toContain('5 problems');
    for (const variable of variables) expect(error.message).toContain(`  - ${variable}: `);
  });
});

describe('loadConfig with valid settings', () => {
  it('picks the Sinch host of each region', () => {
    expect(loadConfig(SINCH).sinch?.baseUrl).toBe('https://api.messagemedia.com');
    expect(loadConfig({ ...SINCH, SINCH_REGION: 'messagemedia' }).sinch?.baseUrl).toBe(
      'https://api.messagemedia.com',
    );
    const eu = loadConfig({ ...SINCH, SINCH_REGION: 'eu' }).sinch;
    expect(eu?.region).toBe('eu');
    expect(eu?.baseUrl).toBe('https://eu.app.api.sinch.com');
    expect(loadConfig({ ...SINCH, SINCH_REGION: 'AU' }).sinch?.baseUrl).toBe('https://au.app.api.sinch.com');
  });

  it('lets SINCH_BASE_URL override the region host', () => {
    const sinch = loadConfig({
      ...SINCH,
      SINCH_REGION: 'eu',
      SINCH_BASE_URL: 'http://127.0.0.1:4010/',
    }).sinch;
    expect(sinch?.region).toBe('eu');
    expect(sinch?.baseUrl).toBe('http://127.0.0.1:4010');
  });

  it('enables Sinch with its settings', () => {
    const config = loadConfig({ ...SINCH, SINCH_RATE_LIMIT: '30', SINCH_SOURCE_NUMBER: '+61491570000' });
    expect(config.sinch).toMatchObject({
      apiKey: 'key',
      apiSecret: 'secret',
      webhookSecret: WEBHOOK_SECRET,
      ratePerMinute: 30,
      sourceNumber: '+61491570000',
    });
    expect(config.disabled.map((d) => d.provider)).not.toContain('sinch');
    expect(config.warnings).toEqual([]);
    expect(loadConfig(SINCH).sinch?.ratePerMinute).toBe(100);
    expect(loadConfig({ ...SINCH, SINCH_SOURCE_NUMBER: 'ACME' }).sinch?.sourceNumber).toBe('ACME');
  });

  it('warns when Sinch is enabled without PUBLIC_URL', () => {
    const { PUBLIC_URL: _, ...withoutUrl } = SINCH;
    const config = loadConfig(withoutUrl);
    expect(config.sinch).toBeDefined();
    expect(config.warnings).toHaveLength(1);
    expect(config.warnings[0]).toContain('PUBLIC_URL');
  });

  it('enables Retarus with the documented data-centre defaults', () => {
    const config = loadConfig({
      RETARUS_USERNAME: 'user',
      RETARUS_PASSWORD: 'pw',
      RETARUS_WEBHOOK_SECRET: 'retarus-secret-0123456789',
    });
    expect(config.retarus).toMatchObject({
      sendUrl: 'https://sms4a.eu.retarus.com/rest/v1',
      statusUrls: ['https://sms4a.de2.retarus.com/rest/v1', 'https://sms4a.de1.retarus.com/rest/v1'],
      ratePerMinute: 100,
    });
    const custom = loadConfig({
      RETARUS_USERNAME: 'user',
      RETARUS_PASSWORD: 'pw',
      RETARUS_WEBHOOK_SECRET: 'retarus-secret-0123456789',
      RETARUS_STATUS_URLS: 'http://127.0.0.1:1/rest/v1/, http://127.0.0.1:2/rest/v1',
      RETARUS_SENDER: 'Contoso',
    });
    expect(custom.retarus?.statusUrls).toEqual(['http://127.0.0.1:1/rest/v1', 'http://127.0.0.1:2/rest/v1']);
    expect(custom.retarus?.sender).toBe('Contoso');
  });

  it('names every Retarus mistake', () => {
    const err = configError({
      RETARUS_USERNAME: 'user',
      RETARUS_STATUS_URLS: 'https://ok.example/rest/v1,ftp://nope',
      RETARUS_SENDER: 'Far too long sender name',
    });
    const vars = err.problems.map((p) => p.variable);
    expect(vars).toEqual(
      expect.arrayContaining([
        'RETARUS_PASSWORD',
        'RETARUS_WEBHOOK_SECRET',
        'RETARUS_STATUS_URLS',
        'RETARUS_SENDER',
      ]),
    );
  });

  it('enables SmartDialog with a bearer token or the OAuth refresh flow', () => {
    const base = {
      SMARTDIALOG_CUSTOMER_ID: '11111111-2222-3333-4444-555555555555',
      SMARTDIALOG_SERVICE_ID: '66666666-7777-8888-9999-000000000000',
      SMARTDIALOG_WEBHOOK_SECRET: 'smartdialog-secret-0123456789',
    };
    const token = loadConfig({ ...base, SMARTDIALOG_ACCESS_TOKEN: 'tok' });
    expect(token.smartdialog?.auth).toEqual({ accessToken: 'tok' });
    expect(token.smartdialog?.baseUrl).toBe('https://api.arena.fi/api-integrations/v1');
    const oauth = loadConfig({
      ...base,
      SMARTDIALOG_CLIENT_ID: 'client',
      SMARTDIALOG_CLIENT_SECRET: 'secret',
      SMARTDIALOG_REFRESH_TOKEN: 'refresh',
    });
    expect(oauth.smartdialog?.auth).toMatchObject({ clientId: 'client', refreshToken: 'refresh' });
    expect(oauth.smartdialog?.auth).toHaveProperty('tokenUrl', expect.stringContaining('b2clogin.com'));
  });

  it('names every SmartDialog mistake', () => {
    const err = configError({
      SMARTDIALOG_ACCESS_TOKEN: 'tok',
      SMARTDIALOG_CLIENT_ID: 'client',
      SMARTDIALOG_CUSTOMER_ID: 'not-a-guid',
    });
    const vars = err.problems.map((p) => p.variable);
    expect(vars).toEqual(
      expect.arrayContaining([
        'SMARTDIALOG_ACCESS_TOKEN',
        'SMARTDIALOG_CUSTOMER_ID',
        'SMARTDIALOG_SERVICE_ID',
        'SMARTDIALOG_WEBHOOK_SECRET',
      ]),
    );
    const partial = configError({ SMARTDIALOG_CLIENT_ID: 'client' });
    expect(partial.problems.map((p) => p.variable)).toEqual(
      expect.arrayContaining(['SMARTDIALOG_CLIENT_SECRET', 'SMARTDIALOG_REFRESH_TOKEN']),
    );
  });

  it('accepts Bot Framework credentials and defaults the Teams app id to the bot id', () => {
    const config = loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'pw' });
    expect(config.bot).toMatchObject({ appId: APP_ID, appPassword: 'pw', appType: 'MultiTenant' });
    expect(config.bot.frameworkOptions).toMatchObject({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'pw',
      MicrosoftAppType: 'MultiTenant',
    });
    expect(config.teamsAppId).toBe(APP_ID);
    const single = loadConfig({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'pw',
      MicrosoftAppType: 'singletenant',
      MicrosoftAppTenantId: 'contoso.onmicrosoft.com',
      TEAMS_ALLOWED_TENANTS: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      TEAMS_APP_ID: 'other-app',
    });
    expect(single.bot.appType).toBe('SingleTenant');
    expect(single.teamsAppId).toBe('other-app');
  });
});

describe('loadConfig: the Sinch Conversation API (RCS)', () => {
  const CONVERSATION: Env = {
    SINCH_CONVERSATION_PROJECT_ID: 'project-1',
    SINCH_CONVERSATION_APP_ID: 'app-1',
    SINCH_CONVERSATION_KEY_ID: 'key-1',
    SINCH_CONVERSATION_KEY_SECRET: 'secret-1',
    SINCH_CONVERSATION_WEBHOOK_SECRET: WEBHOOK_SECRET,
  };

  it('is off without its credentials, and says why', () => {
    const config = loadConfig({});
    expect(config.sinchConversation).toBeUndefined();
    expect(config.disabled.find((d) => d.provider === 'sinch-conversation')?.reason).toContain(
      'SINCH_CONVERSATION_PROJECT_ID',
    );
  });

  it('picks the host of its region, us by default, and the global token endpoint', () => {
    expect(loadConfig(CONVERSATION).sinchConversation).toMatchObject({
      region: 'us',
      baseUrl: 'https://us.conversation.api.sinch.com',
      authUrl: 'https://auth.sinch.com/oauth2/token',
    });
    for (const region of ['eu', 'br'] as const) {
      expect(
        loadConfig({ ...CONVERSATION, SINCH_CONVERSATION_REGION: region }).sinchConversation?.baseUrl,
      ).toBe(`https://${region}.conversation.api.sinch.com`);
    }
    const overridden = loadConfig({
      ...CONVERSATION,
      SINCH_CONVERSATION_BASE_URL: 'http://127.0.0.1:9/',
      SINCH_CONVERSATION_AUTH_URL: 'http://127.0.0.1:9/oauth2/token',
      SINCH_CONVERSATION_SMS_SENDER: 'Contoso',
    }).sinchConversation;
    expect(overridden).toMatchObject({
      baseUrl: 'http://127.0.0.1:9',
      authUrl: 'http://127.0.0.1:9/oauth2/token',
      smsSender: 'Contoso',
    });
  });

  it('names every mistake', () => {
    const env = { ...CONVERSATION, SINCH_CONVERSATION_KEY_SECRET: undefined };
    expect(problemFor(env, 'SINCH_CONVERSATION_KEY_SECRET')).toContain('is required');
    expect(
      problemFor({ ...CONVERSATION, SINCH_CONVERSATION_REGION: 'au' }, 'SINCH_CONVERSATION_REGION'),
    ).toContain('us, eu, br');
    expect(
      problemFor(
        { ...CONVERSATION, SINCH_CONVERSATION_WEBHOOK_SECRET: 'short' },
        'SINCH_CONVERSATION_WEBHOOK_SECRET',
      ),
    ).toContain('at least 16');
    expect(
      problemFor(
        { ...CONVERSATION, SINCH_CONVERSATION_SMS_SENDER: 'not a valid sender' },
        'SINCH_CONVERSATION_SMS_SENDER',
      ),
    ).toContain('E.164');
  });
});

describe('tenants and Bot Framework tokens', () => {
  const SINGLE = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'pw', MicrosoftAppType: 'SingleTenant' };
  const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

  it('serves the listed tenants, lower-cased and without repeats', () => {
    const config = loadConfig({ TEAMS_ALLOWED_TENANTS: ` ${TENANT.toUpperCase()}, ${TENANT} ,` });
    expect(config.tenants).toEqual({ kind: 'listed', tenants: [TENANT] });
  });

  it('names the entries of TEAMS_ALLOWED_TENANTS that are not tenant ids', () => {
    expect(problemFor({ TEAMS_ALLOWED_TENANTS: `${TENANT},contoso.com` }, 'TEAMS_ALLOWED_TENANTS')).toContain(
      '"contoso.com"',
    );
    expect(problemFor({ TEAMS_ALLOWED_TENANTS: ' , ' }, 'TEAMS_ALLOWED_TENANTS')).toContain('GUID');
  });

  it("serves a SingleTenant app's own tenant, and the first linking tenant otherwise", () => {
    expect(loadConfig({ ...SINGLE, MicrosoftAppTenantId: TENANT }).tenants).toEqual({
      kind: 'app-tenant',
      tenants: [TENANT],
    });
    expect(loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'pw' }).tenants.kind).toBe(
      'first-link',
    );
    expect(loadConfig({}).tenants.kind).toBe('first-link');
  });

  it('asks for TEAMS_ALLOWED_TENANTS when the app tenant is a domain, and accepts both together', () => {
    const env = { ...SINGLE, MicrosoftAppTenantId: 'contoso.onmicrosoft.com' };
    expect(problemFor(env, 'TEAMS_ALLOWED_TENANTS')).toContain('contoso.onmicrosoft.com');
    expect(loadConfig({ ...env, TEAMS_ALLOWED_TENANTS: TENANT }).tenants).toEqual({
      kind: 'listed',
      tenants: [TENANT],
    });
  });

  it("checks tokens against Bot Framework's OpenID metadata unless BOT_OPENID_METADATA_URL says otherwise", () => {
    expect(loadConfig({}).bot.token).toEqual({
      openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
      issuer: 'https://api.botframework.com',
      outboundScope: 'https://api.botframework.com',
      callerId: 'urn:botframework:azure',
    });
    const local = loadConfig({ BOT_OPENID_METADATA_URL: 'http://127.0.0.1:9/metadata' });
    expect(local.bot.token.openIdMetadataUrl).toBe('http://127.0.0.1:9/metadata');
    expect(problemFor({ BOT_OPENID_METADATA_URL: 'not a url' }, 'BOT_OPENID_METADATA_URL')).toContain('URL');
    const gov = loadConfig({ ChannelService: 'https://botframework.azure.us' });
    expect(gov.bot.token.issuer).toBe('https://api.botframework.us');
  });
});
