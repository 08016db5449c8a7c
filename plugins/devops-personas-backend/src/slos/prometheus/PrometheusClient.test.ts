import http from 'node:http';
import { AddressInfo } from 'node:net';
import { PrometheusClient } from './PrometheusClient';

/** A loopback server answering with `respond`; `held` requests are never answered. */
async function server(respond: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const sockets = new Set<import('node:net').Socket>();
  const s = http.createServer(respond);
  s.on('connection', socket => sockets.add(socket));
  await new Promise<void>(resolve => s.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    close: () => {
      sockets.forEach(socket => socket.destroy());
      return new Promise<void>(resolve => s.close(() => resolve()));
    },
  };
}

const client = (baseUrl: string, timeoutMs = 500) =>
  new PrometheusClient({ name: 'test', baseUrl, headers: { Authorization: 'Bearer t' }, timeoutMs });

describe('PrometheusClient', () => {
  it('counts the wait for a turn in the timeout, and says when too many wait', async () => {
    const silent = await server(() => {});
    try {
      const prometheus = client(silent.url);
      const answers = await Promise.allSettled(Array.from({ length: 520 }, () => prometheus.instant('up', Date.now())));
      const reasons = answers.map(a => (a.status === 'rejected' ? (a.reason as Error).message : 'answered'));
      // 6 sent, 500 waiting, the rest refused at once; none waits past its
      // timeout, whether it was still waiting or had just got its turn.
      expect(reasons.filter(r => /^did not answer within 0.5 s( \(waiting for a turn\))?$/.test(r))).toHaveLength(506);
      expect(reasons.filter(r => r === 'is busy: 500 queries are waiting already')).toHaveLength(14);
    } finally {
      await silent.close();
    }
  });

  it('refuses an answer larger than 32 MB while it arrives', async () => {
    let sent = 0;
    const flood = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const write = () => {
        while (sent < 64 && res.write(chunk)) sent++;
        if (sent < 64) res.once('drain', write);
        else res.end();
      };
      write();
    });
    try {
      await expect(client(flood.url, 10_000).instant('up', Date.now())).rejects.toThrow(/answered more than 32 MB/);
      expect(sent).toBeLessThan(64);
    } finally {
      await flood.close();
    }
  });

  it('sends the configured headers and passes on Prometheus\'s own error, clipped', async () => {
    let authorization: string | undefined;
    const failing = await server((req, res) => {
      authorization = req.headers.authorization;
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: `parse error: ${'x'.repeat(2000)}` }));
    });
    try {
      const error: Error = await client(failing.url)
        .instant('up{', Date.now())
        .then(() => new Error('answered'), (e: Error) => e);
      expect(authorization).toBe('Bearer t');
      expect(error.message).toMatch(/^answered HTTP 400: bad_data: parse error: x+…$/);
      expect(error.message.length).toBeLessThan(600);
    } finally {
      await failing.close();
    }
  });
});
