/** The safety settings file (`safety.json` in the data folder, beside `wallet.json`): JSON with the
 *  bridge's own schema (amounts as decimal strings), saved durably (temp file, fsync, rename). */
import { REQUEST_SCHEMAS, type SafetySettings } from './bridge.ts';
import { jsonSettingsFile, type SettingsDecode } from './json-settings-file.node.ts';
import { checkSafetySettings, DEFAULT_SAFETY_SETTINGS } from './safety.ts';

export const SAFETY_FILE = 'safety.json';

/** The defaults when there is no file yet; a damaged file throws, like a damaged vault: silently
 *  falling back to the defaults could drop a password threshold. */
const file = jsonSettingsFile<SafetySettings>({
  schema: REQUEST_SCHEMAS['safety.get'].result,
  root: 'safety',
  empty: DEFAULT_SAFETY_SETTINGS,
  what: 'the safety settings file',
  deleteHint: ' to start with the defaults',
  check: checkSafetySettings,
});

export const encodeSafetySettings = (s: SafetySettings): string => file.encode(s);
export const decodeSafetySettings = (text: string): SettingsDecode<SafetySettings> => file.decode(text);
export const loadSafetySettings = (path: string): Promise<SafetySettings> => file.load(path);
export const saveSafetySettings = (path: string): ((s: SafetySettings) => Promise<void>) => file.save(path);
