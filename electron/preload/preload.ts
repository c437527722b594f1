/**
 * The renderer's only door: one function that sends a method call envelope over one IPC channel, one that prints a
 * PDF with the OS dialog, and one that listens to the services' pushed events. No Node, no ipcRenderer object,
 * nothing else is exposed.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { CallEnvelope } from '../../shared/contract/methods';
import { EVENT_CHANNEL, IPC_CHANNEL, PRINT_CHANNEL } from './channel';

export const bridge = {
  call: (envelope: CallEnvelope): Promise<unknown> => ipcRenderer.invoke(IPC_CHANNEL, { method: envelope.method, input: envelope.input, session: envelope.session }),
  printPdf: (base64: string): Promise<unknown> => ipcRenderer.invoke(PRINT_CHANNEL, String(base64)),
  /** The services' pushed events: the listener gets the event only, never the IPC event object or its sender. */
  onEvent: (listener: (event: unknown) => void): (() => void) => {
    const wrapped = (_e: unknown, event: unknown) => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  },
};

contextBridge.exposeInMainWorld('jardemBridge', bridge);
