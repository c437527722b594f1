/**
 * Messages of the reference data from the center (issue 12): who may enter it, why an act was refused, and how the
 * Sync tab names each kind.
 */
const refused = {
  ru: {
    unknown_kind: 'вид справочника неизвестен этой версии — обновите Jardem',
    payload_invalid: 'содержимое не соответствует виду справочника',
    hash_mismatch: 'содержимое изменено после подписания',
    signature_invalid: 'подпись недействительна',
    signer_untrusted: 'сертификат подписавшего не выдан доверенным УЦ или не действовал при подписании',
    signer_revoked: 'сертификат подписавшего отозван',
    signer_mismatch: 'подпись поставлена не тем сертификатом, что указан в акте',
    not_city_admin: 'подписано не администратором управления занятости и социальных программ города',
    crl_untrusted: 'список отозванных сертификатов не подписан доверенным УЦ',
    crl_not_pushed: 'список отозванных сертификатов публикует только УЦ',
  },
  kk: {
    unknown_kind: 'анықтамалық түрі бұл нұсқаға белгісіз — Jardem-ді жаңартыңыз',
    payload_invalid: 'мазмұны анықтамалық түріне сәйкес келмейді',
    hash_mismatch: 'мазмұны қол қойылғаннан кейін өзгертілген',
    signature_invalid: 'қолтаңба жарамсыз',
    signer_untrusted: 'қол қоюшының сертификатын сенімді КО бермеген немесе қол қойған кезде жарамды болмаған',
    signer_revoked: 'қол қоюшының сертификаты кері қайтарылған',
    signer_mismatch: 'қолтаңба актіде көрсетілген сертификатпен қойылмаған',
    not_city_admin: 'қаланың жұмыспен қамту және әлеуметтік бағдарламалар басқармасының әкімшісі қол қоймаған',
    crl_untrusted: 'кері қайтарылған сертификаттар тізіміне сенімді КО қол қоймаған',
    crl_not_pushed: 'кері қайтарылған сертификаттар тізімін тек КО жариялайды',
  },
  en: {
    unknown_kind: 'a kind of reference data this version does not know: update Jardem',
    payload_invalid: 'the content is not what this kind of reference data holds',
    hash_mismatch: 'the content was changed after it was signed',
    signature_invalid: 'the signature is not valid',
    signer_untrusted: 'the signer’s certificate is not from a trusted CA or was not valid at signing',
    signer_revoked: 'the signer’s certificate is revoked',
    signer_mismatch: 'signed with another certificate than the act names',
    not_city_admin: 'not signed by an administrator of the city department of employment and social programmes',
    crl_untrusted: 'the revocation list is not signed by a trusted CA',
    crl_not_pushed: 'only the CA publishes the revocation list',
  },
};

const kinds = {
  ru: { offices: 'Список отделов', crl: 'Список отозванных сертификатов', calendar: 'Поправка производственного календаря', threshold: 'Порог (стоимость продовольственной корзины)', precinct: 'Участковая комиссия' },
  kk: { offices: 'Бөлімдер тізімі', crl: 'Кері қайтарылған сертификаттар тізімі', calendar: 'Өндірістік күнтізбеге түзету', threshold: 'Шек (азық-түлік себетінің құны)', precinct: 'Учаскелік комиссия' },
  en: { offices: 'The offices list', crl: 'Certificate revocation list', calendar: 'Working-day calendar correction', threshold: 'Threshold (food basket)', precinct: 'Precinct commission' },
};

const prefixed = (lang: 'ru' | 'kk' | 'en') => ({
  ...Object.fromEntries(Object.entries(refused[lang]).map(([k, v]) => [`reference.refused.${k}`, v])),
  ...Object.fromEntries(Object.entries(kinds[lang]).map(([k, v]) => [`reference.kind.${k}`, v])),
});

export const reference = {
  ru: {
    ...prefixed('ru'),
    'errors.reference.not_city_admin': 'Справочные данные для всего города вносит только администратор управления занятости и социальных программ города',
    'errors.reference.refused': 'Справочный акт не принят: {{reason, msg}}',
    'demo.cityAdmin': 'Администратор городского управления',
    'reference.col.source': 'Источник',
    'reference.assumed': 'допущение',
    'reference.col.signer': 'подписал ИИН',
    'sync.reference.title': 'Справочные данные из центра, не принятые',
    'sync.hostile.malformed': 'страница не того вида',
    'sync.hostile.cursor_backwards': 'курсор пошёл назад',
    'sync.hostile.not_json': 'ответ — не данные JSON',
    'sync.hostile.blob_hash': 'файл не совпадает со своим хешем',
    'sync.reference.from_server': 'получен с сервера',
    'sync.reference.from_here': 'внесён здесь, сервер отклонил',
  },
  kk: {
    ...prefixed('kk'),
    'errors.reference.not_city_admin': 'Бүкіл қалаға арналған анықтамалық деректерді тек қаланың жұмыспен қамту және әлеуметтік бағдарламалар басқармасының әкімшісі енгізеді',
    'errors.reference.refused': 'Анықтамалық акт қабылданбады: {{reason, msg}}',
    'demo.cityAdmin': 'Қалалық басқарманың әкімшісі',
    'reference.col.source': 'Дереккөз',
    'reference.assumed': 'болжам',
    'reference.col.signer': 'қол қойған ЖСН',
    'sync.reference.title': 'Орталықтан келген, қабылданбаған анықтамалық деректер',
    'sync.hostile.malformed': 'бет дұрыс түрде емес',
    'sync.hostile.cursor_backwards': 'курсор кері кетті',
    'sync.hostile.not_json': 'жауап JSON деректері емес',
    'sync.hostile.blob_hash': 'файл өз хешіне сәйкес келмейді',
    'sync.reference.from_server': 'серверден алынды',
    'sync.reference.from_here': 'осында енгізілді, сервер қабылдамады',
  },
  en: {
    ...prefixed('en'),
    'errors.reference.not_city_admin': 'Reference data for the whole city is entered only by an administrator of the city department of employment and social programmes',
    'errors.reference.refused': 'The reference act was refused: {{reason, msg}}',
    'demo.cityAdmin': 'Administrator of the city department',
    'reference.col.source': 'Source',
    'reference.assumed': 'assumed',
    'reference.col.signer': 'signed by IIN',
    'sync.reference.title': 'Reference data from the center, refused',
    'sync.hostile.malformed': 'a page of the wrong shape',
    'sync.hostile.cursor_backwards': 'the cursor went backwards',
    'sync.hostile.not_json': 'the answer is not JSON data',
    'sync.hostile.blob_hash': 'a file does not match its hash',
    'sync.reference.from_server': 'pulled from the server',
    'sync.reference.from_here': 'entered here, refused by the server',
  },
};
