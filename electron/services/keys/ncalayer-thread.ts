/**
 * The helper thread the services worker waits on while NCALayer signs (./ncalayer-blocking.ts): it holds the
 * WebSocket conversation and answers with the CMS or the typed error, never throws (an error crosses threads as data),
 * then raises the shared flag the services wait on.
 */
import { workerData } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';
import { ncalayerKeyCertificate, ncalayerSign } from './ncalayer-source';
import type { HelperData, NcalayerReply, NcalayerRequest } from './ncalayer-blocking';

const { flag, port } = workerData as HelperData;
const raised = new Int32Array(flag);

async function answer(request: NcalayerRequest): Promise<NcalayerReply> {
  try {
    if (request.op === 'certificate') return { ok: true, value: await ncalayerKeyCertificate(request.settings) };
    const input = request.digest ? { digest: Buffer.from(request.digest) } : { content: Buffer.from(request.content ?? new Uint8Array()) };
    return { ok: true, value: (await ncalayerSign(request.settings, input, 'sign')).toString('base64') };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, code: error.code, params: error.params };
    return { ok: false, code: 'keys.failed', params: { detail: (error instanceof Error ? error.message : String(error)).slice(0, 200) } };
  }
}

port.on('message', (m: { id: number; request: NcalayerRequest }) => {
  void answer(m.request).then((reply) => {
    port.postMessage({ id: m.id, reply });
    Atomics.store(raised, 0, 1);
    Atomics.notify(raised, 0);
  });
});
