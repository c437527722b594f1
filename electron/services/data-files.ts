/** The files a workstation's data folder holds, by their place in it: read by the context, the blob store and the data folder's checks. */
export const DATA_FILES = {
  database: 'jardem.sqlite',
  trustDir: 'trust',
  roots: 'trust/roots.pem',
  intermediates: 'trust/intermediates.pem',
  demoOffice: 'demo-office',
  crlDir: 'trust/crl',
  blobsDir: 'blobs',
  deviceDir: 'device',
  /** Relative to deviceDir. */
  deviceCert: 'device.crt.pem',
  deviceKey: 'device.key.pem',
} as const;
