/**
 * The information-system simulator as a Fastify app. POST /is/v1/requests answers a request with a signed
 * electronic document: the answer's canonical JSON and the gateway's detached CMS signature over it. A request
 * id answered before gets the same answer again, so a client that retries after a lost reply is never answered
 * twice differently. GET /is/v1/families lists some families of the synthetic registry, for demos and tests. On the
 * central server these routes exist only with --is-simulator, behind the device signature of sync (../gate.ts).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { isRequestSchema, type IsEnvelope } from '../../../shared/contract/is-protocol';
import { canonicalJson } from '../../../shared/text';
import { signDetached, type Signer } from '../../../node/pki/cms';
import { answerRequest } from './answer';
import type { Registry } from './registry';

export interface SimulatorOptions {
  registry: Registry;
  signer: Signer;
  gateway: string;
  now?: () => Date;
  /** For tests of the client: answer malformed or unsigned documents. */
  fault?: 'malformed' | 'unsigned' | null;
  /** Where answers are kept (the central server keeps them in its database, so any instance answers alike). */
  answers?: AnswerStore;
}

export interface AnswerStore {
  get(requestId: string): Promise<IsEnvelope | null>;
  put(requestId: string, envelope: IsEnvelope): Promise<IsEnvelope>;
}

/** In memory, for a simulator on its own (tests of the client). */
function memoryAnswers(): AnswerStore {
  const answered = new Map<string, IsEnvelope>();
  return {
    get: async (id) => answered.get(id) ?? null,
    put: async (id, envelope) => {
      if (!answered.has(id)) answered.set(id, envelope);
      return answered.get(id)!;
    },
  };
}

/** The first `limit` families of the registry with what the information systems hold of them (demos and tests). */
export function familiesOf(registry: Registry, limit: number) {
  return registry.families.slice(0, limit).map((f) => ({
    applicant: registry.persons.get(f.applicant),
    spouse: registry.persons.get(f.spouse),
    children: f.children.map((c) => ({ ...registry.persons.get(c), birth: registry.births.get(c) })),
    address: registry.addresses.get(f.applicant),
    iban: registry.accounts.get(f.applicant),
    income: Object.fromEntries([f.applicant, f.spouse].map((iin) => [iin, Object.fromEntries(registry.income.get(iin) ?? [])])),
  }));
}

export function buildSimulator(opts: SimulatorOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.get('/health', async () => ({ ok: true, persons: opts.registry.persons.size }));
  registerSimulator(app, opts);
  return app;
}

/** The simulator's routes on an app of its own or on the central server's. */
export function registerSimulator(app: FastifyInstance, opts: SimulatorOptions): void {
  const answered = opts.answers ?? memoryAnswers();
  const now = opts.now ?? (() => new Date());

  app.get('/is/v1/families', async (request) => familiesOf(opts.registry, Math.min(Number((request.query as { limit?: string }).limit ?? 5) || 5, 50)));

  app.post('/is/v1/requests', async (request, reply) => {
    const parsed = isRequestSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: 'invalid_request', issues: parsed.error.issues.map((i) => i.path.join('.')) });
    if (opts.fault === 'malformed') return reply.send({ answer: '{"not":"an answer"', signature: '' });
    const previous = await answered.get(parsed.data.requestId);
    if (previous) return reply.send(previous);
    const answer = canonicalJson(answerRequest(opts.registry, parsed.data, now(), opts.gateway));
    const envelope: IsEnvelope = {
      answer,
      signature: opts.fault === 'unsigned' ? Buffer.from('unsigned').toString('base64') : signDetached(Buffer.from(answer, 'utf8'), opts.signer, now()).toString('base64'),
    };
    // The first answer stored wins: two instances answering one request at once give the same answer.
    return reply.send(await answered.put(parsed.data.requestId, envelope));
  });
}
