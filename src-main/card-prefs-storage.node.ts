/** The card preferences file (`card-prefs.json` beside `wallet.json`): invoice expiries and fee
 *  caps in the bridge's JSON spelling, saved durably (temp file, fsync, rename). */
import { type CardPrefs, cardPrefsSchema, EMPTY_CARD_PREFS } from './card-prefs.ts';
import { jsonSettingsFile, type SettingsDecode } from './json-settings-file.node.ts';

export const CARD_PREFS_FILE = 'card-prefs.json';

/** An empty table when there is no file yet; a damaged file throws (a silently empty table would
 *  drop fee caps and leave expired invoices payable). */
const file = jsonSettingsFile<CardPrefs>({
  schema: cardPrefsSchema,
  root: 'card-prefs',
  empty: EMPTY_CARD_PREFS,
  what: 'the card preferences file',
});

export const encodeCardPrefs = (p: CardPrefs): string => file.encode(p);
export const decodeCardPrefs = (text: string): SettingsDecode<CardPrefs> => file.decode(text);
export const loadCardPrefs = (path: string): Promise<CardPrefs> => file.load(path);
export const saveCardPrefs = (path: string): ((p: CardPrefs) => Promise<void>) => file.save(path);
