/** Messages of the event catalogue, the commit path, rebuild and the database's integrity check. */
export const events = {
  ru: {
    'errors.db.schema_damaged':
      'База данных повреждена или изменена в обход Jardem: {{objects}}. Jardem не открывает её и не исправляет сам — обратитесь к администратору',
    'errors.event.unknown_type': 'Неизвестный вид записи дела «{{type}}»: запись не сохранена. Обновите Jardem',
    'errors.event.payload_invalid': 'Запись дела «{{type}}» не соответствует каталогу (поле {{path}}): она не сохранена',
    'errors.event.role_not_allowed': 'Роль «{{role}}» не может делать запись «{{type}}»: она не сохранена',
    'errors.case.stale_version':
      'Дело изменилось, пока вы работали (было изменение {{expected}}, сейчас {{actual}}). Ничего не сохранено: откройте дело заново и повторите действие',
    'event.case_closed': 'Дело закрыто',
    'rebuild.same': 'Проекции перестроены из журнала событий: {{cases}} дел, {{events}} событий, отличий нет',
    'rebuild.differed': 'Проекции перестроены: {{cases}} дел, {{events}} событий; отличались строки в таблицах: {{tables}}',
  },
  kk: {
    'errors.db.schema_damaged':
      'Дерекқор зақымдалған немесе Jardem-ді айналып өтіп өзгертілген: {{objects}}. Jardem оны ашпайды және өзі түзетпейді — әкімшіге хабарласыңыз',
    'errors.event.unknown_type': 'Іс жазбасының белгісіз түрі «{{type}}»: жазба сақталмады. Jardem-ді жаңартыңыз',
    'errors.event.payload_invalid': '«{{type}}» іс жазбасы каталогқа сәйкес келмейді ({{path}} өрісі): жазба сақталмады',
    'errors.event.role_not_allowed': '«{{role}}» рөлі «{{type}}» жазбасын жасай алмайды: жазба сақталмады',
    'errors.case.stale_version':
      'Сіз жұмыс істеп жатқанда іс өзгерді ({{expected}}-нұсқа еді, қазір {{actual}}-нұсқа). Ештеңе сақталмады: істі қайта ашып, әрекетті қайталаңыз',
    'event.case_closed': 'Іс жабылған',
    'rebuild.same': 'Проекциялар оқиғалар журналынан қайта құрылды: {{cases}} іс, {{events}} оқиға, айырмашылық жоқ',
    'rebuild.differed': 'Проекциялар қайта құрылды: {{cases}} іс, {{events}} оқиға; мына кестелердің жолдары өзгеше болды: {{tables}}',
  },
  en: {
    'errors.db.schema_damaged': 'The database is damaged or was changed outside Jardem: {{objects}}. Jardem does not open it or repair it itself: call the administrator',
    'errors.event.unknown_type': 'Unknown kind of case record "{{type}}": nothing was saved. Update Jardem',
    'errors.event.payload_invalid': 'The case record "{{type}}" does not match the catalogue (field {{path}}): nothing was saved',
    'errors.event.role_not_allowed': 'The role "{{role}}" may not make the record "{{type}}": nothing was saved',
    'errors.case.stale_version': 'The case changed while you worked (it was at change {{expected}}, now {{actual}}). Nothing was saved: open the case again and repeat',
    'event.case_closed': 'The case is closed',
    'rebuild.same': 'Projections rebuilt from the event log: {{cases}} cases, {{events}} events, no differences',
    'rebuild.differed': 'Projections rebuilt: {{cases}} cases, {{events}} events; rows differed in: {{tables}}',
  },
};
