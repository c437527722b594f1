/**
 * Messages of the key sources: a PKCS#12 file opened natively, and NCALayer (the national signing app, reached on
 * wss://127.0.0.1:13579), with the signer's choice of storage (a file, Kaztoken, an ID card) and its dialogs.
 */
export const ecpKeys = {
  ru: {
    'errors.ecp.unsupported_encryption': 'Файл ключа зашифрован алгоритмом, который Jardem не открывает ({{algorithm}}). Выберите файл RSA256_… в формате PKCS#12 или подпишите через NCALayer',
    'errors.keys.absent': 'NCALayer не отвечает: запустите NCALayer на этом компьютере и повторите. Ничего не подписано',
    'errors.keys.cancelled': 'Вы закрыли окно NCALayer, не подписав. Ничего не подписано',
    'errors.keys.no_storage': 'В NCALayer нет ключа в выбранном хранилище ({{storage, msg}}): вставьте носитель или выберите другое хранилище',
    'errors.keys.interrupted': 'NCALayer перезапустился во время подписи: подпись не получена, ничего не подписано. Повторите',
    'errors.keys.failed': 'NCALayer вернул ошибку ({{detail}}). Ничего не подписано',
    'errors.keys.wrong_usage': 'Выбран не тот ключ: для входа нужен ключ аутентификации (AUTH_RSA256_…), для подписи акта — ключ подписи (RSA256_…)',
    'keys.storage.PKCS12': 'файл ключа',
    'keys.storage.AKKaztokenStore': 'Казтокен',
    'keys.storage.AKKZIDCardStore': 'удостоверение личности',
    'keys.source.file': 'Файл ключа (PKCS#12)',
    'keys.source.ncalayer': 'NCALayer',
  },
  kk: {
    'errors.ecp.unsupported_encryption': 'Кілт файлы Jardem аша алмайтын алгоритммен шифрланған ({{algorithm}}). PKCS#12 пішіміндегі RSA256_… файлын таңдаңыз немесе NCALayer арқылы қол қойыңыз',
    'errors.keys.absent': 'NCALayer жауап бермейді: осы компьютерде NCALayer-ді іске қосып, қайталаңыз. Ешнәрсеге қол қойылған жоқ',
    'errors.keys.cancelled': 'NCALayer терезесін қол қоймай жаптыңыз. Ешнәрсеге қол қойылған жоқ',
    'errors.keys.no_storage': 'NCALayer-де таңдалған қоймада ({{storage, msg}}) кілт жоқ: тасымалдағышты салыңыз немесе басқа қойманы таңдаңыз',
    'errors.keys.interrupted': 'Қол қою кезінде NCALayer қайта іске қосылды: қолтаңба алынбады, ешнәрсеге қол қойылған жоқ. Қайталаңыз',
    'errors.keys.failed': 'NCALayer қате қайтарды ({{detail}}). Ешнәрсеге қол қойылған жоқ',
    'errors.keys.wrong_usage': 'Басқа кілт таңдалды: кіру үшін аутентификация кілті (AUTH_RSA256_…), актіге қол қою үшін қолтаңба кілті (RSA256_…) қажет',
    'keys.storage.PKCS12': 'кілт файлы',
    'keys.storage.AKKaztokenStore': 'Қазтокен',
    'keys.storage.AKKZIDCardStore': 'жеке куәлік',
    'keys.source.file': 'Кілт файлы (PKCS#12)',
    'keys.source.ncalayer': 'NCALayer',
  },
  en: {
    'errors.ecp.unsupported_encryption': 'The key file is encrypted with an algorithm Jardem does not open ({{algorithm}}). Choose an RSA256_… PKCS#12 file or sign through NCALayer',
    'errors.keys.absent': 'NCALayer does not answer: start NCALayer on this computer and try again. Nothing was signed',
    'errors.keys.cancelled': 'You closed the NCALayer window without signing. Nothing was signed',
    'errors.keys.no_storage': 'NCALayer has no key in the chosen storage ({{storage, msg}}): insert the token or card, or choose another storage',
    'errors.keys.interrupted': 'NCALayer restarted during the signature: no signature came back and nothing was signed. Try again',
    'errors.keys.failed': 'NCALayer returned an error ({{detail}}). Nothing was signed',
    'errors.keys.wrong_usage': 'Wrong key chosen: signing in needs the authentication key (AUTH_RSA256_…), signing an act needs the signing key (RSA256_…)',
    'keys.storage.PKCS12': 'key file',
    'keys.storage.AKKaztokenStore': 'Kaztoken',
    'keys.storage.AKKZIDCardStore': 'ID card',
    'keys.source.file': 'Key file (PKCS#12)',
    'keys.source.ncalayer': 'NCALayer',
  },
} as const;
