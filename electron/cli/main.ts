/**
 * `jardem`: the command-line host of the same method contract, and the PKI and IIN tools.
 * Declared as the package's bin, so `npx jardem …` works after `npm ci`. Each command lives in commands/.
 */
import { fail } from './common';
import { USAGE } from './usage';
import { benefitCommand, calendarCommand, iinCommand, workdaysCommand } from './commands/domain';
import { crlCommand, pkiCommand, signCommand, verifyCommand } from './commands/pki';
import { dbCommand, scannerCommand, setupCommand, syncCommand } from './commands/workstation';
import { formsCommand } from './commands/forms';
import { callCommand, methodsCommand } from './commands/contract';
import { backupCommand } from './commands/backup';
import { verifyFormCommand } from './commands/paper';
import { ncalayerSimCommand } from './commands/ncalayer';
import { trustCommand } from './commands/trust';
import { demoOfficeCommand } from './commands/demo';
import { staffCommand } from './commands/staff';

const COMMANDS: Record<string, (rest: string[]) => Promise<void>> = {
  iin: iinCommand,
  pki: pkiCommand,
  scanner: scannerCommand,
  setup: setupCommand,
  workdays: workdaysCommand,
  benefit: benefitCommand,
  calendar: calendarCommand,
  sign: signCommand,
  forms: formsCommand,
  sync: syncCommand,
  db: dbCommand,
  crl: crlCommand,
  verify: verifyCommand,
  methods: methodsCommand,
  call: callCommand,
  backup: backupCommand,
  'verify-form': verifyFormCommand,
  'ncalayer-sim': ncalayerSimCommand,
  trust: trustCommand,
  'demo-office': demoOfficeCommand,
  staff: staffCommand,
};

async function main(argv: string[]) {
  // What the command line writes (a data folder, reprinted forms, key files) is the owner's only, whatever the umask.
  if (process.platform !== 'win32') process.umask(0o077);
  const [command, ...rest] = argv;
  const run = command ? COMMANDS[command] : undefined;
  if (!run) fail(USAGE, command ? 2 : 0);
  await run(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
