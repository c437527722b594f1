/** The one IPC channel between the renderer's bridge and the services. */
export const IPC_CHANNEL = 'jardem:call';
