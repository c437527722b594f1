/** The one IPC channel between the renderer's bridge and the services. */
export const IPC_CHANNEL = 'jardem:call';

/** The services' pushed events (main → renderer only): a case changed, an answer arrived, the scanner. */
export const EVENT_CHANNEL = 'jardem:event';

/** Printing a PDF with the OS print dialog (Electron only; the browser host opens the PDF instead). */
export const PRINT_CHANNEL = 'jardem:print-pdf';
