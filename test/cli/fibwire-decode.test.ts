import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeKeepalive } from '../../src/bgp/messages/keepalive.js';
import { encodeNotification, NotificationMessage } from '../../src/bgp/messages/notification.js';
import { encodeOpen } from '../../src/bgp/messages/open-encode.js';
import { OpenMessage } from '../../src/bgp/messages/open-message.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Runs the CLI as a user would in a checkout: `npx tsx src/cli/fibwire-decode.ts ...`.
 * Asynchronous, so the test worker stays responsive while npx starts.
 */
function cli(args: string[], stdin?: string): Promise<{ status: number | null; lines: Record<string, unknown>[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/cli/fibwire-decode.ts', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      try {
        const lines = stdout
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        resolve({ status, lines, stderr });
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    child.stdin.end(stdin ?? '');
  });
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const MARKER = 'ffffffffffffffffffffffffffffffff';

const OPEN = OpenMessage.create({
  asn: 4200000001,
  holdTime: 90,
  bgpIdentifier: '192.0.2.1',
  capabilities: [{ kind: 'multiprotocol', afi: 1, safi: 1 }, { kind: 'route-refresh' }],
});

// UPDATE body (RFC 4271 §4.3): no withdrawn, 20 octets of attributes, one /24 with a path id.
const UPDATE_BODY_ADDPATH = [
  '0000', // withdrawn routes length
  '0014', // total path attribute length 20
  '40010100', // ORIGIN IGP
  '400206020100 00fde8', // AS_PATH: AS_SEQUENCE [65000] (4-octet)
  '400304c0000201', // NEXT_HOP 192.0.2.1
  '00000007 18c63364', // path id 7, 198.51.100.0/24 (RFC 7911 §3)
].join(' ');

describe('fibwire-decode CLI', () => {
  it('decodes several complete messages in one input (OPEN + KEEPALIVE + NOTIFICATION), exit 0', async () => {
    const input = hex(encodeOpen(OPEN)) + hex(encodeKeepalive()) + hex(encodeNotification(NotificationMessage.shutdown('bye')));
    const r = await cli([input]);
    expect(r.status).toBe(0);
    expect(r.lines).toEqual([
      JSON.parse(JSON.stringify(OPEN.toJSON())),
      { type: 'keepalive' },
      {
        type: 'notification',
        code: 6,
        subcode: 2,
        codeName: 'Cease',
        subcodeName: 'Administrative Shutdown',
        data: '03627965',
        shutdownCommunication: { valid: true, text: 'bye' },
      },
    ]);
  });

  it('--addpath reads path ids; headerless bodies are inferred (OPEN vs UPDATE); ExaBGP colon form accepted', async () => {
    const openBody = hex(encodeOpen(OPEN)).slice(38);
    const withHeaderColons = `${MARKER.toUpperCase()}:0033:02:${UPDATE_BODY_ADDPATH.replace(/ /g, '')}`;
    const r = await cli(['--addpath', 'ipv4-unicast', openBody, UPDATE_BODY_ADDPATH.replace(/ /g, ''), withHeaderColons]);
    expect(r.status).toBe(0);
    expect(r.lines.map((l) => l['type'])).toEqual(['open', 'update', 'update']);
    expect(r.lines[0]).toMatchObject({ asn: 4200000001, myAsn: 23456 });
    for (const u of r.lines.slice(1)) {
      expect(u['announced']).toEqual({ 'ipv4-unicast': { nextHop: '192.0.2.1', prefixes: [{ prefix: '198.51.100.0/24', pathId: 7 }] } });
    }
  });

  it('--asn2 reads a 2-octet AS_PATH', async () => {
    const body = '0000 0012 40010100 4002040201fde8 400304c0000201 18c63364'.replace(/ /g, '');
    const two = await cli(['--asn2', body]);
    expect(two.status).toBe(0);
    expect(two.lines[0]).toMatchObject({ attributes: { asPath: [{ type: 'as-sequence', asns: [65000] }] } });
    // Read as 4-octet, the same AS_PATH is malformed (RFC 7606 §7.2).
    expect((await cli([body])).status).toBe(2);
  });

  it('--type gives the type of a headerless body; hex comes from stdin lines too', async () => {
    const r = await cli(['--type', 'route-refresh'], '00010201\n\n# comment line\n00020001\n');
    expect(r.status).toBe(0);
    expect(r.lines).toEqual([
      { type: 'route-refresh', family: 'ipv4-unicast', afi: 1, safi: 1, subtype: 2, subtypeName: 'eorr' },
      { type: 'route-refresh', family: 'ipv6-unicast', afi: 2, safi: 1, subtype: 0, subtypeName: 'refresh' },
    ]);
  });

  it('a malformed message prints its BgpError and the exit status is 2', async () => {
    const badType = `${MARKER}001309`;
    const badVersion = hex(encodeOpen(new OpenMessage({ ...OPEN, version: 3 })));
    const r = await cli([badType, badVersion, hex(encodeKeepalive())]);
    expect(r.status).toBe(2);
    expect(r.lines[0]).toMatchObject({ error: 'BgpError', code: 'ERR_BGP_HEADER_BAD_MESSAGE_TYPE', notifyCode: 1, notifySubcode: 3, data: '09', action: 'session-reset', input: 0 });
    expect(r.lines[1]).toMatchObject({ notifyCode: 2, notifySubcode: 1, data: '0004', input: 1 });
    expect(r.lines[2]).toEqual({ type: 'keepalive' });
  });

  it('an UPDATE failing RFC 7606 validation prints its strongest error with every error and the decoded form', async () => {
    const body = '0000 0014 40010105 400206020100 00fde8 400304c0000201 18c63364'.replace(/ /g, ''); // ORIGIN 5
    const r = await cli([body]);
    expect(r.status).toBe(2);
    expect(r.lines[0]).toMatchObject({ code: 'ERR_BGP_UPDATE_INVALID_ORIGIN_ATTRIBUTE', notifyCode: 3, notifySubcode: 6, action: 'treat-as-withdraw', messageType: 'update' });
    expect(r.lines[0]!['errors']).toHaveLength(1);
    expect(r.lines[0]!['decoded']).toMatchObject({ type: 'update', announced: { 'ipv4-unicast': { prefixes: [{ prefix: '198.51.100.0/24' }] } } });
  });

  it('usage errors exit 1 with the usage on stderr', async () => {
    for (const args of [['--bogus'], ['--type', 'hello', '00'], ['--addpath', 'nope', '00'], ['zz']]) {
      const r = await cli(args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr).toContain('fibwire-decode');
    }
  });
});
