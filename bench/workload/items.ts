import type { ItemSet } from '../emulators/protocol';

/** A SharePoint-shaped drive id; `!` stays literal in the path, as the app sends it. */
const DRIVE_ID = 'b!x8sVKu2FC0ad2Aj7TD1xYPtdBf5HVx5FmE9';

export function itemSet(prefix: string, count: number): ItemSet {
  return { driveId: DRIVE_ID, prefix, count };
}

export function itemId(set: ItemSet, index: number): string {
  return `${set.prefix}${String(index % set.count).padStart(7, '0')}`;
}

/** The key the Graph emulator stores an item under (decoded, no leading slash). */
export function emulatorItemPath(set: ItemSet, index: number): string {
  return `drives/${set.driveId}/items/${itemId(set, index)}`;
}

/**
 * A queue message as a workflow would write it: an id to correlate by, a Graph path copied
 * from the docs, and a little context to echo, so validation and serialization do real work.
 */
export function requestMessage(set: ItemSet, index: number, requestId: string): string {
  return JSON.stringify({
    requestId,
    target: `/drives/${set.driveId}/items/${itemId(set, index)}`,
    correlationId: 'bench-run',
    context: { workflow: 'bench', step: index },
  });
}

export function checkoutUrl(graphUrl: string, set: ItemSet, index: number): string {
  return `${graphUrl}/v1.0/drives/${set.driveId}/items/${itemId(set, index)}/checkout`;
}
