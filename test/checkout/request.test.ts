import { describe, expect, it } from 'vitest';
import { interpretRequest } from '../../src/checkout/interpret';
import { shareIdFromUrl } from '../../src/checkout/shareId';

const interpret = (raw: unknown) => interpretRequest(raw, { graphOrigin: 'https://graph.microsoft.com', newRequestId: () => 'generated' });
const DRIVE_ITEM = '/drives/b!abc/items/01ABC';

describe('checkout request', () => {
  it('generates a requestId when absent and echoes one that is given', () => {
    const a = interpret({ target: DRIVE_ITEM });
    expect(a.ok && a.accepted.requestId).toBe('generated');
    const b = interpret({ target: DRIVE_ITEM, requestId: 'order-42:v1' });
    expect(b.ok && b.accepted.request.requestId).toBe('order-42:v1');
  });

  it('names every unknown field, so a typo never passes silently', () => {
    const r = interpret({ target: DRIVE_ITEM, acton: 'checkin', comments: 'x' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.rejected.problems.map((p) => p.pointer).sort()).toEqual(['/acton', '/comments']);
  });

  it('reports each wrong field with its JSON pointer', () => {
    const r = interpret({ target: DRIVE_ITEM, requestId: 'has space', action: 'lock', comment: 'x'.repeat(2000), context: { a: { b: 1 } } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.rejected.problems.map((p) => p.pointer).sort()).toEqual(['/action', '/comment', '/context/a', '/requestId']);
  });

  it('limits context to 4 KiB and echoes the valid parts of a rejected request', () => {
    const r = interpret({ target: '/nowhere', correlationId: 'corr-1', context: { run: 7, ok: true } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.rejected).toMatchObject({ correlationId: 'corr-1', context: { run: 7, ok: true } });
    const big = interpret({ target: DRIVE_ITEM, context: { blob: 'x'.repeat(5000) } });
    expect(big.ok).toBe(false);
  });

  it('is one JSON object, not an array or a scalar', () => {
    for (const raw of [[], 'x', 3, null]) expect(interpret(raw).ok).toBe(false);
  });

  it('refuses prototype keys instead of merging them', () => {
    const r = interpret(JSON.parse(`{"target":"${DRIVE_ITEM}","__proto__":{"polluted":true}}`));
    expect(r.ok).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const c = interpret(JSON.parse(`{"target":"${DRIVE_ITEM}","context":{"__proto__":"x"}}`));
    expect(c.ok).toBe(false);
  });
});

describe('sharing links', () => {
  it('encode as u! + unpadded base64url, replacing every + and / and stripping every =', () => {
    // Chosen so that plain base64 has several "+", "/" and padding.
    const url = 'https://contoso.sharepoint.com/:w:/s/team/Eb>?>?~~~a';
    const plain = Buffer.from(url).toString('base64');
    expect(plain.match(/[+/]/g)!.length).toBeGreaterThan(1);
    const id = shareIdFromUrl(url);
    expect(id).toMatch(/^u![A-Za-z0-9_-]+$/);
    expect(id.slice(2)).toBe(plain.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
  });

  it('turn a shareUrl into the shareItem route', () => {
    const url = 'https://contoso.sharepoint.com/:x:/s/finance/EYk3-budget?e=4:abc';
    const r = interpret({ shareUrl: url });
    expect(r.ok && r.accepted.route).toEqual({ variant: 'shareItem', graphPath: `/shares/${shareIdFromUrl(url)}/driveItem` });
    const root = interpret({ target: { variant: 'shareRoot', shareUrl: url } });
    expect(root.ok && root.accepted.route.graphPath).toBe(`/shares/${shareIdFromUrl(url)}/root`);
  });

  it('must be https URLs, and not given together with target', () => {
    for (const shareUrl of ['not a url', 'http://contoso.sharepoint.com/x', 'ftp://x/y', 'https://user:pw@contoso.sharepoint.com/x']) {
      const r = interpret({ shareUrl });
      expect(r.ok).toBe(false);
    }
    expect(interpret({ shareUrl: 'https://contoso.sharepoint.com/x', target: DRIVE_ITEM }).ok).toBe(false);
  });
});
