import { Worker } from 'node:worker_threads';

/** One YAML document of a stream: its value, or why it cannot be read. */
export type YamlDocument = { value: unknown } | { error: string };

// Runs in a worker thread: a hostile document (60,000 keys in one map take
// the yaml parser minutes) then costs the worker, never the event loop that
// the whole portal shares. Plain JavaScript, as a worker evaluates it as is.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { parseAllDocuments } = require(workerData.yamlPath);
const firstLine = e => String((e && e.message) || e).split('\\n')[0];
const stream = parseAllDocuments(workerData.text);
const documents = Array.isArray(stream) ? stream : [stream];
parentPort.postMessage({
  total: documents.length,
  documents: documents.slice(0, workerData.maxDocuments).map(doc => {
    if (doc.errors && doc.errors.length) return { error: 'is not valid YAML: ' + firstLine(doc.errors[0]) };
    try {
      return { value: doc.toJS() };
    } catch (e) {
      return { error: 'cannot be read: ' + firstLine(e) };
    }
  }),
});
`;

/** Thrown when the documents could not be read in time or at all. */
export class YamlReadError extends Error {}

/**
 * Parses a YAML stream (several documents, or one) in a worker thread with a
 * time and memory limit. Resolves to at most `maxDocuments` documents and the
 * number the stream held.
 */
export function readYamlDocuments(
  text: string,
  options: { timeoutMs: number; maxDocuments: number },
): Promise<{ documents: YamlDocument[]; total: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { text, yamlPath: require.resolve('yaml'), maxDocuments: options.maxDocuments },
      resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
    });
    let settled = false;
    let timer: NodeJS.Timeout | undefined = undefined;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done();
      worker.terminate().catch(() => {});
    };
    timer = setTimeout(
      () => settle(() => reject(new YamlReadError(`took longer than ${options.timeoutMs} ms to read`))),
      options.timeoutMs,
    );
    worker.once('message', result => settle(() => resolve(result)));
    worker.once('error', (error: Error) =>
      settle(() => reject(new YamlReadError(`cannot be read: ${String(error?.message ?? error).split('\n')[0]}`))),
    );
    worker.once('exit', code => settle(() => reject(new YamlReadError(`cannot be read (the reader stopped with code ${code})`))));
  });
}
