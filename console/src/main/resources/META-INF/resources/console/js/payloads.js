// Payloads as the tenant wrote them: encrypted ones are decoded here, in the browser, by the codec server with the
// signed-in key (the data plane only ever holds ciphertext); what may not be decoded is shown as encrypted.
import { codec } from './api.js';

function base64Text(b64) {
  return new TextDecoder().decode(Uint8Array.from(atob(b64 || ''), (c) => c.charCodeAt(0)));
}

export function encoding(payload) {
  return payload?.metadata?.encoding ? base64Text(payload.metadata.encoding) : '';
}

/** Every Payloads object ({payloads: [...]}) inside a JSON tree, e.g. a history. */
function collect(node, found) {
  if (Array.isArray(node)) node.forEach((n) => collect(n, found));
  else if (node && typeof node === 'object') {
    if (Array.isArray(node.payloads)) found.push(node);
    Object.values(node).forEach((n) => collect(n, found));
  }
  return found;
}

/**
 * Decodes the encrypted payloads in `tree` in place with one call to the codec server. Returns null when all could
 * be read, else the reason they stay encrypted (the codec server's answer).
 */
export async function decodeAll(namespace, tree) {
  const holders = collect(tree, []).filter((p) => p.payloads.some((x) => encoding(x) === 'binary/encrypted'));
  if (!holders.length) return null;
  const flat = holders.flatMap((p) => p.payloads);
  try {
    const answer = await codec('/decode', { method: 'POST', body: { payloads: flat }, headers: { 'X-Namespace': namespace } });
    let i = 0;
    for (const holder of holders) holder.payloads = holder.payloads.map(() => ({ ...answer.payloads[i++], decodedByCodec: true }));
    return null;
  } catch (e) {
    return e.message;
  }
}

/** A payload as text: JSON pretty-printed, encrypted ones named as such. */
export function show(payload) {
  const enc = encoding(payload);
  if (enc === 'binary/encrypted') return '🔒 encrypted';
  if (enc === 'binary/null') return 'null';
  if (enc.startsWith('json/')) {
    const text = base64Text(payload.data);
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
  }
  return `${enc || 'unknown encoding'}: ${payload.data || ''}`;
}

export function showAll(payloads) {
  return (payloads?.payloads || []).map(show).join('\n');
}

export function textPayload(value) {
  const json = JSON.stringify(value);
  return { metadata: { encoding: btoa('json/plain') }, data: btoa(unescape(encodeURIComponent(json))) };
}
