/** Where the app's files are: the Node code shared with the central server (node/paths.ts). */
export * from '../../node/paths';
