/** Preload of the wallet window (sandboxed, context-isolated): exposes exactly `{ call, onEvent }`
 *  as `window.offset` and the native file dialogs `{ openText, save }` as `window.offsetFiles`, carrying bridge-codec text on the `offset:` channels. Nothing else of
 *  Electron or Node reaches the page; the host validates every message (dispatcher.ts). */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, IPC_FILE_OPEN_CHANNEL, IPC_FILE_SAVE_CHANNEL, type NativeOpenResult, type NativeSaveResult, type OffsetBridge,
  type OffsetFiles,
} from './bridge.ts';

const offset = {
  call(message: string): Promise<string> {
    if (typeof message !== 'string') return Promise.reject(new TypeError('a bridge message is text'));
    return ipcRenderer.invoke(IPC_CALL_CHANNEL, message) as Promise<string>;
  },
  onEvent(listener: (message: string) => void): () => void {
    const handler = (_e: IpcRendererEvent, message: unknown): void => {
      if (typeof message === 'string') listener(message);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
} satisfies OffsetBridge;

contextBridge.exposeInMainWorld('offset', offset);

/** The native open/save dialogs (the main process checks every argument again). */
const offsetFiles = {
  openText(extensions: readonly string[]): Promise<NativeOpenResult> {
    return ipcRenderer.invoke(IPC_FILE_OPEN_CHANNEL, [...extensions]) as Promise<NativeOpenResult>;
  },
  save(name: string, data: Uint8Array): Promise<NativeSaveResult> {
    return ipcRenderer.invoke(IPC_FILE_SAVE_CHANNEL, name, data) as Promise<NativeSaveResult>;
  },
} satisfies OffsetFiles;

contextBridge.exposeInMainWorld('offsetFiles', offsetFiles);
