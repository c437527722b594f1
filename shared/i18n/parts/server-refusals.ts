/**
 * The central server's refusals of a request as such (before its contents are looked at): a device replaced by
 * another, a chain with a damaged certificate, a request signed too far from the server's clock, too many connections.
 */
export const serverRefusals = {
  ru: {
    'errors.sync.device_retired':
      'Это устройство рабочего места {{office}}-{{workstation}} заменено другим: сервер больше не принимает от него запросы. Работайте на новом устройстве или обратитесь к администратору',
    'errors.sync.certificate_malformed': 'Сертификат № {{index}} в цепочке сертификата устройства повреждён и не читается: установите сертификат устройства заново (jardem setup --device)',
    'errors.sync.request_time': 'Время запроса расходится с часами сервера больше чем на {{windowMinutes}} мин: запрос отклонён. Проверьте дату и время компьютера',
    'errors.sync.too_many_connections': 'С этого адреса открыто слишком много соединений с сервером (не более {{limit}}): синхронизация повторится позже',
  },
  kk: {
    'errors.sync.device_retired':
      '{{office}}-{{workstation}} жұмыс орнының бұл құрылғысы басқасымен ауыстырылған: сервер одан сұрауларды енді қабылдамайды. Жаңа құрылғыда жұмыс істеңіз немесе әкімшіге хабарласыңыз',
    'errors.sync.certificate_malformed': 'Құрылғы сертификаты тізбегіндегі № {{index}} сертификат бүлінген және оқылмайды: құрылғы сертификатын қайта орнатыңыз (jardem setup --device)',
    'errors.sync.request_time': 'Сұраудың уақыты сервер сағатынан {{windowMinutes}} минуттан артық алшақ: сұрау қабылданбады. Компьютердің күні мен уақытын тексеріңіз',
    'errors.sync.too_many_connections': 'Бұл мекенжайдан серверге тым көп қосылым ашылған ({{limit, abl}} аспауы керек): синхрондау кейінірек қайталанады',
  },
  en: {
    'errors.sync.device_retired': 'This device of workstation {{office}}-{{workstation}} was replaced by another: the server no longer accepts its requests. Work on the new device or call the administrator',
    'errors.sync.certificate_malformed': 'Certificate no. {{index}} in the device certificate’s chain is damaged and cannot be read: install the device certificate again (jardem setup --device)',
    'errors.sync.request_time': 'The request’s time is more than {{windowMinutes}} min from the server’s clock: refused. Check the computer’s date and time',
    'errors.sync.too_many_connections': 'Too many connections to the server from this address (at most {{limit}}): sync will try again later',
  },
};
