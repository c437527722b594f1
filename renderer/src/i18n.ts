import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/kk';
import 'dayjs/locale/ru';
import 'dayjs/locale/en';
import kkKZ from 'antd/locale/kk_KZ';
import ruRU from 'antd/locale/ru_RU';
import enUS from 'antd/locale/en_US';
import type { Locale } from 'antd/es/locale';
import { LANGUAGES, messages, type Language } from '../../shared/i18n/messages';
import { applyFormat, FORMAT_NAMES } from '../../shared/i18n/format';

const STORAGE_KEY = 'jardem.language';

export const antdLocales: Record<Language, Locale> = { kk: kkKZ, ru: ruRU, en: enUS };

function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved && (LANGUAGES as readonly string[]).includes(saved)) return saved as Language;
  return navigator.language.startsWith('kk') ? 'kk' : 'ru';
}

const lng = initialLanguage();
dayjs.locale(lng);
document.documentElement.lang = lng;

void i18next.use(initReactI18next).init({
  lng,
  fallbackLng: 'ru',
  resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: messages[l] }])),
  // Keys contain dots ("errors.signin.expired"): they are flat, not nested.
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
});
// `{{name, msg}}`: a parameter that is itself a message key (a form's or a document's name in a refusal).
// A key 'a.b:c' without a message of its own reads as 'a.b' (a child's birth certificate is a birth certificate).
i18next.services.formatter?.add('msg', (value: unknown, lng: string | undefined) => {
  const key = String(value);
  return i18next.t(i18next.exists(key) || !key.includes(':') ? key : key.slice(0, key.indexOf(':')), { lng });
});

// The formats messages ask for ({{count, abl}}: a Kazakh case ending after a number; {{region, region}}: a code's
// name), the same functions formatMessage applies for the services and the CLI.
for (const name of FORMAT_NAMES) {
  i18next.services.formatter?.add(name, (value: unknown, lng: string | undefined) => applyFormat(lng ?? 'ru', name, value, (k) => messages[(lng ?? 'ru') as Language]?.[k] ?? messages.ru[k]));
}

export function setLanguage(language: Language) {
  localStorage.setItem(STORAGE_KEY, language);
  dayjs.locale(language);
  document.documentElement.lang = language;
  void i18next.changeLanguage(language);
}

export { i18next };
