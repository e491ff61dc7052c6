/** Preload of the wallet window (sandboxed, context-isolated): exposes exactly `{ call, onEvent }`
 *  as `window.offset`, carrying bridge-codec text on the `offset:` channels. Nothing else of
 *  Electron or Node reaches the page; the host validates every message (dispatcher.ts). */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type OffsetBridge } from './bridge.ts';

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
