// Publishers from code signatures: what a row says, when an app is marked as a risk, and how the check stays off the
// event path yet notices a file changed after it was signed.
import { describe, expect, it } from 'vitest';
import { CodeSignatures } from '../../../electron/core/enrichment/code-signature';
import {
  describePublisher,
  userWritableFolder,
  type SignatureCheck,
} from '../../../electron/core/enrichment/publisher-label';
import type { AppPublisher } from '../../../electron/core/model';
import { ManualTime } from './support/manual-time';

const signed = (signer: string): SignatureCheck => ({ verdict: 'signed', symbol: 'ERROR_SUCCESS', signer });
const unsigned: SignatureCheck = { verdict: 'unsigned', symbol: 'TRUST_E_NOSIGNATURE' };
const badDigest: SignatureCheck = { verdict: 'bad-digest', symbol: 'TRUST_E_BAD_DIGEST' };
const CHROME = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';

describe('what a signature check tells the user', () => {
  it('labels the three cases the way rows and the prompt show them', () => {
    expect(describePublisher(CHROME, signed('Google LLC'))).toEqual({
      status: 'verified',
      signer: 'Google LLC',
      label: 'Google LLC, verified',
    });
    expect(describePublisher('C:\\Tools\\mytool.exe', unsigned)).toEqual({ status: 'unsigned', label: 'not signed' });
    expect(describePublisher('C:\\Tools\\mytool.exe', badDigest)).toMatchObject({
      status: 'bad-signature',
      label: 'signature does not match',
      risk: 'The file was changed after it was signed.',
    });
  });

  it('an unsigned app with a well-known name is marked as a risk', () => {
    const p = describePublisher('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', unsigned);
    expect(p.risk).toBe('Calls itself Google Chrome but is not signed.');
  });

  it('a signed app with a well-known name in a folder any user can write is marked; the same in Program Files is not', () => {
    const downloads = describePublisher('C:\\Users\\ann\\Downloads\\chrome.exe', signed('Google LLC'));
    expect(downloads.risk).toBe('Calls itself Google Chrome but runs from Downloads, a folder any user can write.');
    expect(describePublisher(CHROME, signed('Google LLC')).risk).toBeUndefined();
    // An unknown name is not a claim: an unsigned tool of one's own is "not signed", nothing more.
    expect(describePublisher('C:\\Users\\ann\\Downloads\\mytool.exe', unsigned).risk).toBeUndefined();
  });

  it('recognises the folders any user can write', () => {
    expect(userWritableFolder('C:\\Users\\ann\\Downloads\\x.exe')).toBe('Downloads');
    expect(userWritableFolder('C:\\Users\\ann\\AppData\\Local\\Temp\\x.exe')).toBe('Temp');
    expect(userWritableFolder('C:\\Windows\\Temp\\x.exe')).toBe('Temp');
    expect(userWritableFolder('C:\\Users\\ann\\AppData\\Roaming\\x\\x.exe')).toBe('AppData');
    expect(userWritableFolder('C:\\Program Files\\x\\x.exe')).toBeUndefined();
    expect(userWritableFolder('C:\\Windows\\System32\\svchost.exe')).toBeUndefined();
  });
});

describe('code signatures checked off the event path', () => {
  function setup(initial: SignatureCheck) {
    const time = new ManualTime();
    const answers = new Map<string, SignatureCheck>([[CHROME.toLowerCase(), initial]]);
    const identities = new Map<string, string>([[CHROME.toLowerCase(), 'v1']]);
    const verified: string[] = [];
    const changes: { publisher: AppPublisher; apps: string[] }[] = [];
    const service = new CodeSignatures(
      {
        verify: (path) => {
          verified.push(path);
          return Promise.resolve(answers.get(path.toLowerCase()) ?? unsigned);
        },
      },
      time,
      time,
      (_path, publisher, apps) => changes.push({ publisher, apps: [...apps] }),
      (path) => Promise.resolve(identities.get(path.toLowerCase())),
      { recheckMs: 60_000 },
    );
    const settle = async () => {
      time.advance(0);
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    return { time, answers, identities, verified, changes, service, settle };
  }

  it('a request only queues: nothing is checked until the event has been handled', async () => {
    const t = setup(signed('Google LLC'));
    t.service.request(CHROME, 'path:chrome');
    expect(t.verified).toEqual([]);
    expect(t.service.publisherOf(CHROME)).toBeUndefined();
    await t.settle();
    expect(t.verified).toEqual([CHROME]);
    expect(t.service.publisherOf(CHROME.toUpperCase())?.label).toBe('Google LLC, verified');
    expect(t.changes).toEqual([{ publisher: expect.objectContaining({ status: 'verified' }), apps: ['path:chrome'] }]);
  });

  it('the same file is checked once, however many events it has', async () => {
    const t = setup(signed('Google LLC'));
    for (let i = 0; i < 1000; i++) t.service.request(CHROME, 'path:chrome');
    await t.settle();
    for (let i = 0; i < 1000; i++) t.service.request(CHROME, 'path:chrome');
    t.time.advance(30_000);
    t.service.request(CHROME, 'path:chrome');
    await t.settle();
    expect(t.verified).toHaveLength(1);
  });

  it('a file changed after signing is marked once its identity changes, and its app is republished', async () => {
    const t = setup(signed('Google LLC'));
    t.service.request(CHROME, 'path:chrome');
    await t.settle();
    // Same file a minute later: its identity is looked at, the signature is not checked again.
    t.time.advance(61_000);
    t.service.request(CHROME, 'path:chrome');
    await t.settle();
    expect(t.verified).toHaveLength(1);
    // Someone patches chrome.exe: new size or time, and the signature no longer matches.
    t.identities.set(CHROME.toLowerCase(), 'v2');
    t.answers.set(CHROME.toLowerCase(), badDigest);
    t.time.advance(61_000);
    t.service.request(CHROME, 'path:chrome');
    await t.settle();
    expect(t.verified).toHaveLength(2);
    expect(t.service.publisherOf(CHROME)).toMatchObject({
      status: 'bad-signature',
      label: 'signature does not match',
      risk: 'The file was changed after it was signed.',
    });
    expect(t.changes.at(-1)?.apps).toEqual(['path:chrome']);
  });

  it('a file that is not there is not checked again every minute while it stays away; once it is there, it is', async () => {
    const t = setup(signed('Google LLC'));
    t.identities.delete(CHROME.toLowerCase());
    t.service.request(CHROME, 'path:chrome');
    await t.settle();
    expect(t.verified).toHaveLength(1);
    for (let minute = 0; minute < 5; minute++) {
      t.time.advance(61_000);
      t.service.request(CHROME, 'path:chrome');
      await t.settle();
    }
    expect(t.verified).toHaveLength(1);
    t.identities.set(CHROME.toLowerCase(), 'v1');
    t.time.advance(61_000);
    t.service.request(CHROME, 'path:chrome');
    await t.settle();
    expect(t.verified).toHaveLength(2);
    expect(t.service.publisherOf(CHROME)?.label).toBe('Google LLC, verified');
  });

  it('a check that throws leaves a clear "not checked" publisher, and paths that are not local files are not checked', async () => {
    const time = new ManualTime();
    const service = new CodeSignatures(
      { verify: () => Promise.reject(new Error('WinVerifyTrust failed')) },
      time,
      time,
      () => undefined,
      () => Promise.resolve(undefined),
    );
    service.request('System', 'system');
    service.request(CHROME, 'path:chrome');
    time.advance(0);
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(service.publisherOf('System')).toBeUndefined();
    expect(service.publisherOf(CHROME)).toMatchObject({
      status: 'unreadable',
      label: 'signature not checked (WinVerifyTrust failed)',
    });
  });

  it('a file whose identity lookup fails (its call on a mapped drive did not return) shows as not checked and is checked again when due', async () => {
    const time = new ManualTime();
    let share: 'hung' | 'back' = 'hung';
    const verified: string[] = [];
    const service = new CodeSignatures(
      { verify: (path) => (verified.push(path), Promise.resolve(signed('Fabrikam Inc'))) },
      time,
      time,
      () => undefined,
      () =>
        share === 'hung'
          ? Promise.reject(new Error('the file identity of Z:\\tools\\a.exe did not return within 60 s'))
          : Promise.resolve('v1'),
    );
    const path = 'Z:\\tools\\a.exe'; // a mapped drive: a letter, yet the file is on a share
    const settle = async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    expect(service.request(path, 'path:a')).toBe(0);
    time.advance(0);
    await settle();
    expect(verified).toEqual([]);
    expect(service.publisherOf(path)).toMatchObject({
      status: 'unreadable',
      label: expect.stringContaining('did not return within 60 s'),
    });
    // Not waiting for good: asking again tells when the next check is due, and then it is made.
    expect(service.request(path, 'path:a')).toBe(60_000);
    share = 'back';
    time.advance(60_000);
    expect(service.request(path, 'path:a')).toBe(0);
    time.advance(200);
    await settle();
    expect(verified).toEqual([path]);
    expect(service.publisherOf(path)?.label).toBe('Fabrikam Inc, verified');
  });

  it('a program on a network share is never opened by the elevated app, and its row says why', async () => {
    const time = new ManualTime();
    const opened: string[] = [];
    const service = new CodeSignatures(
      { verify: (path) => (opened.push(`verify ${path}`), Promise.resolve(signed('Fabrikam Inc'))) },
      time,
      time,
      () => undefined,
      (path) => (opened.push(`identity ${path}`), Promise.resolve('v1')),
    );
    for (const path of ['\\\\fileserver\\tools\\sync.exe', '\\\\127.0.0.1@8080\\DavWWWRoot\\x.exe']) {
      expect(service.request(path, `path:${path}`)).toBe(Infinity);
      time.advance(60_000);
      for (let i = 0; i < 10; i++) await Promise.resolve();
      expect(service.request(path, `path:${path}`)).toBe(Infinity);
      expect(service.publisherOf(path)).toMatchObject({
        status: 'unreadable',
        label: 'signature not checked (on a network share, which Portcullis does not open)',
      });
    }
    expect(opened).toEqual([]);
  });

  it('a flood of new apps is checked in the background, four started together five times a second, not all at once', async () => {
    const t = setup(signed('Google LLC'));
    for (let i = 0; i < 10; i++) t.service.request(`C:\\Apps\\tool${i}.exe`, `path:tool${i}`);
    await t.settle();
    expect(t.verified).toHaveLength(4);
    t.time.advance(199);
    await t.settle();
    expect(t.verified).toHaveLength(4);
    t.time.advance(1);
    await t.settle();
    expect(t.verified).toHaveLength(8);
    t.time.advance(200);
    await t.settle();
    expect(t.verified).toHaveLength(10);
  });
});
