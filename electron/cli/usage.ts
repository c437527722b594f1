/** What `jardem` takes, printed on a wrong use and by `jardem` alone. */
export const USAGE = `jardem — Jardem command line

  jardem iin IIN [--birth-date YYYY-MM-DD] [--sex male|female]
  jardem pki init --dir DIR
  jardem pki issue --dir DIR --role specialist|head|center --iin IIN --surname S --given G
                   [--patronymic P] --office CODE --password PW (--out FILE.p12 [--usage sign|auth] | --out-dir DIR)
                   [--not-before YYYY-MM-DD] [--not-after YYYY-MM-DD]
                   [--register-by ADMIN.p12 --register-password PW [--from YYYY-MM-DD]]
                   an administrator of an office with none named yet is named its first administrator and begins
                   its staff register; --register-by: the office's administrator grants the role in the register
                   (the PKI folder's staff-acts.jsonl, read by workstations set up from it and by the server)
                   --out-dir writes both files a person is issued: RSA256_<IIN>.p12 (signing) and
                   AUTH_RSA256_<IIN>.p12 (authentication)
  jardem pki device --dir DIR --office CODE --workstation CODE --out-dir DIR
                   a workstation's device certificate (sync client): device.crt.pem (with its chain), device.key.pem
  jardem pki revoke --dir DIR --serial HEX [--reason TEXT]
  jardem pki crl --dir DIR --out FILE.pem [--days 7]    the issuing CA's signed revocation list
  jardem forms render FORM --case ID|CASE_NUMBER --out FILE.pdf [--data-dir DIR] [--lang kk|ru|en]
                   FORM: receipt, center_receipt, notice_originals, refusal_acceptance, commission_referral,
                   commission_act, commission_conclusion, decision (assignment or refusal), notification,
                   missing_documents (Appendix 4, the Center channel), handover_record (at the Center);
                   reprints the form exactly as issued and certified (signed inside, PAdES), with FILE.pdf.p7s
  jardem forms render journal --from YYYY-MM-DD --to YYYY-MM-DD --out FILE.pdf [--lang kk|ru] [--channel district|center]
                   [--query IIN|NUMBER] [--data-dir DIR]   the journal of applications (Appendix 21) for a period
                   Without --data-dir: the app's own folder ($JARDEM_DATA_DIR, else ~/.local/share/jardem)
  jardem crl import FILE.pem [--data-dir DIR]           a workstation loads a CRL (used offline)
  jardem sync [--data-dir DIR] [--lang kk|ru|en]          one sync round with the central server; prints
                                                     {pushed, pulled, refused, conflicts, waiting, reference}; exit 0 when it completed
  jardem db rebuild [--data-dir DIR] [--lang kk|ru|en]  rebuilds every projection table from the signed log in one
                                                     transaction and prints what differed (JSON)
  jardem scanner --set JSON [--data-dir DIR]          the scanner source, e.g. '{"source":"sane","device":"test:0","dpi":200,"mode":"Color"}'
  jardem setup --pki DIR --office CODE --workstation CODE [--device DIR [--device-passphrase-file FILE]] [--server URL [--server-ca FILE] [--replace-device]] [--data-dir DIR]
                   trusts the PKI's root, sets the codes, installs the device certificate from jardem pki device (its
                   key encrypted with $JARDEM_DEVICE_PASSPHRASE or the file's passphrase) and the central server
  jardem demo-office [--with-sample-year [--seed N] [--cases N]] [--data-dir DIR] [--lang kk|ru|en]
                   the demo office of the first-run screen (PKI, keys, device certificate beside the data folder);
                   --with-sample-year: a year of sample cases (160 by default), signed and kept on this workstation
  jardem workdays --from YYYY-MM-DD --add N        prints the N-th working day after --from
  jardem workdays --from YYYY-MM-DD --to YYYY-MM-DD  prints the working days after --from up to --to
  jardem benefit --input FILE.json [--lang kk|ru|en]
  jardem calendar draft --year YYYY                  drafts a year's calendar by rule (to review)
  jardem sign --key FILE.p12 --password PW FILE      writes FILE.p7s (detached CMS, CAdES-BES)
  jardem verify FILE [FILE.p7s] --ca root.pem [--ca issuing.pem] [--crl FILE.pem]
                                                     prints {valid, signer, signingTime, errors}; exit 0 valid,
                                                     1 invalid, 2 unusable input
  jardem backup create --out DIR --passphrase-file FILE [--data-dir DIR] [--keep N]
                   an encrypted backup of the data folder (database, settings, every scan and document), verified
                   after writing; the oldest beyond N of this workstation's backups in DIR are removed
  jardem backup verify --from DIR|FILE --passphrase-file FILE [--data-dir DIR]   decrypts, hashes, checks the database
  jardem backup restore --from DIR|FILE --data-dir NEW --passphrase-file FILE [--office CODE]
                   restores into a new folder (never over a live one); the next sync enrols it again
  jardem verify-form FILE.pdf|IMAGE [FILE.p7s] [--data-dir DIR] [--lang kk|ru|en]
                   is a printed form genuine: its QR code read from the PDF or a scan, checked offline against the
                   stored form and this workstation's trust store; exit 0 genuine, 1 not
  jardem ncalayer-sim --port N --keys DIR [--password PW]
                   an NCALayer-protocol simulator on wss://127.0.0.1:N (self-signed TLS, kept in DIR/ncalayer-sim-tls);
                   keys from DIR/keys.json (the demo office's index works) or every *.p12 with --password
  jardem trust add-root FILE [--confirm SHA256] [--data-dir DIR] [--lang kk|ru|en]
                   shows a root certificate's SHA-256 fingerprint (exit 1); with --confirm equal to it, trusts it.
                   Keys our verifier cannot check (GOST) are refused by name
  jardem staff add --key ADMIN.p12 --password PW --iin IIN --role ROLE --name NAME --from YYYY-MM-DD [--to YYYY-MM-DD]
  jardem staff end --key ADMIN.p12 --password PW --iin IIN --role ROLE --to YYYY-MM-DD
  jardem staff list --key FILE.p12 --password PW
  jardem staff import FILE.jsonl               [--data-dir DIR] [--lang kk|ru|en]
                   the office's staff register: the administrator grants a role from a day, or ends it from a day
                   (acts from that day on are refused), each a signed act synced to the server; the named first
                   administrator's first sign-in begins the register; import takes signed acts from a file
  jardem methods
  jardem call METHOD [--input JSON] [--key FILE.p12 --password PW] [--data-dir DIR] [--lang kk|ru|en]
`;
