// The part of pdfmake 0.3's server API that Jardem uses (the package ships no types).
declare module 'pdfmake' {
  interface PdfMakeDocument {
    getBuffer(): Promise<Uint8Array>;
  }
  interface PdfMake {
    setFonts(fonts: Record<string, { normal: string; bold: string; italics: string; bolditalics: string }>): void;
    setLocalAccessPolicy(callback: (path: string) => boolean): void;
    setUrlAccessPolicy(callback: (url: string) => boolean): void;
    createPdf(definition: Record<string, unknown>): PdfMakeDocument;
  }
  const pdfmake: PdfMake;
  export default pdfmake;
}
