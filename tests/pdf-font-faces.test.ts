/**
 * A font face's tables are decoded once per process, not once per PDF: the forms a counter prints all day share
 * them. Each PDF still has its own glyphs, so its text layer (what pdftotext, a search or a screen reader reads) is
 * whole whatever was printed before it.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parsedFontFaces, renderPdf } from '../electron/services/forms/pdf';
import { receiptDefinition } from '../electron/services/forms/receipt';
import { decisionDefinition } from '../electron/services/forms/decision-forms';
import { calculateBenefit } from '../shared/domain/benefit';
import { tempDir } from './helpers';

const tmp = tempDir('pdf-font-faces');
afterAll(() => tmp.remove());

const stamp = { signer: 'Сейітқали Әйгерім', serial: '0B7DB021BA70493166CD7834ED2B0CC3', time: '25.11.2026 10:00' };
const receipt = () =>
  receiptDefinition({
    form: 'receipt', language: 'kk', officeName: 'Әуезов ауданының бөлімі', caseNumber: 'AUE-W1-2026-000001', date: '25.11.2026', time: '10:00',
    applicant: { name: 'Әбілқайыров Нұрсұлтан Қайратұлы', iin: '850615300012' },
    documents: [{ label: 'Жеке куәлік', pages: 2 }, { label: 'Өтініш', pages: 1 }],
    specialist: 'Сейітқали Әйгерім Нұрланқызы', expectedDecision: '04.12.2026', verificationCode: 'ABCDEFGHJK', stamp,
  });
function decision() {
  const members = [
    { id: 'm1', name: 'Әбілқайырова Сәуле Маратқызы', relation: 'applicant' as const, birthDate: '1988-03-04' },
    { id: 'c1', name: 'Әбілқайыров Ерлан Нұрсұлтанұлы', relation: 'child' as const, birthDate: '2012-05-02' },
  ];
  const income = ['2026-07', '2026-08', '2026-09'].map((month) => ({ memberId: 'm1', kind: 'wage', month, amountTiyn: 9_500_000 }));
  const calculation = calculateBenefit({ applicationDate: '2026-11-25', region: 'almaty', members, income });
  return decisionDefinition({
    language: 'ru', officeName: 'Отдел Ауэзовского района', caseNumber: 'AUE-W1-2026-000002', date: '25.11.2026',
    applicant: { name: 'Абилкаирова Сауле Маратовна', iin: '880304400012', address: 'Алматы, Ауэзовский район, мкр. 5, дом 12' },
    verificationCode: 'ZXCVBNMQWE', stamp, decisionNumber: 'AUE-2026-W1-D00002', journalNumber: 'AUE-2026-W1-00002', outcome: calculation.eligible ? 'assign' : 'refuse',
    refusalGrounds: calculation.refusalReasons, calculation, conclusion: { needs: true, grounds: 'Доход ниже стоимости продовольственной корзины' },
    drafter: 'Сейітқали Әйгерім Нұрланқызы, 900512400018', head: 'Жұмабеков Ерлан Серікұлы', draftStamp: stamp,
  });
}

const textOf = async (name: string, definition: Record<string, unknown>) => {
  const file = path.join(tmp.dir, `${name}.pdf`);
  writeFileSync(file, await renderPdf(definition));
  return { text: spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout, fonts: spawnSync('pdffonts', [file], { encoding: 'utf8' }).stdout };
};

it('decodes each face once however many PDFs use it, and every PDF reads back whole whatever came before it', async () => {
  // A font's Cyrillic letters are drawn from its Latin ones (composite glyphs): a PDF with only Cyrillic «Е», «А»,
  // «О» embeds the Latin glyphs without their letters; a later PDF's Latin «E» must still read as E.
  await textOf('cyrillic', { content: [{ text: 'ЕАОСРХ ЕЕЕ', bold: true }, 'ЕАОСРХ АЕО'] });
  const latin = await textOf('latin', { content: [{ text: 'AUE-W1 EAOCPX', bold: true }, 'AUE-W1 EAOCPX'] });
  expect(latin.text.replace(/\s+/g, ' ').trim()).toBe('AUE-W1 EAOCPX AUE-W1 EAOCPX');
  const first = await textOf('receipt-first', receipt());
  const faces = parsedFontFaces();
  // Regular and medium: the two faces a form uses.
  expect(faces).toBeGreaterThanOrEqual(2);
  expect(first.text).toContain('AUE-W1-2026-000001');
  const other = await textOf('decision', decision());
  expect(other.text).toContain('AUE-2026-W1-D00002');
  await textOf('one-line', { content: ['Jardem AUE EQ'] });
  const again = await textOf('receipt-again', receipt());
  // The same receipt reads the same, letter for letter, after other forms used the same faces.
  expect(again.text).toBe(first.text);
  expect(again.fonts).toMatch(/\+Roboto-Medium[\s\S]*\+Roboto-Regular|\+Roboto-Regular[\s\S]*\+Roboto-Medium/);
  expect(parsedFontFaces()).toBe(faces);
});
