/** Messages of the offices' staff registers: who may sign in, why an act was refused, and the administrator's work. */
const refused = {
  ru: {
    payload_invalid: 'запись реестра составлена неверно',
    hash_mismatch: 'содержимое изменено после подписания',
    signature_invalid: 'подпись недействительна',
    signer_untrusted: 'сертификат подписавшего не выдан доверенным УЦ или не действовал при подписании',
    signer_revoked: 'сертификат подписавшего отозван',
    signer_mismatch: 'подпись поставлена не тем сертификатом, что указан в записи',
    other_office: 'подписано сотрудником другой организации, чем отдел реестра',
    not_office_admin: 'подписавший не является администратором отдела по его реестру',
    genesis_not_named: 'реестр отдела начинает только первый администратор, названный городским управлением',
  },
  kk: {
    payload_invalid: 'тізілім жазбасы қате жасалған',
    hash_mismatch: 'мазмұны қол қойылғаннан кейін өзгертілген',
    signature_invalid: 'қолтаңба жарамсыз',
    signer_untrusted: 'қол қоюшының сертификатын сенімді КО бермеген немесе қол қойған кезде жарамды болмаған',
    signer_revoked: 'қол қоюшының сертификаты кері қайтарылған',
    signer_mismatch: 'қолтаңба жазбада көрсетілген сертификатпен қойылмаған',
    other_office: 'тізілім бөлімінен басқа ұйымның қызметкері қол қойған',
    not_office_admin: 'қол қоюшы бөлімнің тізілімі бойынша оның әкімшісі емес',
    genesis_not_named: 'бөлімнің тізілімін тек қалалық басқарма атаған бірінші әкімші бастайды',
  },
  en: {
    payload_invalid: 'the register entry is not well formed',
    hash_mismatch: 'the content was changed after it was signed',
    signature_invalid: 'the signature is not valid',
    signer_untrusted: 'the signer’s certificate is not from a trusted CA or was not valid at signing',
    signer_revoked: 'the signer’s certificate is revoked',
    signer_mismatch: 'signed with another certificate than the entry names',
    other_office: 'signed by staff of another organisation than the register’s office',
    not_office_admin: 'by the office’s register, the signer is not its administrator',
    genesis_not_named: 'an office’s register is begun only by the first administrator the city department named',
  },
};

const prefixed = (lang: 'ru' | 'kk' | 'en') => Object.fromEntries(Object.entries(refused[lang]).map(([k, v]) => [`staff.refused.${k}`, v]));

export const staff = {
  ru: {
    ...prefixed('ru'),
    'errors.staff.no_role': 'По реестру сотрудников отдела у подписавшего ({{iin}}) нет роли «{{role, msg}}» на {{day}}: действие не принято',
    'errors.staff.genesis_needs_key_file': 'Реестр сотрудников отдела ещё пуст: первый администратор, названный городским управлением, в первый раз входит с файлом ключа (его первая запись в реестре подписывается этим ключом), затем — и через NCALayer',
    'errors.staff.not_office_admin': 'Вносить записи в реестр сотрудников отдела может только его администратор',
    'errors.staff.refused': 'Запись реестра сотрудников не принята: {{reason, msg}}',
    'errors.staff.unknown_office': 'Отдел ключа не известен этому рабочему месту: реестр его сотрудников здесь не ведётся',
    'errors.signin.not_in_register': 'Вас ({{iin}}) нет в реестре сотрудников отдела на сегодня: роль назначает администратор отдела (jardem staff add)',
  },
  kk: {
    ...prefixed('kk'),
    'errors.staff.no_role': 'Бөлім қызметкерлерінің тізілімі бойынша қол қоюшыда ({{iin}}) {{day}} күні «{{role, msg}}» рөлі жоқ: әрекет қабылданбады',
    'errors.staff.genesis_needs_key_file': 'Бөлім қызметкерлерінің тізілімі әлі бос: қалалық басқарма атаған бірінші әкімші алғаш рет кілт файлымен кіреді (тізілімдегі оның алғашқы жазбасына осы кілтпен қол қойылады), кейін — NCALayer арқылы да',
    'errors.staff.not_office_admin': 'Бөлім қызметкерлерінің тізіліміне жазбаны тек оның әкімшісі енгізеді',
    'errors.staff.refused': 'Қызметкерлер тізілімінің жазбасы қабылданбады: {{reason, msg}}',
    'errors.staff.unknown_office': 'Кілттің бөлімі бұл жұмыс орнына белгісіз: оның қызметкерлерінің тізілімі мұнда жүргізілмейді',
    'errors.signin.not_in_register': 'Сіз ({{iin}}) бүгінге бөлім қызметкерлерінің тізілімінде жоқсыз: рөлді бөлімнің әкімшісі тағайындайды (jardem staff add)',
  },
  en: {
    ...prefixed('en'),
    'errors.staff.no_role': 'By the office’s staff register, the signer ({{iin}}) does not hold the role “{{role, msg}}” on {{day}}: the act is refused',
    'errors.staff.genesis_needs_key_file': 'The office’s staff register is still empty: the first administrator the city department named signs in with the key file the first time (their first entry in the register is signed with that key), and through NCALayer afterwards',
    'errors.staff.not_office_admin': 'Only the office’s administrator enters entries in its staff register',
    'errors.staff.refused': 'The staff register entry was refused: {{reason, msg}}',
    'errors.staff.unknown_office': 'The key’s office is not known to this workstation: its staff register is not kept here',
    'errors.signin.not_in_register': 'You ({{iin}}) are not in the office’s staff register for today: the office’s administrator grants the role (jardem staff add)',
  },
};
