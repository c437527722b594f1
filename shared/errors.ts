/**
 * Errors cross every boundary (IPC, HTTP, CLI) as typed values with a stable code. The message is looked up
 * by code in the user's language (shared/i18n), never composed by the services.
 */
export type ErrorCode =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'unknown_method'
  | 'internal'
  | 'network'
  | 'signin.not_pkcs12'
  | 'signin.wrong_password'
  | 'signin.no_certificate'
  | 'signin.key_mismatch'
  | 'signin.unknown_ca'
  | 'signin.expired'
  | 'signin.not_yet_valid'
  | 'signin.auth_only_key'
  | 'signin.not_signing_key'
  | 'signin.no_role'
  | 'signin.other_office'
  | 'signin.revoked'
  | 'workstation.not_configured'
  | 'ecp.unlock_required'
  | 'ecp.key_locked'
  | 'ecp.not_rsa_key'
  | 'ecp.unsupported_encryption'
  | 'keys.absent'
  | 'keys.cancelled'
  | 'keys.no_storage'
  | 'keys.interrupted'
  | 'keys.failed'
  | 'keys.wrong_usage'
  | 'keys.unsupported_algorithm'
  | 'keys.signature_invalid'
  | 'keys.ncalayer_asks'
  | 'keys.other_person'
  | 'keys.not_session_key'
  | 'trust.not_certificate'
  | 'trust.not_root'
  | 'trust.unsupported_algorithm'
  | 'trust.fingerprint_mismatch'
  | 'ecp.role_not_allowed'
  | 'page.unreadable'
  | 'page.pdf_empty'
  | 'page.empty_file'
  | 'page.too_large'
  | 'page.not_image'
  | 'page.cannot_rotate_pdf'
  | 'case.closed'
  | 'is.no_application'
  | 'is.answer_malformed'
  | 'is.answer_unsigned'
  | 'is.answer_untrusted'
  | 'is.not_answered'
  | 'is.answer_rejected'
  | 'is.answer_outdated'
  | 'is.answer_changed'
  | 'is.request_refused'
  | 'is.not_all_confirmed'
  | 'is.all_confirmed'
  | 'intake.checklist_incomplete'
  | 'demo.time_travel_off'
  | 'form.no_documents'
  | 'form.not_issued'
  | 'form.not_now'
  | 'journal.flags_unresolved'
  | 'journal.empty_period'
  | 'commission.unknown_precinct'
  | 'commission.paper_not_scanned'
  | 'commission.inspection_needed'
  | 'commission.act_date_invalid'
  | 'decision.no_conclusion'
  | 'decision.calculation_says_refuse'
  | 'decision.calculation_differs'
  | 'decision.checklist_incomplete'
  | 'decision.not_drafted'
  | 'decision.not_signed'
  | 'notification.wrong_channel'
  | 'benefit.threshold_missing'
  | 'benefit.mrp_missing'
  | 'notification.before_decision'
  | 'notification.not_issued'
  | 'notification.already_issued'
  | 'scanner.failed'
  | 'scanner.absent'
  | 'scanner.busy'
  | 'scanner.folder_empty'
  | 'scanner.not_configured'
  | 'demo.already_exists'
  | 'demo.not_created'
  | 'demo.workstation_configured'
  | 'db.newer_than_app'
  | 'db.in_use'
  | 'db.schema_damaged'
  | 'event.unknown_type'
  | 'event.payload_invalid'
  | 'event.role_not_allowed'
  | 'case.stale_version'
  | 'sync.device_locked'
  | 'sync.not_configured'
  | 'sync.not_enrolled'
  | 'sync.offline'
  | 'sync.server_refused'
  | 'sync.hostile_answer'
  | 'reference.not_city_admin'
  // The staff register: shared/i18n/parts/staff.ts.
  | 'staff.no_role'
  | 'staff.genesis_needs_key_file'
  | 'staff.not_office_admin'
  | 'staff.refused'
  | 'staff.unknown_office'
  | 'signin.not_in_register'
  | 'reference.refused'
  // The city's figures: shared/i18n/parts/city-reports.ts.
  | 'reports.not_city_admin'
  | 'reports.city_refused'
  | 'reports.city_clock'
  | 'reports.city_never_fetched'
  // Hardening: shared/i18n/parts/hardening.ts.
  | 'blob.page_damaged'
  | 'blob.form_damaged'
  | 'blob.damaged'
  | 'signin.locked'
  | 'session.locked'
  | 'request.too_deep'
  | 'request.too_large'
  | 'page.file_damaged'
  | 'case.open_case_exists'
  | 'case.child_in_open_case'
  // Conflicts of sync: shared/i18n/parts/conflicts.ts.
  | 'conflict.not_found'
  | 'conflict.already_resolved'
  | 'conflict.option_not_allowed'
  | 'center.not_center_case'
  | 'center.district_not_served'
  | 'center.page_signature_invalid'
  | 'center.resend_without_missing'
  | 'center.no_request'
  | 'center.handover_before_notification'
  // Backup and restore: shared/i18n/parts/backup.ts.
  | 'backup.passphrase_short'
  | 'backup.not_a_backup'
  | 'backup.truncated'
  | 'backup.tampered'
  | 'backup.newer_format'
  | 'backup.wrong_passphrase'
  | 'backup.other_office'
  | 'backup.target_not_empty'
  | 'backup.none_found'
  | 'backup.database_damaged'
  | 'backup.not_set_up'
  | 'backup.verify_failed'
  | 'backup.rejoin_first'
  | 'backup.running'
  | 'backup.restore_fresh_only'
  | 'backup.drive_full';

/** A field's problem: a message key of shared/i18n (e.g. 'iin.checksum', 'field.required'). */
export type FieldErrors = Record<string, string>;

export interface AppErrorValue {
  code: ErrorCode;
  params?: Record<string, string | number>;
  fieldErrors?: FieldErrors;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorValue };

/** Thrown inside the services; turned into an AppErrorValue at the boundary. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params?: Record<string, string | number>,
    readonly fieldErrors?: FieldErrors,
  ) {
    super(code);
    this.name = 'AppError';
  }

  toValue(): AppErrorValue {
    return {
      code: this.code,
      ...(this.params ? { params: this.params } : {}),
      ...(this.fieldErrors ? { fieldErrors: this.fieldErrors } : {}),
    };
  }
}
