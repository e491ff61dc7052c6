/** The app's name: Electron's userData folder and browser mode's data folder are named after it. */
export const APP_DIR_NAME = 'Offset';
