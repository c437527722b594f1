/**
 * Opens a certified PDF for printing. In Electron the OS print dialog opens (electron/main/print.ts); the browser
 * host shows the PDF in a new tab (the browser's own print button), and the object URL is released once the tab
 * has had time to load it.
 */
export function showPdf(base64: string): void {
  if (window.jardemBridge?.printPdf) {
    void window.jardemBridge.printPdf(base64);
    return;
  }
  const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  window.open(url, '_blank');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
