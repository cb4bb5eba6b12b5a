// Reads the certificates of a PEM bundle enough to show them before upload: subject, issuer, expiry. A minimal
// DER walk of X.509's TBSCertificate (RFC 5280 §4.1); anything it cannot read is reported, not guessed.

const NAMES = { '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU' };

function readTlv(bytes, offset) {
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[offset + 2 + i];
    header += n;
  }
  if (offset + header + length > bytes.length) throw new Error('truncated DER');
  return { tag, start: offset + header, end: offset + header + length, next: offset + header + length };
}

function children(bytes, tlv) {
  const out = [];
  for (let at = tlv.start; at < tlv.end;) {
    const child = readTlv(bytes, at);
    out.push(child);
    at = child.next;
  }
  return out;
}

function oid(bytes, tlv) {
  const parts = [Math.floor(bytes[tlv.start] / 40), bytes[tlv.start] % 40];
  let value = 0;
  for (let i = tlv.start + 1; i < tlv.end; i++) {
    value = value * 128 + (bytes[i] & 0x7f);
    if (!(bytes[i] & 0x80)) { parts.push(value); value = 0; }
  }
  return parts.join('.');
}

function text(bytes, tlv) {
  return new TextDecoder().decode(bytes.subarray(tlv.start, tlv.end));
}

function name(bytes, tlv) {
  return children(bytes, tlv).map((set) => children(bytes, set).map((pair) => {
    const [type, value] = children(bytes, pair);
    const id = oid(bytes, type);
    return `${NAMES[id] || id}=${text(bytes, value)}`;
  }).join('+')).join(', ');
}

function date(bytes, tlv) {
  const s = text(bytes, tlv);
  const full = tlv.tag === 0x17 ? (Number(s.slice(0, 2)) >= 50 ? '19' : '20') + s : s; // UTCTime: two-digit year
  return new Date(`${full.slice(0, 4)}-${full.slice(4, 6)}-${full.slice(6, 8)}T${full.slice(8, 10)}:${full.slice(10, 12)}:${full.slice(12, 14)}Z`);
}

/** The certificates of a PEM text: [{subject, issuer, notAfter}] or [{error}] per block. */
export function describePem(pem) {
  const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  return blocks.map((block) => {
    try {
      const bytes = Uint8Array.from(atob(block[1].replace(/\s+/g, '')), (c) => c.charCodeAt(0));
      const tbs = children(bytes, readTlv(bytes, 0))[0];
      let fields = children(bytes, tbs);
      if (fields[0].tag === 0xa0) fields = fields.slice(1); // explicit version
      const [, , issuer, validity, subject] = fields;
      const [, notAfter] = children(bytes, validity);
      return { subject: name(bytes, subject), issuer: name(bytes, issuer), notAfter: date(bytes, notAfter) };
    } catch (e) {
      return { error: 'not a readable certificate: ' + e.message };
    }
  });
}
