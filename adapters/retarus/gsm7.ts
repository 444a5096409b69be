/**
 * Whether a text fits Retarus's STANDARD encoding (the GSM 03.38 default alphabet plus its
 * extension table, 3GPP TS 23.038). Anything else must go as UTF-16, or Retarus replaces,
 * transliterates or refuses the characters (options.invalidCharacters).
 */

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';
const GSM = new Set([...GSM_BASIC, ...GSM_EXTENSION]);

export function isGsm7(text: string): boolean {
  for (const char of text) if (!GSM.has(char)) return false;
  return true;
}
