/**
 * Renders the gallery cards (test/fixtures/card-gallery.ts: built by the bot's own code) to
 * docs/cards/<name>.png as Teams shows them, the adaptivecards renderer in headless Chromium
 * (playwright-core) with a Teams-like host config, and records in docs/cards/pictures.json which
 * card each picture shows (test/docs/card-pictures.test.ts fails on a picture left behind).
 *
 *   npm run cards:render
 *
 * Uses Debian's Chromium (`apt-get install -y chromium`); playwright's own browser downloads are
 * not needed. fonts-noto-color-emoji and fonts-open-sans make emoji and text look closer to Teams.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import {
  FINGERPRINTS_FILE,
  galleryCards,
  PICTURES_DIR,
  pictureFingerprint,
} from '../test/fixtures/card-gallery.ts';

const CHROMIUM = '/usr/bin/chromium';
const OUT_DIR = fileURLToPath(PICTURES_DIR);
const AC_BUNDLE = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.js');
/** About the width Teams gives a card in a channel conversation. */
const CARD_WIDTH = 520;

/** Colours and sizes of the Teams light theme. */
const FONT_FAMILY =
  "'Segoe UI', 'Segoe UI Web (West European)', -apple-system, BlinkMacSystemFont, 'Open Sans', 'Noto Sans', 'Helvetica Neue', sans-serif";

const HOST_CONFIG = {
  fontFamily: FONT_FAMILY,
  fontTypes: {
    default: {
      fontFamily: FONT_FAMILY,
      fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
      fontWeights: { lighter: 300, default: 400, bolder: 600 },
    },
    monospace: {
      fontFamily: "Consolas, 'Cascadia Mono', 'DejaVu Sans Mono', monospace",
      fontSizes: { small: 12, default: 13, medium: 14, large: 18, extraLarge: 24 },
      fontWeights: { lighter: 300, default: 400, bolder: 600 },
    },
  },
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E0E0E0' },
  supportsInteractivity: true,
  containerStyles: {
    default: { backgroundColor: '#FFFFFF', foregroundColors: colours() },
    emphasis: { backgroundColor: '#F5F5F5', foregroundColors: colours() },
    accent: { backgroundColor: '#E8EBFA', foregroundColors: colours() },
    good: { backgroundColor: '#E7F2DA', foregroundColors: colours() },
    attention: { backgroundColor: '#FCF4F6', foregroundColors: colours() },
    warning: { backgroundColor: '#FBF6D9', foregroundColors: colours() },
  },
  actions: {
    maxActions: 5,
    spacing: 'default',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 16 },
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
  },
  factSet: {
    title: { weight: 'bolder', wrap: true, maxWidth: 150 },
    value: { wrap: true },
    spacing: 12,
  },
  inputs: {
    label: { requiredInputs: { weight: 'bolder', suffix: ' *' }, optionalInputs: { weight: 'bolder' } },
    errorMessage: { size: 'small', color: 'attention' },
  },
};

function colours() {
  const pair = (hex: string, subtle: string) => ({ default: hex, subtle });
  return {
    default: pair('#242424', '#616161'),
    dark: pair('#242424', '#616161'),
    light: pair('#FFFFFF', '#F5F5F5'),
    accent: pair('#5B5FC7', '#6264A7'),
    good: pair('#237B4B', '#3A8A5E'),
    warning: pair('#835C00', '#9A7B2E'),
    attention: pair('#C4314B', '#C8586B'),
  };
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><style>
  html, body { margin: 0; background: #ffffff; }
  #shot { display: inline-block; padding: 16px; background: #ffffff; }
  #frame {
    width: ${CARD_WIDTH}px; border: 1px solid #e0e0e0; border-radius: 6px; overflow: hidden;
    box-shadow: 0 1px 2px rgba(0, 0, 0, 0.08); background: #ffffff;
  }
  .ac-adaptiveCard { font-family: ${HOST_CONFIG.fontFamily}; color: #242424; }
  .ac-textBlock p, .ac-textBlock { margin: 0; }
  .ac-pushButton {
    font: 600 14px ${HOST_CONFIG.fontFamily}; color: #242424; background: #ffffff;
    border: 1px solid #d1d1d1; border-radius: 4px; padding: 5px 12px; min-height: 32px;
    overflow: hidden; white-space: nowrap; text-overflow: ellipsis; cursor: pointer;
    flex: 0 1 auto;
  }
  .ac-input-container { width: 100%; }
  .ac-textInput {
    font: 14px ${HOST_CONFIG.fontFamily}; color: #242424; background: #ffffff; width: 100%;
    border: 1px solid #d1d1d1; border-bottom-color: #616161; border-radius: 4px; padding: 6px 10px;
    box-sizing: border-box; resize: none;
  }
  .ac-textInput.ac-multiline { height: 72px; }
  .ac-textInput::placeholder { color: #707070; }
  .ac-textBlock a { color: #5b5fc7; text-decoration: underline; }
</style></head>
<body><div id="shot"><div id="frame"></div></div></body></html>`;

/**
 * Runs in the page: Teams-like markdown (bold, italic, links) and the card renderer. Like Teams
 * and the Agents Playground, it drops what looks like an HTML tag, so a `<number>` placeholder
 * vanishes here as it would there (cards write ‹number›).
 */
const PAGE_SCRIPT = `
  const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = escapeHtml(text.replace(/<\\/?[A-Za-z][^<>]*>/g, ''))
      .replace(/\\[([^\\]]+)\\]\\((https?:[^)\\s]+)\\)/g, '<a href="$2">$1</a>')
      .replace(/\\*\\*(.+?)\\*\\*/g, '<strong>$1</strong>')
      .replace(/(^|\\W)_(.+?)_(?=\\W|$)/g, '$1<em>$2</em>')
      .replace(/\\n/g, '<br>');
    result.didProcess = true;
  };
  window.renderCard = (json, hostConfig) => {
    const card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
    card.parse(json);
    const frame = document.getElementById('frame');
    frame.replaceChildren(card.render());
  };
`;

interface CardPage {
  renderCard(json: unknown, hostConfig: unknown): void;
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.error(`Chromium not found at ${CHROMIUM}. Install it with: apt-get install -y chromium`);
    process.exitCode = 1;
    return;
  }
  mkdirSync(OUT_DIR, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  try {
    // A fixed locale and zone keep the DATE/TIME functions, and so the pictures, stable.
    const page = await browser.newPage({
      deviceScaleFactor: 2,
      locale: 'en-US',
      timezoneId: 'Europe/Berlin',
    });
    await page.setContent(PAGE);
    await page.addScriptTag({ path: AC_BUNDLE });
    await page.addScriptTag({ content: PAGE_SCRIPT });
    await page.evaluate('document.fonts.ready');
    const gallery = galleryCards();
    const fingerprints: Record<string, string> = {};
    for (const { name, card } of gallery) {
      await page.evaluate(
        ([json, hostConfig]) => (globalThis as unknown as CardPage).renderCard(json, hostConfig),
        [card, HOST_CONFIG] as const,
      );
      const path = `${OUT_DIR}${name}.png`;
      await page.locator('#shot').screenshot({ path });
      fingerprints[name] = pictureFingerprint(card);
      console.log(`wrote ${path}`);
    }
    // Pictures of cards the gallery no longer has would show what the bot does not send.
    for (const file of readdirSync(OUT_DIR)) {
      if (file.endsWith('.png') && !(file.slice(0, -4) in fingerprints)) {
        rmSync(`${OUT_DIR}${file}`);
        console.log(`removed ${OUT_DIR}${file}`);
      }
    }
    writeFileSync(FINGERPRINTS_FILE, `${JSON.stringify(fingerprints, null, 2)}\n`);
  } finally {
    await browser.close();
  }
}

await main();
