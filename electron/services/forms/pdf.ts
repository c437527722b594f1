/**
 * PDFs with pdfmake on the services side. Forms use two faces (regular and medium): each face used is embedded
 * (its subset) in every PDF, so none of them is set in italics. Roboto, bundled with pdfmake, has every Kazakh letter
 * (Ә Ғ Қ Ң Ө Ұ Ү Һ І). pdfmake may read only its own font files and fetch nothing from the network.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import type PdfMakeModule from 'pdfmake';
import { appRoot } from '../paths';

type FontkitModule = { create: (buffer: Uint8Array, postscriptName?: string) => unknown };
/** What of a fontkit TrueType font is shared: its decoded tables, over the file's bytes. */
interface ParsedFace {
  type?: string;
  stream: { buffer: Uint8Array; constructor: new (buffer: Uint8Array) => unknown };
  _tables: Record<string, unknown>;
  constructor: new (stream: unknown) => ParsedFace;
}
const parsedFaces = new Map<string, ParsedFace>();

/**
 * pdfkit parses a font file anew for every PDF it makes (fontkit.create): its directory and every table it uses
 * decoded again, about three quarters of a form's time. The decoded tables of a face are kept for the process
 * instead, and each PDF gets a font of its own over them, as fontkit's own variations share them: its glyphs (each
 * with the characters it was first reached by, which become the PDF's text layer) and layout are its own. pdfkit
 * reads fontkit once, when it is loaded, so the module it gets is the one with this `create`.
 */
function keepParsedFaces(): void {
  const load = createRequire(path.join(appRoot(), 'package.json'));
  const id = load.resolve('fontkit');
  const fontkit = load('fontkit') as FontkitModule;
  const create = (buffer: Uint8Array, postscriptName?: string): unknown => {
    // A face named inside a collection (or a variation) is left to fontkit as it is.
    if (postscriptName) return fontkit.create(buffer, postscriptName);
    const key = createHash('sha256').update(buffer).digest('hex');
    let face = parsedFaces.get(key);
    if (!face) {
      const parsed = fontkit.create(buffer) as ParsedFace;
      // A collection or a web font is left to fontkit as it is.
      if (parsed.type !== 'TTF') return parsed;
      parsedFaces.set(key, (face = parsed));
    }
    const font = new face.constructor(new face.stream.constructor(face.stream.buffer));
    font._tables = face._tables;
    return font;
  };
  load.cache[id]!.exports = { ...fontkit, create };
}

/** How many font faces this process has parsed (each once, however many PDFs use it). */
export const parsedFontFaces = () => parsedFaces.size;

// pdfmake (with pdfkit and its fonts) is loaded at the first form, not when the services start.
let loaded: Promise<typeof PdfMakeModule> | null = null;

function setUp(): Promise<typeof PdfMakeModule> {
  if (loaded) return loaded;
  keepParsedFaces();
  return (loaded = import('pdfmake').then((m) => {
  const pdfmake = ((m as { default?: typeof PdfMakeModule }).default ?? m) as typeof PdfMakeModule;
  const fonts = path.join(appRoot(), 'node_modules', 'pdfmake', 'fonts', 'Roboto');
  pdfmake.setFonts({
    Roboto: {
      normal: path.join(fonts, 'Roboto-Regular.ttf'),
      bold: path.join(fonts, 'Roboto-Medium.ttf'),
      italics: path.join(fonts, 'Roboto-Italic.ttf'),
      bolditalics: path.join(fonts, 'Roboto-MediumItalic.ttf'),
    },
  });
  pdfmake.setLocalAccessPolicy((file) => path.resolve(file).startsWith(fonts + path.sep));
  pdfmake.setUrlAccessPolicy(() => false);
  return pdfmake;
  }));
}

export async function renderPdf(definition: Record<string, unknown>): Promise<Buffer> {
  const pdfmake = await setUp();
  return Buffer.from(await pdfmake.createPdf(definition).getBuffer());
}

/** dd.mm.yyyy and hh:mm on the office's clock (Almaty). */
export function officeDateTime(at: Date): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Asia/Almaty', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { date: `${get('day')}.${get('month')}.${get('year')}`, time: `${get('hour')}:${get('minute')}` };
}

export function formatDay(isoDay: string): string {
  const [y, m, d] = isoDay.split('-');
  return `${d}.${m}.${y}`;
}
