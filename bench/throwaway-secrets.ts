/**
 * The bench's own PKI and devices live in .bench-data/ and are thrown away: their keys are encrypted with fixed
 * throwaway passphrases, so `npm run bench` runs on a fresh clone with no environment variables. Imported first.
 */
process.env.JARDEM_CA_PASSPHRASE ??= 'jardem-bench-throwaway-ca';
process.env.JARDEM_DEVICE_PASSPHRASE ??= 'jardem-bench-throwaway-device';
