import type { IncomingMessage } from 'node:http';

/** A request body up to `limit` bytes; beyond that the rest is drained and 'too-large' answered. */
export const readRequestBody = (
  request: IncomingMessage,
  limit: number,
): Promise<Buffer | 'too-large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve('too-large');
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
