/**
 * The simulator's answer to one request: for each subject, one result per field. Names and dates are compared
 * as a person would read them (case and Kazakh/Russian letter forms folded); a child's birth record must name
 * the applicant as a parent; income is compared month by month.
 */
import type { IsAnswer, IsRequest, IsResult } from '../../../shared/contract/is-protocol';
import { sameName, type Registry } from './registry';

type Field = IsAnswer['subjects'][number]['fields'][number];

export function answerRequest(registry: Registry, request: IsRequest, answeredAt: Date, gateway: string): IsAnswer {
  return {
    requestId: request.requestId,
    answeredAt: answeredAt.toISOString(),
    gateway,
    subjects: request.subjects.map((s) => {
      const person = registry.persons.get(s.iin);
      const fields: Field[] = [];
      const put = (field: Field['field'], result: IsResult, registryValue: string | null) => fields.push({ field, result, registry: registryValue });
      if (!person) {
        for (const f of ['surname', 'givenName', 'patronymic', 'birthDate'] as const) put(f, 'not_found', null);
        return { iin: s.iin, fields };
      }
      put('surname', sameName(person.surname, s.declared.surname) ? 'confirmed' : 'mismatch', person.surname);
      put('givenName', sameName(person.givenName, s.declared.givenName) ? 'confirmed' : 'mismatch', person.givenName);
      put('patronymic', !s.declared.patronymic || sameName(person.patronymic, s.declared.patronymic) ? 'confirmed' : 'mismatch', person.patronymic);
      put('birthDate', person.birthDate === s.declared.birthDate ? 'confirmed' : 'mismatch', person.birthDate);
      if (s.relation === 'child') {
        const birth = registry.births.get(s.iin);
        if (!birth) put('birthRecord', 'not_found', null);
        else {
          put('birthRecord', 'confirmed', `${birth.recordNumber} ${birth.registeredOn}`);
          put('parent', birth.parentIins.includes(request.applicantIin) ? 'confirmed' : 'mismatch', birth.parentIins.join(', '));
        }
      }
      if (s.relation === 'applicant') {
        const address = registry.addresses.get(s.iin);
        put('address', address ? 'confirmed' : 'not_found', address ?? null);
        const account = registry.accounts.get(s.iin);
        if (s.declared.iban !== undefined) put('bankAccount', !account ? 'not_found' : account === s.declared.iban.replace(/\s/g, '').toUpperCase() ? 'confirmed' : 'mismatch', account ?? null);
      }
      if (s.declared.income?.length) {
        const months = registry.income.get(s.iin);
        const wrong = s.declared.income.find((line) => (months?.get(line.month) ?? 0) !== line.amountTiyn);
        const summary = s.declared.income.map((l) => `${l.month}: ${((months?.get(l.month) ?? 0) / 100).toFixed(0)}`).join('; ');
        put('income', !months ? 'not_found' : wrong ? 'mismatch' : 'confirmed', summary);
      }
      return { iin: s.iin, fields };
    }),
  };
}
