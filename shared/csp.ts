/**
 * The Content-Security-Policy of the renderer, the same under Electron's app:// protocol and the browser host.
 * Scripts only from the app itself; no eval, no remote code, no frames, no plugins. Ant Design injects its
 * CSS-in-JS as <style> elements, so styles allow 'unsafe-inline' (styles cannot run code). WebAssembly may be
 * compiled ('wasm-unsafe-eval' allows that and no JavaScript eval): the camera's QR reader is ZXing's C++ reader
 * compiled to it, loaded from the app's own files (connect-src 'self').
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
