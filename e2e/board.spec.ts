/**
 * The deadlines board as a person uses it: a Center specialist takes an application (its 3-working-day deadline
 * to send the request starts, item 11.2 stage 2), sees it on time on the board, the administrator moves the demo
 * clock 10 days forward, and the same case shows as overdue, also in "my work today"; a click opens the case.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, jardem, moveClock, registerApplicant, signIn, test, useRussian } from './fixtures';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screens');

test('an application on time, then overdue after the clock moves 10 days forward', async ({ page, host, pki }) => {
  const centerKey = path.join(pki.dir, 'keys', 'RSA256_center.p12');
  if (!existsSync(centerKey)) {
    jardem('pki', 'issue', '--dir', pki.dir, '--role', 'center', '--iin', '851120400008', '--surname', 'Иванова', '--given', 'Ольга',
      '--patronymic', 'Петровна', '--office', 'CON-AUE', '--password', 'Qwerty-123', '--out', centerKey, ...pki.registerBy('CON-AUE'));
  }
  await signIn(page, host, centerKey, 'Qwerty-123');
  await useRussian(page);
  await registerApplicant(page, { iin: '850615300012', surname: 'Қасымов', givenName: 'Асқар', patronymic: 'Ерланұлы', address: 'Алматы, Әуезов ауданы, 5-шағын аудан, 12' });

  await page.getByRole('tab', { name: 'Контроль сроков' }).click();
  const board = page.getByTestId('board');
  const row = board.getByTestId('board-row').filter({ hasText: 'Қасымов Асқар Ерланұлы' });
  await expect(row).toContainText('В срок');
  await expect(row).toContainText('Отправить электронный запрос в отдел');
  await expect(row).toContainText('подпункт 2) пункта 11 Регламента');
  await expect(board.getByTestId('board-stage-center_intake')).toContainText('1');
  await expect(board.getByTestId('board-person-851120400008')).toContainText('Иванова Ольга Петровна');

  // The administrator moves the clock: this board is told and counts again.
  await expect(board.getByLabel('Демо: перевести часы вперёд, дней')).toHaveCount(0);
  await moveClock(page, host, pki, 10);
  await expect(row).toContainText('Просрочено');
  await expect(board.getByTestId('board-state-overdue')).toContainText('Просрочено (1)');
  await expect(board.getByTestId('board-stage-center_intake')).toContainText('просрочено: 1');

  // "My work today": the Center's specialist took this application, so it is hers.
  await board.getByText('Моя работа сегодня').click();
  await expect(row).toContainText('Просрочено');
  await expect(board.getByTestId('board-shown')).toHaveText('Показано 1 из 1');
  await page.screenshot({ path: path.join(SHOTS, 'board-ru.png'), fullPage: true });

  await row.click();
  await expect(page.getByRole('dialog', { name: /Дело AUE-W1/ })).toBeVisible();
});
