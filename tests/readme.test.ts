/**
 * What the README tells a newcomer is what the app does. The demo keys' file names are the
 * ones the demo office writes, the button is named as the default (Russian) UI names it, the demo panel's count
 * of keys is the count it shows, the server finds the app's data folder, and `npm start` names its Debian packages.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withCheckDigit } from '../shared/domain/iin';
import { keyFileName } from '../node/pki/staff-keys';
import { DEMO_PEOPLE } from '../electron/services/demo-office';
import { formatMessage } from '../shared/i18n/messages';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it('names each demo key file as the demo office writes it', () => {
    for (const p of DEMO_PEOPLE) {
      const iin = [...Array(10).keys()].map((d) => withCheckDigit(`${p.iinStart}${d}`)).find(Boolean)!;
      expect(readme).toContain(`| \`keys/${keyFileName('sign', `${p.role}_${iin}`)}\``);
    }
    expect(readme).not.toContain('RSA256_specialist_900512400018.p12');
  });

  it('names the button as the Russian UI does, and counts the keys the demo panel shows', () => {
    expect(readme).toContain(`**${formatMessage('ru', 'demo.use')}**`);
    expect(readme).toMatch(/five signing\s+keys/);
    expect(readme).not.toMatch(/three staff\s+signing keys/);
    // The panel's own words say five, as it shows five (the city department's administrator among them).
    expect(DEMO_PEOPLE).toHaveLength(5);
    expect(formatMessage('ru', 'demo.intro')).toContain('пять ключей');
    expect(formatMessage('kk', 'demo.intro')).toContain('бес кілт');
    expect(formatMessage('en', 'demo.intro')).toContain('five keys');
  });

  it('says how the server finds the data folder of an app started with --data-dir, and what npm start needs from Debian', () => {
    expect(readme).toContain('JARDEM_DATA_DIR=DIR npm run server');
    expect(readme).toContain('--pki DIR-demo-office/pki');
    expect(readme).toContain('sudo apt-get install -y chromium sane-utils libsane1');
    expect(readme).toContain('libnss3-tools');
  });
});
